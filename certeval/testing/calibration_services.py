"""Writes of item calibration: start one, run it (the background task), activate or discard it.

A calibration re-estimates the IRT parameters of a bank's items from the answers stored for them
(``calibration_selectors``) with the engine's MML-EM (``certeval.domain.cat.calibration``); the scale
is fixed by the N(0, 1) ability distribution of the respondents. Nothing changes in the bank until a
manager activates the result: that opens a new bank version and writes, for every calibrated item, a
new frozen version with the new parameters; questions already served keep pointing at the version
they were scored with. One calibration at a time per bank. Every step is audited (docs/testing.md).
"""

from __future__ import annotations

import logging
import math
from functools import partial
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.domain.cat.calibration import CalibrationResult, calibrate
from certeval.domain.cat.irt import Model
from certeval.testing import calibration_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import BankVersion, Calibration, Item, ItemVersion
from certeval.testing.permissions import banks_managed

logger = logging.getLogger(__name__)

MODELS = {"2pl": Model.TWO_PL, "3pl": Model.THREE_PL}
MAX_ITERATIONS = 300
TOLERANCE = 1e-3
# Share of the progress bar: reading the answers, then the EM iterations, then errors and fit.
LOADED, ITERATED = 0.05, 0.9
COPIED_FIELDS = (
    "kind",
    "stem",
    "options",
    "blanks",
    "explanation",
    "resources",
    "image",
    "image_alt",
    "attachment",
    "expected_seconds",
    "accessibility",
)
Status = Calibration.Status


def _check_manager(actor: User, bank: str) -> None:
    if bank not in banks_managed(actor):
        raise TestingError(_("Banque de questions introuvable."))


def _lock_bank(bank: str) -> None:
    """Serialise the writes of one bank's calibrations: the row of its first item is the lock."""
    if Item.objects.select_for_update().filter(bank=bank).order_by("pk").first() is None:
        raise TestingError(_("La banque ne contient aucune question."))


def calibration_start(*, bank: str, model: str, actor: User) -> Calibration:
    """Queue a calibration of the bank; refused while another one is waiting or running."""
    _check_manager(actor, bank)
    if model not in MODELS:
        raise TestingError(_("Modèle inconnu : %(model)s.") % {"model": model})
    with transaction.atomic():
        _lock_bank(bank)
        busy = selectors.in_progress(bank)
        if busy is not None:
            raise TestingError(
                _(
                    "Une calibration de cette banque est déjà %(status)s (lancée le %(date)s) : attendez "
                    "qu'elle se termine, ou écartez-la, avant d'en lancer une autre."
                )
                % {
                    "status": busy.get_status_display().lower(),
                    "date": f"{timezone.localtime(busy.created_at):%d/%m/%Y %H:%M}",
                }
            )
        calibration = Calibration.objects.create(
            bank=bank,
            model=model,
            started_by=actor,
            result={
                "bank_version": selectors.bank_version_of(bank),
                "min_responses": selectors.min_responses(),
            },
        )
        audit_record(
            actor=actor,
            action="testing.calibration_start",
            target=calibration,
            data={"bank": bank, "model": MODELS[model].value},
            campaign=None,
            person=None,
        )
        from certeval.testing.calibration_tasks import run_calibration

        transaction.on_commit(partial(run_calibration.enqueue, calibration.pk))
    return calibration


class _Discarded(Exception):
    """The calibration was discarded while it ran: stop without writing anything."""


class _Progress:
    """Moves the progress bar as EM converges: the larger of the share of the iteration budget used
    and how far the largest parameter change has fallen, on a log scale, towards the tolerance."""

    def __init__(self, calibration_id: int) -> None:
        self.calibration_id = calibration_id
        self.first_change: float | None = None
        self.shown = LOADED

    def __call__(self, iteration: int, change: float) -> None:
        if self.first_change is None:
            self.first_change = max(change, TOLERANCE * 10)
        converging = math.log(self.first_change / max(change, TOLERANCE)) / math.log(
            self.first_change / TOLERANCE
        )
        fraction = min(max(iteration / MAX_ITERATIONS, converging), 1.0)
        value = LOADED + (ITERATED - LOADED) * fraction
        if int(value * 100) > int(self.shown * 100):
            self.shown = value
            self.save(value)

    def save(self, value: float) -> None:
        updated = Calibration.objects.filter(pk=self.calibration_id, status=Status.RUNNING).update(
            progress=value
        )
        if not updated:
            raise _Discarded


def _finite(value: float, places: int = 4) -> float | None:
    """A number to store in the result: rounded, None when not finite (a singular information
    matrix gives an infinite standard error; JSON and PostgreSQL have no NaN)."""
    number = float(value)
    return round(number, places) if math.isfinite(number) else None


def _parameters(a: float, b: float, c: float) -> dict[str, float | None]:
    """Parameters or their standard errors (the domain's item bank refuses estimates that are not
    finite; a standard error may be)."""
    return {"a": _finite(a), "b": _finite(b), "c": _finite(c)}


def _result(data: selectors.ResponseData, fitted: CalibrationResult, start: dict[str, Any]) -> dict[str, Any]:
    bank = fitted.bank
    items: list[dict[str, Any]] = []
    for j, item in enumerate(data.items):
        current = item.current
        assert current is not None  # only items with a current version are read
        items.append(
            {
                "id": item.pk,
                "code": item.code,
                "competence": item.competence,
                "level": item.level,
                "status": item.status,
                "version": current.number,
                "responses": data.counts[item.pk],
                "old": _parameters(current.a, current.b, current.c),
                "provisional": current.irt_provisional,
                "new": _parameters(bank.a[j], bank.b[j], bank.c[j]),
                "se": _parameters(fitted.se_a[j], fitted.se_b[j], fitted.se_c[j]),
                "flags": list(fitted.flags[j]),
                "fit_p": _finite(fitted.fit_p[j]),
            }
        )
    skipped = [
        {"id": i.pk, "code": i.code, "competence": i.competence, "responses": data.counts[i.pk]}
        for i in data.skipped
    ]
    old_b = np.array([r["old"]["b"] for r in items], dtype=float)
    new_b = np.array([r["new"]["b"] for r in items], dtype=float)
    old_a = np.array([r["old"]["a"] for r in items], dtype=float)
    by_flag = {flag: sum(flag in r["flags"] for r in items) for flag in selectors.FLAGS}
    correlation = (
        _finite(np.corrcoef(old_b, new_b)[0, 1], 3)
        if len(items) > 2 and np.std(old_b) > 0 and np.std(new_b) > 0
        else None
    )
    summary = {
        "calibrated": len(items),
        "skipped": len(skipped),
        "flagged": sum(bool(r["flags"]) for r in items),
        "by_flag": by_flag,
        "iterations": fitted.iterations,
        "converged": fitted.converged,
        "mean_change_b": _finite(np.mean(np.abs(new_b - old_b)), 3),
        "mean_shift_b": _finite(np.mean(new_b - old_b), 3),
        "mean_change_a": _finite(np.mean(np.abs(bank.a - old_a)), 3),
        "mean_se_b": _finite(np.nanmean(np.where(np.isfinite(fitted.se_b), fitted.se_b, np.nan)), 3),
        "correlation_b": correlation,
    }
    return {**start, "items": items, "skipped": skipped, "summary": summary}


def calibration_run(calibration_id: int) -> None:
    """Run a queued calibration (the background task): read the answers, calibrate, store the
    result for review. A refusal or an error stores a French message (status failed); a calibration
    discarded meanwhile is left as it is."""
    if not Calibration.objects.filter(pk=calibration_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=0.0
    ):
        return  # discarded before it started (or already run)
    calibration = Calibration.objects.get(pk=calibration_id)
    progress = _Progress(calibration_id)
    try:
        minimum = int(calibration.result.get("min_responses") or selectors.min_responses())
        data = selectors.response_matrix(calibration.bank, minimum)
        if not data.items:
            raise TestingError(
                _(
                    "Aucune question n'a encore été répondue par au moins %(min)s personnes : rien à "
                    "calibrer (%(n)s question(s) en dessous du minimum)."
                )
                % {"min": minimum, "n": len(data.skipped)}
            )
        if len(data.items) < 2:
            raise TestingError(
                _("Une seule question atteint le minimum de %(min)s réponses : il en faut au moins deux.")
                % {"min": minimum}
            )
        progress.save(LOADED)
        fitted = calibrate(
            data.matrix,
            tuple(str(i.pk) for i in data.items),
            model=MODELS[calibration.model],
            max_iterations=MAX_ITERATIONS,
            tolerance=TOLERANCE,
            progress=progress,
        )
        _close(
            calibration_id,
            Status.DONE,
            result=_result(data, fitted, calibration.result),
            responses=data.responses,
            candidates=data.respondents,
        )
    except _Discarded:
        return
    except TestingError as error:
        _close(calibration_id, Status.FAILED, message=str(error))
        return
    except Exception as error:
        logger.exception("Calibration %s failed", calibration_id)
        _close(
            calibration_id,
            Status.FAILED,
            message=_(
                "La calibration a échoué sur une erreur inattendue (%(error)s). Les paramètres de la "
                "banque sont inchangés ; vous pouvez la relancer."
            )
            % {"error": type(error).__name__},
        )
        return


@transaction.atomic
def _close(calibration_id: int, status: str, **fields: Any) -> None:
    """Store how a running calibration ended, with its audit row (unless it was discarded)."""
    calibration = Calibration.objects.select_for_update().get(pk=calibration_id)
    if calibration.status != Status.RUNNING:
        return
    calibration.status = status
    calibration.finished_at = timezone.now()
    if status == Status.DONE:
        calibration.progress = 1.0
    for name, value in fields.items():
        setattr(calibration, name, value)
    calibration.save()
    summary = calibration.result.get("summary", {})
    audit_record(
        actor=None,
        action="testing.calibration_done" if status == Status.DONE else "testing.calibration_fail",
        target=calibration,
        message=calibration.message,
        data={
            "bank": calibration.bank,
            "items": summary.get("calibrated", 0),
            "skipped": summary.get("skipped", 0),
            "flagged": summary.get("flagged", 0),
        },
        campaign=None,
        person=None,
    )


def calibration_activate(*, calibration: Calibration, actor: User, keep_flagged: bool = False) -> BankVersion:
    """Apply a finished calibration: a new bank version, and for every calibrated item a new frozen
    version copying its current content with the new parameters (no longer provisional), which
    becomes the item's current version. ``keep_flagged`` leaves the flagged items as they are."""
    bank = calibration.bank
    _check_manager(actor, bank)
    with transaction.atomic():
        _lock_bank(bank)
        calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
        if calibration.status != Status.DONE:
            raise TestingError(
                _("Seule une calibration terminée peut être activée (celle-ci est « %(status)s »).")
                % {"status": calibration.get_status_display()}
            )
        current = selectors.bank_version_of(bank)
        started = calibration.result.get("bank_version")
        if started != current:
            raise TestingError(
                _(
                    "La banque est passée à la version %(current)s depuis le lancement de cette calibration "
                    "(version %(started)s) : ses paramètres ne s'appliquent plus. Lancez une nouvelle "
                    "calibration."
                )
                % {"current": current, "started": started}
            )
        number = current + 1
        rows = {r["id"]: r for r in calibration.result.get("items", [])}
        applied = {pk: r for pk, r in rows.items() if not (keep_flagged and r["flags"])}
        kept = sorted(r["code"] for pk, r in rows.items() if pk not in applied)
        version = BankVersion.objects.create(
            bank=bank,
            number=number,
            calibration=calibration,
            created_by=actor,
            note=_("Calibration du %(date)s")
            % {"date": f"{timezone.localtime(calibration.created_at):%d/%m/%Y}"},
        )
        _write_versions(bank, applied, number, actor)
        calibration.status = Status.ACTIVATED
        calibration.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="testing.calibration_activate",
            target=calibration,
            data={"bank": bank, "bank_version": number, "items": len(applied), "kept": kept},
            campaign=None,
            person=None,
        )
    return version


def _copy(source: ItemVersion) -> dict[str, Any]:
    """The content of a version, for a new one (files by their stored name: never copied)."""
    copied: dict[str, Any] = {name: getattr(source, name) for name in COPIED_FIELDS}
    copied["image"], copied["attachment"] = source.image.name, source.attachment.name
    return copied


def _write_versions(bank: str, rows: dict[int, dict[str, Any]], number: int, actor: User) -> None:
    items = list(
        Item.objects.select_for_update(of=("self",)).filter(bank=bank, pk__in=rows).select_related("current")
    )
    last = dict(
        ItemVersion.objects.filter(item__in=items)
        .values("item")
        .annotate(last=Max("number"))
        .values_list("item", "last")
    )
    versions = []
    for item in items:
        if item.current is None:
            continue
        new = rows[item.pk]["new"]
        versions.append(
            ItemVersion(
                item=item,
                number=last[item.pk] + 1,
                **_copy(item.current),
                a=new["a"],
                b=new["b"],
                c=new["c"],
                irt_provisional=False,
                bank_version=number,
                created_by=actor,
            )
        )
    now = timezone.now()
    for version in ItemVersion.objects.bulk_create(versions):
        version.item.current = version
        version.item.updated_at = now
    Item.objects.bulk_update([v.item for v in versions], ["current", "updated_at"])


def calibration_discard(*, calibration: Calibration, actor: User) -> Calibration:
    """Set a calibration aside: its result is kept for the record and never applied. A calibration
    waiting or running is stopped (the task notices at its next progress step)."""
    _check_manager(actor, calibration.bank)
    with transaction.atomic():
        calibration = Calibration.objects.select_for_update().get(pk=calibration.pk)
        if calibration.status in (Status.ACTIVATED, Status.DISCARDED):
            raise TestingError(
                _("Cette calibration est déjà « %(status)s ».") % {"status": calibration.get_status_display()}
            )
        previous = calibration.get_status_display()
        calibration.status = Status.DISCARDED
        calibration.finished_at = calibration.finished_at or timezone.now()
        calibration.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor,
            action="testing.calibration_discard",
            target=calibration,
            data={"bank": calibration.bank, "from": str(previous)},
            campaign=None,
            person=None,
        )
    return calibration
