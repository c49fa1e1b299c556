"""Writes of campaigns, sessions, roles and enrolments. Each is atomic and writes its audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns import notifications
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignState,
    CampaignTransition,
    Candidate,
    Enrolment,
    ReviewerAssignment,
    Session,
)
from certeval.frameworks.models import FrameworkVersion


class CampaignError(Exception):
    """A refused campaign operation; the message is French and shown to the user."""


# Allowed transitions: each state leads to the next one only (see docs/campaigns.md).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CampaignState.DRAFT: (CampaignState.OPEN,),
    CampaignState.OPEN: (CampaignState.DEPOSIT_CLOSED,),
    CampaignState.DEPOSIT_CLOSED: (CampaignState.JURIES,),
    CampaignState.JURIES: (CampaignState.DELIBERATION,),
    CampaignState.DELIBERATION: (CampaignState.PUBLISHED,),
    CampaignState.PUBLISHED: (CampaignState.ARCHIVED,),
    CampaignState.ARCHIVED: (),
}
ENROLLING_STATES = (CampaignState.DRAFT, CampaignState.OPEN)


@transaction.atomic
def campaign_create(
    *,
    by: User,
    title: str,
    framework_version: FrameworkVersion,
    deposit_deadline: datetime,
    final_policy: str,
    tie_rule: str,
    oral_duration_minutes: int,
    academy_groups: list[list[str]] | None = None,
) -> Campaign:
    """Create a draft campaign; its creator becomes one of its organisers."""
    campaign = Campaign(
        title=title,
        framework_version=framework_version,
        deposit_deadline=deposit_deadline,
        final_policy=final_policy,
        tie_rule=tie_rule,
        oral_duration_minutes=oral_duration_minutes,
        academy_groups=academy_groups or [],
    )
    campaign.full_clean()
    campaign.save()
    CampaignRole.objects.create(campaign=campaign, user=by, role=Role.ORGANISER)
    audit_record(actor=by, action="campaign.create", target=campaign, data={"title": title})
    return campaign


def campaign_allowed_transitions(*, campaign: Campaign) -> tuple[str, ...]:
    return TRANSITIONS[campaign.state]


def campaign_transition(*, campaign: Campaign, to_state: str, by: User | None, note: str = "") -> Campaign:
    """Move the campaign to its next state, with a log row. Closing the deposit freezes every dossier."""
    from certeval.dossiers.services import dossiers_close_deposit

    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if to_state not in TRANSITIONS[campaign.state]:
            raise CampaignError(
                _("Passage impossible de « %(from)s » à « %(to)s ».")
                % {"from": campaign.get_state_display(), "to": CampaignState(to_state).label}
            )
        if to_state == CampaignState.DEPOSIT_CLOSED and timezone.now() < campaign.deposit_deadline:
            raise CampaignError(_("Le dépôt ne peut être clos qu'après la date limite."))
        from_state = campaign.state
        campaign.state = to_state
        campaign.save(update_fields=["state"])
        CampaignTransition.objects.create(
            campaign=campaign, from_state=from_state, to_state=to_state, by=by, note=note
        )
        audit_record(
            actor=by,
            action="campaign.transition",
            target=campaign,
            message=note,
            data={"from": from_state, "to": to_state},
        )
        if to_state == CampaignState.DEPOSIT_CLOSED:
            dossiers_close_deposit(campaign=campaign, by=by)
    return campaign


@transaction.atomic
def session_create(
    *,
    campaign: Campaign,
    by: User,
    label: str,
    starts_at: datetime,
    ends_at: datetime,
    mode: str,
    place: str = "",
    capacity: int = 30,
) -> Session:
    session = Session(
        campaign=campaign,
        label=label,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        place=place,
        capacity=capacity,
    )
    session.full_clean()
    if session.ends_at <= session.starts_at:
        raise CampaignError(_("La fin de la session doit suivre son début."))
    session.save()
    audit_record(actor=by, action="session.create", target=session, data={"campaign": campaign.pk})
    return session


@transaction.atomic
def campaign_role_grant(
    *,
    campaign: Campaign,
    user: User,
    role: Role,
    by: User | None,
    academy: Academy | None = None,
    session: Session | None = None,
) -> CampaignRole:
    grant, _created = CampaignRole.objects.get_or_create(
        campaign=campaign, user=user, role=role, academy=academy, session=session
    )
    audit_record(
        actor=by, action="campaign.role_grant", target=campaign, data={"user": user.pk, "role": role}
    )
    return grant


@transaction.atomic
def reviewer_assign(*, enrolment: Enrolment, user: User, role: Role, by: User | None) -> ReviewerAssignment:
    """Let a juror or president read one candidate's frozen dossier (used by jury composition)."""
    if role not in (Role.JUROR, Role.PRESIDENT):
        raise CampaignError(_("Seuls les jurés et les présidents de jury lisent les dossiers."))
    assignment, _created = ReviewerAssignment.objects.update_or_create(
        enrolment=enrolment, user=user, defaults={"role": role}
    )
    audit_record(
        actor=by, action="enrolment.reviewer_assign", target=enrolment, data={"user": user.pk, "role": role}
    )
    return assignment


@dataclass(frozen=True)
class Identity:
    birth_name: str
    first_names: str
    birth_date: date
    email: str
    usual_name: str = ""
    birth_place: str = ""


@dataclass(frozen=True)
class EnrolmentData:
    identity: Identity
    academy: Academy
    school_level: str
    training: str
    target_level: str = ""
    extra_time_percent: int = 0
    accessible_formats: str = ""
    other_needs: str = ""
    prerequisites: dict[str, Any] = field(default_factory=dict)
    session: Session | None = None


def _candidate_for(identity: Identity) -> Candidate:
    email = identity.email.strip().lower()
    candidate = Candidate.objects.filter(email=email).first()
    if candidate is not None:
        return candidate
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            None,
            first_name=identity.first_names.split(" ")[0],
            last_name=identity.usual_name or identity.birth_name,
        )
    candidate = Candidate(
        user=user,
        email=email,
        birth_name=identity.birth_name,
        usual_name=identity.usual_name,
        first_names=identity.first_names,
        birth_date=identity.birth_date,
        birth_place=identity.birth_place,
    )
    candidate.full_clean(exclude=["user"])
    candidate.save()
    return candidate


def _enrol(*, campaign: Campaign, data: EnrolmentData, by: User | None) -> Enrolment:
    from certeval.dossiers.models import Dossier

    if campaign.state not in ENROLLING_STATES:
        raise CampaignError(_("Les inscriptions sont closes pour cette campagne."))
    candidate = _candidate_for(data.identity)
    if Enrolment.objects.filter(campaign=campaign, candidate=candidate).exists():
        raise CampaignError(
            _("%(name)s est déjà inscrit à cette campagne.") % {"name": candidate.display_name}
        )
    if data.session is not None and data.session.campaign_id != campaign.pk:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    enrolment = Enrolment(
        campaign=campaign,
        candidate=candidate,
        session=data.session,
        academy=data.academy,
        school_level=data.school_level,
        training=data.training,
        target_level=data.target_level,
        extra_time_percent=data.extra_time_percent,
        accessible_formats=data.accessible_formats,
        other_needs=data.other_needs,
        prerequisites=data.prerequisites,
    )
    enrolment.full_clean()
    enrolment.save()
    Dossier.objects.create(enrolment=enrolment)
    audit_record(actor=by, action="enrolment.create", target=enrolment, data={"campaign": campaign.pk})
    notifications.enqueue(kind="enrolment", enrolment_id=enrolment.pk)
    return enrolment


@transaction.atomic
def enrolment_create(*, campaign: Campaign, data: EnrolmentData, by: User | None) -> Enrolment:
    """Enrol one candidate (creating their account when new) and open their dossier."""
    return _enrol(campaign=campaign, data=data, by=by)


@transaction.atomic
def enrolment_bulk_import(*, campaign: Campaign, rows: list[EnrolmentData], by: User) -> list[Enrolment]:
    """Enrol every row, all or nothing."""
    enrolments = [_enrol(campaign=campaign, data=row, by=by) for row in rows]
    audit_record(actor=by, action="enrolment.bulk_import", target=campaign, data={"count": len(enrolments)})
    return enrolments


@transaction.atomic
def enrolment_assign_session(*, enrolment: Enrolment, session: Session, by: User) -> Enrolment:
    """Place a candidate in a session and send their convocation."""
    if session.campaign_id != enrolment.campaign_id:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    if session.enrolments.exclude(pk=enrolment.pk).count() >= session.capacity:
        raise CampaignError(_("La session « %(label)s » est complète.") % {"label": session.label})
    enrolment.session = session
    enrolment.save(update_fields=["session"])
    audit_record(actor=by, action="enrolment.assign_session", target=enrolment, data={"session": session.pk})
    notifications.enqueue(kind="convocation", enrolment_id=enrolment.pk)
    return enrolment


@transaction.atomic
def campaign_send_deadline_reminders(*, campaign: Campaign, by: User) -> int:
    """E-mail a reminder to every enrolled candidate whose dossier is still open; returns the count."""
    if campaign.state != CampaignState.OPEN:
        raise CampaignError(_("Les rappels ne partent que pendant la période de dépôt."))
    pending = campaign.enrolments.filter(status=Enrolment.Status.ENROLLED, dossier__state="draft")
    ids = list(pending.values_list("pk", flat=True))
    for enrolment_id in ids:
        notifications.enqueue(kind="deadline_reminder", enrolment_id=enrolment_id)
    audit_record(actor=by, action="campaign.deadline_reminders", target=campaign, data={"count": len(ids)})
    return len(ids)
