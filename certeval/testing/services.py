"""Writes of automated results: one result, or a CSV import (all or nothing).

Every write checks the actor's scope (``certeval.testing.permissions``), runs in one transaction
and writes its audit row. A result is the person's (``AutomatedResult.candidate``); the enrolment
it is recorded through is kept as its provenance.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, Enrolment
from certeval.testing import permissions, selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import AutomatedResult

GLOBAL_PARTS = ("", "global", "volet")


@transaction.atomic
def automated_result_record(
    *, enrolment: Enrolment, level: str, obtained_on: date, actor: User | None, part: str = ""
) -> AutomatedResult:
    """Record a person's automated-part result, entered through one of their enrolments.

    Without ``part``: the overall level used by the decision (recording it again through the same
    enrolment corrects it). With ``part`` (a part of ``rules.automated``, e.g. ``crcn-edu``): the
    level of that part only, kept beside the overall result recorded through this enrolment, which
    must exist. ``actor`` None is the system (command line, demo); a person must have the
    enrolment in their scope."""
    if actor is not None and not permissions.can_record(actor, enrolment):
        raise TestingError(_("Candidat introuvable."))
    campaign = enrolment.campaign
    test = selectors.automated_test_of(campaign.framework_version)
    if test is None:
        raise TestingError(_("Ce référentiel n'a pas de volet automatisé."))
    if level not in dict(selectors.level_choices(campaign)):
        raise TestingError(_("Niveau inconnu : %(level)s.") % {"level": level})
    if obtained_on > timezone.localdate():
        raise TestingError(_("La date d'obtention ne peut pas être dans le futur."))
    mine = AutomatedResult.objects.select_for_update().filter(
        candidate_id=enrolment.candidate_id, test=test, enrolment=enrolment
    )
    if part:
        parts = selectors.part_ids(campaign)
        if part not in parts:
            raise TestingError(
                _("Partie inconnue : %(part)s (attendu : %(list)s).")
                % {"part": part, "list": ", ".join(parts) or _("aucune")}
            )
        result = mine.first()
        if result is None:
            raise TestingError(_("Enregistrez d'abord le niveau global du volet automatisé."))
        result.parts = {**result.parts, part: {"level": level, "obtained_on": obtained_on.isoformat()}}
        result.recorded_by = actor if actor is not None and actor.is_authenticated else None
        result.save(update_fields=["parts", "recorded_by", "recorded_at"])
    else:
        result = mine.first() or AutomatedResult(
            candidate_id=enrolment.candidate_id, test=test, enrolment=enrolment, campaign=campaign
        )
        result.level = level
        result.obtained_on = obtained_on
        result.recorded_by = actor if actor is not None and actor.is_authenticated else None
        result.save()
    audit_record(
        actor=actor,
        action="testing.automated_result",
        target=enrolment,
        data={"level": level, "obtained_on": obtained_on.isoformat(), "part": part or None},
    )
    return result


def _csv_date(value: str) -> date:
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(value)


def automated_results_import(*, campaign: Campaign, text: str, actor: User) -> int:
    """Import automated results from CSV (header ``email`` or ``candidat``, ``partie``, ``niveau``,
    ``obtenu_le``; ``;`` or ``,``; UTF-8 with or without BOM). All or nothing: any faulty row
    refuses the file with one French reason per row. A row naming a candidate outside the actor's
    scope (another academy) is refused like an unknown one. Overall rows are recorded before part
    rows."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    fields = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    if not {"niveau", "obtenu_le"} <= fields or not fields & {"email", "candidat"}:
        raise TestingError(_("En-tête attendu : email ou candidat ; partie ; niveau ; obtenu_le."))
    enrolments = permissions.enrolments_in_scope(actor, campaign).select_related("candidate", "campaign")
    by_email = {e.candidate.email.lower(): e for e in enrolments}
    by_id = {str(e.pk): e for e in enrolments}
    rows: list[tuple[int, Enrolment, str, str, date]] = []
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {
            (k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str | None)
        }
        enrolment = by_email.get(row.get("email", "").lower()) or by_id.get(row.get("candidat", ""))
        if enrolment is None:
            errors.append(_("Ligne %(n)s : candidat introuvable dans la campagne.") % {"n": number})
            continue
        try:
            obtained_on = _csv_date(row.get("obtenu_le", ""))
        except ValueError:
            errors.append(_("Ligne %(n)s : date invalide.") % {"n": number})
            continue
        part = row.get("partie", "").lower()
        rows.append(
            (number, enrolment, "" if part in GLOBAL_PARTS else part, row.get("niveau", ""), obtained_on)
        )
    if errors:
        raise TestingError(_("Import refusé."), errors)
    with transaction.atomic():
        for number, enrolment, part, level, obtained_on in sorted(rows, key=lambda r: (r[2] != "", r[0])):
            try:
                automated_result_record(
                    enrolment=enrolment, level=level, obtained_on=obtained_on, actor=actor, part=part
                )
            except TestingError as error:
                errors.append(_("Ligne %(n)s : %(error)s") % {"n": number, "error": error})
        if errors:
            raise TestingError(_("Import refusé."), errors)
        audit_record(
            actor=actor, action="testing.automated_import", target=campaign, data={"rows": len(rows)}
        )
    return len(rows)
