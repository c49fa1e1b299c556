"""Reads of the audit log (the caller has already checked permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Q

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.core.dates import PARIS

# What a candidate sees of their dossier's history: their own actions and the deposit's milestones.
CANDIDATE_HISTORY_ACTIONS = (
    "dossier.upload",
    "dossier.withdraw",
    "dossier.submit",
    "dossier.freeze",
    "dossier.not_deposited",
    "dossier.receipt",
    "dossier.receipt_email",
)


def audit_events_for(*, target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


def _targets(label: str, ids: models.QuerySet[Any, Any]) -> Q:
    return Q(target_type=label, target_id__in=[str(pk) for pk in ids])


def audit_events_of_campaign(
    *, campaign: Any, people: models.QuerySet[Any] | None = None
) -> models.QuerySet[AuditEvent]:
    """Every event about the campaign: on it, its sessions, enrolments, dossiers, juries and orals
    (``audit_record`` stores the campaign of each row). With ``people`` (the candidates of an
    organiser limited to an academy), only the rows about those people, the campaign and its sessions."""
    rows = AuditEvent.objects.filter(
        Q(campaign=campaign) | Q(target_type="campaigns.campaign", target_id=str(campaign.pk))
    )
    if people is not None:
        rows = rows.filter(
            Q(person__in=people) | Q(target_type__in=("campaigns.campaign", "campaigns.session"))
        )
    return rows.select_related("actor")


def dossier_history(*, dossier: models.Model, candidate_user: models.Model) -> models.QuerySet[AuditEvent]:
    """A candidate's view of their dossier: deposit milestones, and the downloads they made."""
    return audit_events_for(target=dossier).filter(
        Q(action__in=CANDIDATE_HISTORY_ACTIONS) | Q(actor=candidate_user)
    )


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    person: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS)


def audit_events_filtered(
    events: models.QuerySet[AuditEvent], criteria: AuditFilter
) -> models.QuerySet[AuditEvent]:
    """Narrow events by action, actor and person concerned (e-mail or name, part of it), object and
    Paris calendar days."""
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.actor:
        events = events.filter(
            Q(actor__email__icontains=criteria.actor)
            | Q(actor__last_name__icontains=criteria.actor)
            | Q(actor__first_name__icontains=criteria.actor)
        )
    if criteria.person:
        events = events.filter(
            Q(person__email__icontains=criteria.person)
            | Q(person__last_name__icontains=criteria.person)
            | Q(person__first_name__icontains=criteria.person)
        )
    if criteria.target_type:
        events = events.filter(target_type=criteria.target_type)
    if criteria.target_id:
        events = events.filter(target_id=criteria.target_id)
    if criteria.date_from:
        events = events.filter(at__gte=_paris_midnight(criteria.date_from))
    if criteria.date_to:
        events = events.filter(at__lt=_paris_midnight(criteria.date_to + timedelta(days=1)))
    return events


def audit_actions(events: models.QuerySet[AuditEvent]) -> list[str]:
    return sorted(set(events.values_list("action", flat=True)))


def audit_target_types(events: models.QuerySet[AuditEvent]) -> list[str]:
    return sorted(set(events.values_list("target_type", flat=True)))


def audit_events_about_person(*, person: User) -> models.QuerySet[AuditEvent]:
    """Every row about a person (the candidate or juror an action concerned), in every campaign:
    what an RGPD access request returns, with ``audit_events_by_person``."""
    return AuditEvent.objects.filter(person=person).select_related("actor", "campaign")


def audit_events_by_person(*, person: User) -> models.QuerySet[AuditEvent]:
    """Every row of an action the person made."""
    return AuditEvent.objects.filter(actor=person).select_related("person", "campaign")


def audit_events_of_person(*, person: User) -> models.QuerySet[AuditEvent]:
    """A person's whole trace in the log: the actions about them and the actions they made."""
    return AuditEvent.objects.filter(Q(person=person) | Q(actor=person)).select_related(
        "actor", "person", "campaign"
    )
