"""Writes of campaigns: the campaign and its state changes, sessions, staff roles and reviewers, deadline reminders. Each is atomic and writes its audit row; refusals raise ``CampaignError`` with a French message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns import guards, hooks, notifications
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignState,
    CampaignTransition,
    DeadlineReminder,
    Enrolment,
    Organisation,
    PrerequisitePolicy,
    ReviewerAssignment,
    Session,
)
from certeval.frameworks.models import FrameworkVersion


class CampaignError(Exception):
    """A refused campaign operation; the message is French and shown to the user."""


class CampaignInvalid(CampaignError):
    """Data that fails the model's validation (the API answers 422)."""


class TransitionBlocked(CampaignError):
    """A state change refused by a registered guard (``campaigns.guards``), with what is missing."""

    def __init__(self, message: str, blockers: list[str]) -> None:
        super().__init__(message)
        self.blockers = blockers


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


MAX_INTEGER = 2_147_483_647  # the largest integer every supported database stores in an integer column


@transaction.atomic
def campaign_create(
    *,
    by: User | None,
    title: str,
    framework_version: FrameworkVersion,
    deposit_deadline: datetime,
    final_policy: str,
    tie_rule: str,
    oral_duration_minutes: int,
    prerequisite_policy: str = PrerequisitePolicy.WARN,
    mention_4_included: bool = True,
    organisation: Organisation | None = None,
    reading_delay_days: int = 7,
    allow_bloc_retake: bool = False,
) -> Campaign:
    """Create a draft campaign; its creator becomes one of its organisers (``by`` is None for a command
    run by the operator, e.g. ``certeval stats import``: administrators then run it)."""
    campaign = Campaign(
        title=title,
        framework_version=framework_version,
        deposit_deadline=deposit_deadline,
        final_policy=final_policy,
        tie_rule=tie_rule,
        oral_duration_minutes=oral_duration_minutes,
        prerequisite_policy=prerequisite_policy,
        mention_4_included=mention_4_included,
        organisation=organisation,
        reading_delay_days=reading_delay_days,
        allow_bloc_retake=allow_bloc_retake,
    )
    campaign.full_clean()
    campaign.save()
    if by is not None:
        CampaignRole.objects.create(campaign=campaign, user=by, role=Role.ORGANISER)
    audit_record(actor=by, action="campaign.create", target=campaign, data={"title": title})
    return campaign


def campaign_allowed_transitions(*, campaign: Campaign) -> tuple[str, ...]:
    return TRANSITIONS[campaign.state]


def campaign_transition(
    *, campaign: Campaign, to_state: str, by: User | None, note: str = "", confirmed: bool = False
) -> Campaign:
    """Move the campaign to its next state, with a log row. Closing the deposit freezes every dossier.

    A guard registered for the target state (``campaigns.guards``, e.g. publication by ``results``)
    refuses the change with the list of what is missing (``TransitionBlocked``, logged as a refused
    attempt); when it asks for a confirmation, ``confirmed`` must be true."""
    try:
        return _transition(campaign=campaign, to_state=to_state, by=by, note=note, confirmed=confirmed)
    except TransitionBlocked as blocked:
        with transaction.atomic():
            audit_record(
                actor=by,
                action="campaign.transition",
                target=campaign,
                refused=True,
                message=str(blocked),
                data={"from": campaign.state, "to": to_state, "blockers": len(blocked.blockers)},
            )
        raise


def _transition(
    *, campaign: Campaign, to_state: str, by: User | None, note: str, confirmed: bool
) -> Campaign:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if to_state not in TRANSITIONS[campaign.state]:
            raise CampaignError(
                _("Passage impossible de « %(from)s » à « %(to)s ».")
                % {"from": campaign.get_state_display(), "to": CampaignState(to_state).label}
            )
        if to_state == CampaignState.DEPOSIT_CLOSED and timezone.now() < campaign.deposit_deadline:
            raise CampaignError(_("Le dépôt ne peut être clos qu'après la date limite."))
        target = CampaignState(to_state).label
        blockers = guards.transition_blockers(campaign, to_state, by)
        if blockers:
            raise TransitionBlocked(
                _("Passage à « %(to)s » refusé : %(n)s point(s) à régler.")
                % {"to": target, "n": len(blockers)},
                blockers,
            )
        if guards.transition_confirmation(campaign, to_state) and not confirmed:
            raise CampaignError(_("Passage à « %(to)s » : cochez la case de confirmation.") % {"to": target})
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
        for changed in hooks.STATE_CHANGED:
            changed(campaign, to_state, by)
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
    """Create a session; bad data is refused with a French ``CampaignError`` (never a model error)."""
    if not label.strip():
        raise CampaignError(_("Donnez un intitulé à la session."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise CampaignError(_("Le début et la fin de la session doivent préciser leur fuseau horaire."))
    if ends_at <= starts_at:
        raise CampaignError(_("La fin de la session doit suivre son début."))
    if capacity < 1:
        raise CampaignError(_("La capacité d'une session est d'au moins une place."))
    if capacity > MAX_INTEGER:
        raise CampaignInvalid(_("Capacité : %(max)s places au plus.") % {"max": MAX_INTEGER})
    session = Session(
        campaign=campaign,
        label=label.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        place=place,
        capacity=capacity,
    )
    try:
        session.full_clean()
    except ValidationError as error:
        raise CampaignInvalid(validation_message(error, Session)) from error
    session.save()
    audit_record(actor=by, action="session.create", target=session, data={"campaign": campaign.pk})
    return session


def validation_message(error: ValidationError, model: type[models.Model]) -> str:
    """A model's validation errors as one French sentence, each prefixed by its field's name."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        if name == NON_FIELD_ERRORS:
            parts.extend(messages)
            continue
        try:
            # A validation error is keyed by a field of the model, never by a relation.
            label = capfirst(str(cast("models.Field[Any, Any]", model._meta.get_field(name)).verbose_name))
        except FieldDoesNotExist:
            label = name
        parts.append(_("%(field)s : %(errors)s") % {"field": label, "errors": " ".join(messages)})
    return " ".join(parts)


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
    if session is not None and session.campaign_id != campaign.pk:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    grant, created = CampaignRole.objects.get_or_create(
        campaign=campaign, user=user, role=role, academy=academy, session=session
    )
    if created:
        audit_record(
            actor=by,
            action="campaign.role_grant",
            target=campaign,
            person=user,
            data={
                "user": user.pk,
                "email": user.email,
                "role": role,
                "academy": academy.code if academy else None,
                "session": session.pk if session else None,
            },
        )
    return grant


@transaction.atomic
def campaign_role_grant_by_email(
    *,
    campaign: Campaign,
    email: str,
    role: Role,
    by: User,
    first_name: str = "",
    last_name: str = "",
    academy: Academy | None = None,
    session: Session | None = None,
) -> CampaignRole:
    """Grant a role to the person with this address, creating their account (without a password)
    when new; they are told by e-mail, with the link to choose a password when they have none."""
    address = email.strip().lower()
    user = User.objects.filter(email=address).first()
    if user is None:
        user = User.objects.create_user(address, None, first_name=first_name, last_name=last_name)
        audit_record(actor=by, action="account.create", target=user, data={"email": address})
    if CampaignRole.objects.filter(
        campaign=campaign, user=user, role=role, academy=academy, session=session
    ).exists():
        raise CampaignError(_("%(email)s a déjà ce rôle sur la campagne.") % {"email": address})
    grant = campaign_role_grant(
        campaign=campaign, user=user, role=role, by=by, academy=academy, session=session
    )
    notifications.enqueue_role_granted(role_id=grant.pk)
    return grant


@transaction.atomic
def campaign_role_revoke(*, grant: CampaignRole, by: User) -> None:
    """Withdraw a staff role; the last organiser of a campaign without academy scope stays."""
    campaign = Campaign.objects.select_for_update().get(pk=grant.campaign_id)
    if (
        grant.role == Role.ORGANISER
        and grant.academy_id is None
        and not campaign.roles.filter(role=Role.ORGANISER, academy__isnull=True).exclude(pk=grant.pk).exists()
    ):
        raise CampaignError(
            _("La campagne doit garder au moins un organisateur sans restriction d'académie.")
        )
    audit_record(
        actor=by,
        action="campaign.role_revoke",
        target=campaign,
        person=grant.user,
        data={
            "user": grant.user_id,
            "email": grant.user.email,
            "role": grant.role,
            "academy": grant.academy.code if grant.academy else None,
            "session": grant.session_id,
        },
    )
    CampaignRole.objects.filter(pk=grant.pk).delete()


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


def deadline_reminders_due(*, days: int, now: datetime | None = None) -> int:
    """Send the J-``days`` deadline reminder to every enrolled candidate of an open campaign whose
    deadline falls within ``days`` days and whose dossier is still a draft — once per enrolment and
    window (``DeadlineReminder``), so running it every minute sends each reminder once."""
    now = now or timezone.now()
    sent = 0
    campaigns = Campaign.objects.filter(
        state=CampaignState.OPEN, deposit_deadline__gt=now, deposit_deadline__lte=now + timedelta(days=days)
    )
    for campaign in campaigns:
        with transaction.atomic():
            pending = (
                campaign.enrolments.select_for_update()
                .filter(status=Enrolment.Status.ENROLLED, dossier__state="draft")
                .exclude(deadline_reminders__days_before=days)
            )
            ids = list(pending.values_list("pk", flat=True))
            for enrolment_id in ids:
                DeadlineReminder.objects.create(enrolment_id=enrolment_id, days_before=days, sent_at=now)
                notifications.enqueue(kind="deadline_reminder", enrolment_id=enrolment_id)
            if ids:
                audit_record(
                    actor=None,
                    action="campaign.deadline_reminders",
                    target=campaign,
                    data={"count": len(ids), "days_before": days},
                )
        sent += len(ids)
    return sent
