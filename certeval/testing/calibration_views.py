"""Pages of item calibration, for the managers of a bank (``permissions.banks_managed``: organisers
running a campaign of that bank as a whole, administrators): the bank's calibrations and the form to
start one, a calibration's progress (polled by htmx every 2 s, or refreshed by a link) then its
review, the activation's confirmation, and discarding. Any other user gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing import calibration_selectors as selectors
from certeval.testing.calibration_forms import (
    FLAG_LABELS,
    MODEL_CHOICES,
    MODEL_NAMES,
    ActivationForm,
    CalibrationStartForm,
    ReviewFilterForm,
)
from certeval.testing.calibration_services import calibration_activate, calibration_discard, calibration_start
from certeval.testing.errors import TestingError
from certeval.testing.models import Calibration, Item
from certeval.testing.permissions import banks_managed
from certeval.testing.selectors import known_banks

Status = Calibration.Status


def _bank_title(request: AuthenticatedHttpRequest, bank: str) -> str:
    if bank not in banks_managed(request.user):
        raise Http404("No such bank.")
    return known_banks().get(bank, bank)


def _calibration(
    request: AuthenticatedHttpRequest, bank: str, calibration_id: int
) -> tuple[str, Calibration]:
    title = _bank_title(request, bank)
    return title, get_object_or_404(
        Calibration.objects.select_related("started_by"), pk=calibration_id, bank=bank
    )


def _crumbs(bank: str, title: str, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Calibration — %(bank)s") % {"bank": title}, reverse("calibrations:list", args=[bank])), *more]


def _number(value: float | None, places: int = 2) -> str:
    return "—" if value is None else number_format(value, places)


@login_required
def calibration_list(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    """The bank's calibrations, what the answers stored allow, and the form to start one."""
    title = _bank_title(request, bank)
    form = CalibrationStartForm(request.POST if request.method == "POST" else None, initial={"model": "2pl"})
    if request.method == "POST" and form.is_valid():
        try:
            calibration = calibration_start(bank=bank, model=form.cleaned_data["model"], actor=request.user)
        except TestingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Calibration lancée : elle s'exécute en arrière-plan."))
            return redirect("calibrations:detail", bank, calibration.pk)
    minimum = selectors.min_responses()
    counts = selectors.respondents_per_item(bank)
    items = Item.objects.filter(bank=bank, status__in=selectors.CALIBRATED_STATUSES).count()
    return render(
        request,
        "testing/calibration/list.html",
        {
            "bank": bank,
            "title": title,
            "form": form,
            "model_options": [{"value": value, "label": label} for value, label in MODEL_CHOICES],
            "model_value": form["model"].value() or "",
            "calibrations": [
                {"calibration": c, "model": MODEL_NAMES.get(c.model, c.model), "summary": _brief(c)}
                for c in selectors.calibrations_of(bank)
            ],
            "busy": selectors.in_progress(bank),
            "minimum": minimum,
            "items": items,
            "ready": sum(n >= minimum for n in counts.values()),
            "answered": len(counts),
            "version": selectors.bank_version_of(bank),
            "crumbs": [(_("Calibration — %(bank)s") % {"bank": title}, "")],
        },
    )


def _brief(calibration: Calibration) -> str:
    """One line on a calibration's outcome for the history table."""
    if calibration.status in (Status.QUEUED, Status.RUNNING):
        return _("%(percent)s %% effectués") % {"percent": round(calibration.progress * 100)}
    if calibration.status == Status.FAILED:
        return calibration.message
    summary = (calibration.result or {}).get("summary")
    if not summary:
        return _("écartée avant la fin")
    return _(
        "%(items)s question(s) calibrée(s), %(flagged)s signalée(s), %(skipped)s non calibrée(s) faute de réponses"
    ) % {
        "items": summary["calibrated"],
        "flagged": summary["flagged"],
        "skipped": summary["skipped"],
    }


def _progress_context(calibration: Calibration) -> dict[str, Any]:
    return {
        "calibration": calibration,
        "percent": round(calibration.progress * 100),
        "polling": calibration.status in selectors.IN_PROGRESS,
    }


def _review_table(calibration: Calibration, rows: list[dict[str, Any]]) -> dict[str, Any]:
    three = calibration.model == "3pl"
    headers = [_("Question"), _("Compétence"), _("Réponses"), _("a actuel"), _("a estimé (erreur type)")]
    headers += [_("b actuel"), _("b estimé (erreur type)")]
    if three:
        headers += [_("c actuel"), _("c estimé (erreur type)")]
    headers += [_("Ajustement (p)"), _("Signalements")]
    body = []
    for row in rows:
        cells = [row["code"], row["competence"], row["responses"]]
        names = ("a", "b", "c") if three else ("a", "b")
        for name in names:
            old = _number(row["old"][name])
            cells.append(_("%(value)s (provisoire)") % {"value": old} if row["provisional"] else old)
            cells.append(f"{_number(row['new'][name])} ({_number(row['se'][name])})")
        cells.append(_number(row["fit_p"], 3))
        cells.append(" ; ".join(str(FLAG_LABELS.get(f, f)) for f in row["flags"]) or _("aucun"))
        body.append(cells)
    return {"headers": headers, "rows": body}


@login_required
@vary_on_headers("HX-Request")  # the progress block and the page share their address
def calibration_detail(request: AuthenticatedHttpRequest, bank: str, calibration_id: int) -> HttpResponse:
    """A calibration: its progress while it runs (htmx asks for the progress block only), then its
    review — old and new parameters with standard errors, fit flags, items skipped — filtered and
    sorted by the query string."""
    title, calibration = _calibration(request, bank, calibration_id)
    if getattr(request, "htmx", False):
        return render(
            request, "testing/calibration/_progress.html", _progress_context(calibration) | {"bank": bank}
        )
    filters = ReviewFilterForm(request.GET or None)
    show, sort = "", "code"
    if filters.is_valid():
        show, sort = filters.cleaned_data["show"], filters.cleaned_data["sort"] or "code"
    rows = selectors.review_rows(calibration, show=show, sort=sort)
    result = calibration.result or {}
    summary = result.get("summary")
    return render(
        request,
        "testing/calibration/detail.html",
        {
            **_progress_context(calibration),
            "bank": bank,
            "title": title,
            "model": MODEL_NAMES.get(calibration.model, calibration.model),
            "summary": summary,
            "by_flag": " ; ".join(
                f"{FLAG_LABELS[flag]} : {n}" for flag, n in (summary or {}).get("by_flag", {}).items() if n
            ),
            "bank_version": result.get("bank_version"),
            "min_responses": result.get("min_responses"),
            "filters": filters,
            "shown": len(rows),
            "table": _review_table(calibration, rows),
            "skipped": selectors.skipped_rows(calibration),
            "numbers": {
                key: _number(summary.get(key), 3)
                for key in ("mean_change_b", "mean_shift_b", "mean_change_a", "mean_se_b", "correlation_b")
            }
            if summary
            else {},
            "can_discard": calibration.status in (Status.QUEUED, Status.RUNNING, Status.DONE),
            "crumbs": _crumbs(bank, title, (_("Calibration n° %(n)s") % {"n": calibration.pk}, "")),
        },
    )


@login_required
def calibration_activation(request: AuthenticatedHttpRequest, bank: str, calibration_id: int) -> HttpResponse:
    """Confirm, then activate: a new bank version and new item versions with the new parameters."""
    title, calibration = _calibration(request, bank, calibration_id)
    form = ActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = calibration_activate(
                calibration=calibration, actor=request.user, keep_flagged=form.cleaned_data["keep_flagged"]
            )
        except TestingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Calibration activée : la banque passe à la version %(n)s.") % {"n": version.number},
            )
            return redirect("calibrations:detail", bank, calibration.pk)
    calibration.refresh_from_db()
    result = calibration.result or {}
    summary = result.get("summary") or {}
    started = result.get("bank_version")
    return render(
        request,
        "testing/calibration/activate.html",
        {
            "bank": bank,
            "title": title,
            "calibration": calibration,
            "form": form,
            "activable": calibration.status == Status.DONE,
            "calibrated": summary.get("calibrated", 0),
            "flagged": summary.get("flagged", 0),
            "next_version": (started or selectors.bank_version_of(bank)) + 1,
            "crumbs": _crumbs(
                bank,
                title,
                (
                    _("Calibration n° %(n)s") % {"n": calibration.pk},
                    reverse("calibrations:detail", args=[bank, calibration.pk]),
                ),
                (_("Activation"), ""),
            ),
        },
    )


@login_required
@require_POST
def calibration_discard_view(
    request: AuthenticatedHttpRequest, bank: str, calibration_id: int
) -> HttpResponse:
    """Set a calibration aside (a running one stops); its result stays on record, never applied."""
    _title, calibration = _calibration(request, bank, calibration_id)
    try:
        calibration_discard(calibration=calibration, actor=request.user)
    except TestingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Calibration écartée : la banque est inchangée."))
    return redirect("calibrations:detail", bank, calibration.pk)
