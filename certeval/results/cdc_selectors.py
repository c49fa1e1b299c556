"""Reads of the holders' declaration to the Caisse des Dépôts: the declaration settings of a
campaign's référentiel, its holders with what they lack, the files sent and the rows read back
(the caller has already checked permissions with certeval.results.permissions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Enrolment
from certeval.domain import cdc
from certeval.juries.models import Deliberation, OralSlot
from certeval.results.cdc_defaults import DEFAULT_CDC
from certeval.results.models import CdcAcknowledgement, CdcHolderData, CdcPassage, CdcSettings, CdcSubmission
from certeval.results.selectors import RESULT_STATES

WHOLE = ""  # the bloc code of a passage for the whole certification


def cdc_settings() -> dict[str, Any]:
    """``CERTEVAL_CDC`` over its documented defaults (a key left out keeps its default)."""
    merged = {**DEFAULT_CDC, **(getattr(settings, "CERTEVAL_CDC", {}) or {})}
    merged["frameworks"] = {**DEFAULT_CDC["frameworks"], **(merged.get("frameworks") or {})}
    return merged


@dataclass(frozen=True)
class DeclarationConfig:
    framework_id: str
    framework_title: str
    declares: bool
    type: str
    code: str
    declarant: cdc.Declarant
    validity_years: int | None
    deadline_months: int
    reminder_days: int
    xsd_path: str
    problems: list[str] = field(default_factory=list)


def declaration_config(campaign: Campaign) -> DeclarationConfig:
    """How the campaign's référentiel is declared: ``CERTEVAL_CDC``, overridden by its ``CdcSettings``."""
    values = cdc_settings()
    version = campaign.framework_version
    framework_id = version.framework_id
    own: dict[str, Any] = dict(values["frameworks"].get(framework_id) or {})
    row = CdcSettings.objects.filter(framework_id=framework_id).first()
    declares = bool(own) if row is None else row.declares
    type_ = (row.certification_type if row and row.certification_type else "") or own.get("type", "")
    code = (row.code if row and row.code else "") or own.get("code", "")
    certifier = (row.certifier_id if row and row.certifier_id else "") or own.get("certifier_id") or ""
    certifier = certifier or values["certifier_id"]
    contract = (row.contract_id if row and row.contract_id else "") or own.get("contract_id") or ""
    contract = contract or values["contract_id"]
    declarant = cdc.Declarant(
        emitter_id=values["emitter_id"] or certifier, certifier_id=certifier, contract_id=contract
    )
    problems: list[str] = []
    if declares:
        problems = cdc.declarant_problems(declarant) + cdc.certification_problems(version.title, type_, code)
    return DeclarationConfig(
        framework_id=framework_id,
        framework_title=version.title,
        declares=declares,
        type=type_,
        code=code,
        declarant=declarant,
        validity_years=own.get("validity_years"),
        deadline_months=int(values["deadline_months"]),
        reminder_days=int(values["reminder_days"]),
        xsd_path=str(values.get("xsd_path") or ""),
        problems=problems,
    )


def certified_deliberations(campaign: Campaign) -> dict[int, Deliberation]:
    """By enrolment: the latest deliberation of each oral, when it is validated and certified."""
    latest: dict[int, Deliberation] = {}
    deliberations = (
        Deliberation.objects.filter(slot__jury__campaign=campaign)
        .only("slot_id", "number", "state", "outcome", "validated_at")
        .order_by("slot_id", "number")
    )
    for deliberation in deliberations:
        latest[deliberation.slot_id] = deliberation
    slots = {d.slot_id for d in latest.values()}
    by_slot = dict(OralSlot.objects.filter(pk__in=slots).values_list("pk", "enrolment_id"))
    return {
        by_slot[slot_id]: d
        for slot_id, d in latest.items()
        if d.state == Deliberation.State.VALIDATED
        and d.outcome == Deliberation.Outcome.CERTIFIED
        and slot_id in by_slot
    }


@dataclass(frozen=True)
class HolderRow:
    enrolment: Enrolment
    passage: CdcPassage | None
    holder: cdc.Holder
    problems: list[str]
    award_date: date | None
    deadline: date | None
    status: str
    status_label: str
    reason: str

    @property
    def to_send(self) -> bool:
        return self.status != CdcPassage.Status.ACCEPTED


def holder_data_of(
    enrolment: Enrolment,
    passage: CdcPassage | None,
    award: date | None,
    extras: dict[int, CdcHolderData],
) -> cdc.Holder:
    """What the flux sends of a holder: the candidate's identity and their ``CdcHolderData``
    (``extras``: read once for all holders, by candidate id)."""
    candidate = enrolment.candidate
    extra = extras.get(candidate.pk)
    return cdc.Holder(
        technical_id=str(passage.technical_id) if passage is not None else "",
        birth_name=candidate.birth_name,
        usual_name=candidate.usual_name,
        first_names=candidate.first_names,
        birth_date=candidate.birth_date,
        sex=extra.sex if extra else "",
        award_date=award,
        birth_insee_code=extra.birth_insee_code if extra else "",
        birth_place=candidate.birth_place,
    )


def holder_rows(campaign: Campaign, enrolments: QuerySet[Enrolment] | None = None) -> list[HolderRow]:
    """The campaign's holders (validated certified decision, results published), among
    ``enrolments`` when given (an organiser's scope), with their passage and what they lack."""
    if campaign.state not in RESULT_STATES:
        return []
    config = declaration_config(campaign)
    decided = certified_deliberations(campaign)
    chosen = Enrolment.objects.filter(pk__in=decided).select_related("candidate", "academy")
    if enrolments is not None:
        chosen = chosen.filter(pk__in=enrolments.values("pk"))
    passages = {p.enrolment_id: p for p in CdcPassage.objects.filter(enrolment__in=chosen, bloc_code=WHOLE)}
    extras = {d.candidate_id: d for d in CdcHolderData.objects.filter(candidate__enrolments__in=chosen)}
    rows = []
    for enrolment in sorted(chosen, key=lambda e: (e.candidate.birth_name.lower(), e.pk)):
        validated_at = decided[enrolment.pk].validated_at
        award = timezone.localtime(validated_at).date() if validated_at else None
        passage = passages.get(enrolment.pk)
        holder = holder_data_of(enrolment, passage, award, extras)
        status = passage.status if passage else CdcPassage.Status.PENDING
        rows.append(
            HolderRow(
                enrolment=enrolment,
                passage=passage,
                holder=holder,
                problems=cdc.holder_problems(holder),
                award_date=award,
                deadline=cdc.declaration_deadline(award, config.deadline_months) if award else None,
                status=status,
                status_label=str(CdcPassage.Status(status).label),
                reason=passage.reason if passage else "",
            )
        )
    return rows


@dataclass(frozen=True)
class DeadlineNotice:
    deadline: date
    holders: int
    due: bool
    overdue: bool


def deadline_notice(
    campaign: Campaign, rows: list[HolderRow], today: date | None = None
) -> DeadlineNotice | None:
    """The nearest deadline among the holders still to declare (pending or rejected), and whether
    the reminder is due (from ``reminder_days`` before it)."""
    today = today or timezone.localdate()
    config = declaration_config(campaign)
    waiting = [
        r
        for r in rows
        if r.deadline is not None and r.status in (CdcPassage.Status.PENDING, CdcPassage.Status.REJECTED)
    ]
    if not config.declares or not waiting:
        return None
    deadline = min(r.deadline for r in waiting if r.deadline is not None)
    return DeadlineNotice(
        deadline=deadline,
        holders=len(waiting),
        due=cdc.reminder_due(today, deadline, config.reminder_days),
        overdue=today > deadline,
    )


def submissions_of(campaign: Campaign) -> QuerySet[CdcSubmission]:
    return CdcSubmission.objects.filter(campaign=campaign).select_related("produced_by").defer("content")


def rejected_acknowledgements(campaign: Campaign, enrolments: QuerySet[Enrolment] | None = None) -> list[Any]:
    """The latest rejection of each passage still rejected (the row to correct)."""
    passages = CdcPassage.objects.filter(enrolment__campaign=campaign, status=CdcPassage.Status.REJECTED)
    if enrolments is not None:
        passages = passages.filter(enrolment__in=enrolments.values("pk"))
    latest: dict[int, CdcAcknowledgement] = {}
    rejections = (
        CdcAcknowledgement.objects.filter(passage__in=passages, status=CdcAcknowledgement.Status.REJECTED)
        .select_related("passage__enrolment__candidate")
        .order_by("passage_id", "-imported_at", "-pk")
    )
    for ack in rejections:  # one query; the first row of each passage is its latest rejection
        latest.setdefault(ack.passage_id, ack)
    return list(latest.values())


def status_summary(rows: list[HolderRow]) -> str:
    counts = {status: 0 for status in CdcPassage.Status.values}
    for row in rows:
        counts[row.status] += 1
    return _(
        "%(pending)s à déclarer, %(sent)s envoyé(s), %(accepted)s accepté(s), %(rejected)s rejeté(s)"
    ) % {
        "pending": counts["pending"],
        "sent": counts["sent"],
        "accepted": counts["accepted"],
        "rejected": counts["rejected"],
    }
