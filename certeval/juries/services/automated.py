"""Writes of automated-part results: one result, or a CSV import (all or nothing)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, Enrolment
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    AutomatedResult,
)


@transaction.atomic
def automated_result_record(
    *, enrolment: Enrolment, level: str, obtained_on: date, actor: User | None, part: str = ""
) -> AutomatedResult:
    """Record the candidate's automated-part result used by the final decision; with ``part``
    (a part of ``rules.automated``, e.g. ``crcn-edu``), the level of that part only, kept beside
    the overall result, which must exist."""
    campaign = enrolment.campaign
    known = [level_id for level_id, _label in selectors.level_choices(campaign)]
    if level not in known:
        raise JuryError(_("Niveau inconnu : %(level)s.") % {"level": level})
    if obtained_on > timezone.localdate():
        raise JuryError(_("La date d'obtention ne peut pas être dans le futur."))
    if part:
        _framework, rules = selectors.framework_of(campaign.framework_version)
        parts = rules.automated.parts if rules.automated is not None else {}
        if part not in parts:
            raise JuryError(
                _("Partie inconnue : %(part)s (attendu : %(list)s).")
                % {"part": part, "list": ", ".join(parts) or _("aucune")}
            )
        result = AutomatedResult.objects.select_for_update().filter(enrolment=enrolment).first()
        if result is None:
            raise JuryError(_("Enregistrez d'abord le niveau global du volet automatisé."))
        result.parts = {**result.parts, part: {"level": level, "obtained_on": obtained_on.isoformat()}}
        result.save(update_fields=["parts"])
    else:
        result, _created = AutomatedResult.objects.update_or_create(
            enrolment=enrolment, defaults={"level": level, "obtained_on": obtained_on}
        )
    audit_record(
        actor=actor,
        action="juries.automated_result",
        target=enrolment,
        data={"level": level, "obtained_on": obtained_on.isoformat(), "part": part or None},
    )
    return result


GLOBAL_PARTS = ("", "global", "volet")


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
    refuses the file with one French reason per row. Overall rows are recorded before part rows."""
    import csv
    import io

    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    fields = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    if not {"niveau", "obtenu_le"} <= fields or not fields & {"email", "candidat"}:
        raise JuryError(_("En-tête attendu : email ou candidat ; partie ; niveau ; obtenu_le."))
    enrolments = Enrolment.objects.filter(campaign=campaign).select_related("candidate")
    by_email = {e.candidate.email.lower(): e for e in enrolments}
    by_id = {str(e.pk): e for e in enrolments}
    rows: list[tuple[int, Enrolment, str, str, date]] = []
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
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
        raise JuryError(_("Import refusé."), errors)
    with transaction.atomic():
        for number, enrolment, part, level, obtained_on in sorted(rows, key=lambda r: (r[2] != "", r[0])):
            try:
                automated_result_record(
                    enrolment=enrolment, level=level, obtained_on=obtained_on, actor=actor, part=part
                )
            except JuryError as error:
                errors.append(_("Ligne %(n)s : %(error)s") % {"n": number, "error": error})
        if errors:
            raise JuryError(_("Import refusé."), errors)
        audit_record(actor=actor, action="juries.automated_import", target=campaign, data={"rows": len(rows)})
    return len(rows)
