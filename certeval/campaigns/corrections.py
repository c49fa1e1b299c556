"""Organisers fix data: a campaign's settings, one enrolment, the session of many candidates.

Each write checks the permission, runs in one transaction with row locks and writes its audit row.
The campaign's state machine is not touched here (``services.campaign_transition``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns import notifications, permissions
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignState,
    Enrolment,
    ReviewerAssignment,
    Session,
)
from certeval.campaigns.services import CampaignError, CampaignInvalid, validation_message

CAMPAIGN_FIELDS = (
    "title",
    "deposit_deadline",
    "final_policy",
    "tie_rule",
    "oral_duration_minutes",
    "prerequisite_policy",
    "mention_4_included",
    "reading_delay_days",
    "allow_bloc_retake",
)
IDENTITY_FIELDS = ("birth_name", "usual_name", "first_names", "birth_date", "birth_place")
ENROLMENT_FIELDS = (
    "academy",
    "status",
    "status_reason",
    "extra_time_percent",
    "accessible_formats",
    "other_needs",
    "session",
)
DEPOSIT_STATES = (CampaignState.DRAFT, CampaignState.OPEN)
DECIDING_STATES = (CampaignState.DELIBERATION, CampaignState.PUBLISHED, CampaignState.ARCHIVED)


def _plain(value: Any) -> Any:
    """A value as the audit row stores it (JSON)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Academy):
        return value.code
    if isinstance(value, Session):
        return value.pk
    return value


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: User, changes: dict[str, Any]) -> Campaign:
    """Change a campaign's title, deadline and settings. What a later step already relies on is
    frozen: the deadline once the deposit is closed, the decision settings once deliberation began,
    everything once archived."""
    if not permissions.can_manage_campaign(by, campaign):
        raise CampaignError(
            _("Seuls un organisateur de toute la campagne ou un administrateur modifient ses réglages.")
        )
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    changed = {name: value for name, value in changes.items() if getattr(campaign, name) != value}
    if not changed:
        return campaign
    if campaign.state == CampaignState.ARCHIVED:
        raise CampaignError(_("La campagne est archivée : ses réglages ne changent plus."))
    if "deposit_deadline" in changed:
        if campaign.state not in DEPOSIT_STATES:
            raise CampaignError(_("Le dépôt est clos : la date limite ne change plus."))
        if changed["deposit_deadline"] <= timezone.now():
            raise CampaignError(_("La nouvelle date limite de dépôt doit être dans le futur."))
    if {"final_policy", "tie_rule"} & changed.keys() and campaign.state in DECIDING_STATES:
        raise CampaignError(
            _(
                "Les délibérations ont commencé : la politique de décision et la règle d'égalité ne changent plus."
            )
        )
    before = {name: _plain(getattr(campaign, name)) for name in changed}
    for name, value in changed.items():
        setattr(campaign, name, value)
    try:
        campaign.full_clean()
    except ValidationError as error:
        raise CampaignInvalid(validation_message(error, Campaign)) from error
    campaign.save(update_fields=list(changed))
    audit_record(
        actor=by,
        action="campaign.update",
        target=campaign,
        data={"changes": {name: [before[name], _plain(value)] for name, value in changed.items()}},
    )
    return campaign


def _organiser_scopes(user: User, campaign: Campaign) -> set[int] | None:
    """None: any academy; else the academies the user's organiser roles are limited to."""
    if is_administrator(user):
        return None
    scopes = set(
        CampaignRole.objects.filter(user=user, campaign=campaign, role=Role.ORGANISER).values_list(
            "academy_id", flat=True
        )
    )
    return None if None in scopes else {pk for pk in scopes if pk is not None}


def academies_for(user: User, campaign: Campaign) -> Any:
    """The academies this user may attach a candidate of this campaign to."""
    scopes = _organiser_scopes(user, campaign)
    return Academy.objects.all() if scopes is None else Academy.objects.filter(pk__in=scopes)


def _check_session(session: Session, campaign: Campaign, arriving: int) -> None:
    if session.campaign_id != campaign.pk:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    free = session.capacity - session.enrolments.count()
    if arriving > free:
        raise CampaignError(
            _("La session « %(label)s » n'a que %(free)s place(s) libre(s) pour %(n)s candidat(s).")
            % {"label": session.label, "free": max(free, 0), "n": arriving}
        )


@transaction.atomic
def enrolment_update(
    *, enrolment: Enrolment, by: User, identity: dict[str, Any], changes: dict[str, Any]
) -> Enrolment:
    """Correct one enrolment and the identity of its candidate.

    The identity is the person's, shared by their enrolments: only someone who manages every one
    of them (or an administrator) corrects it. An organiser limited to an academy keeps the
    candidate in their academies. A candidate placed in a jury keeps their academy (change the jury
    first). A new session is checked against its capacity and sends the convocation."""
    if not permissions.can_manage_enrolment(by, enrolment):
        raise CampaignError(_("Vous ne gérez pas cette inscription."))
    if set(identity) - set(IDENTITY_FIELDS) or set(changes) - set(ENROLMENT_FIELDS):
        raise ValueError("Unknown enrolment or identity field.")
    enrolment = (
        Enrolment.objects.select_for_update().select_related("campaign", "candidate").get(pk=enrolment.pk)
    )
    campaign = enrolment.campaign
    candidate = enrolment.candidate
    if campaign.state == CampaignState.ARCHIVED:
        raise CampaignError(_("La campagne est archivée : ses inscriptions ne changent plus."))
    identity_changed = {k: v for k, v in identity.items() if getattr(candidate, k) != v}
    changed = {k: v for k, v in changes.items() if getattr(enrolment, k) != v}
    if identity_changed:
        managed = permissions.enrolments_managed(by).values("pk")
        if candidate.enrolments.exclude(pk__in=managed).exists():
            raise CampaignError(_("Seul un administrateur peut corriger l'identité de ce candidat."))
        for name, value in identity_changed.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=["user"])
        except ValidationError as error:
            raise CampaignInvalid(validation_message(error, type(candidate))) from error
        candidate.save(update_fields=list(identity_changed))
    if "academy" in changed:
        scopes = _organiser_scopes(by, campaign)
        if scopes is not None and changed["academy"].pk not in scopes:
            raise CampaignError(
                _("Vous ne rattachez un candidat qu'à une académie dont vous avez la charge.")
            )
        if ReviewerAssignment.objects.filter(enrolment=enrolment).exists():
            raise CampaignError(
                _("Le candidat est placé dans un jury : modifiez d'abord la composition du jury.")
            )
    new_session = changed.get("session")
    if new_session is not None:
        _check_session(Session.objects.select_for_update().get(pk=new_session.pk), campaign, 1)
    status = changed.get("status", enrolment.status)
    reason = changed.get("status_reason", enrolment.status_reason)
    if status == Enrolment.Status.ELIMINATED and not str(reason).strip():
        raise CampaignError(_("Une élimination demande un motif."))
    before = {name: _plain(getattr(enrolment, name)) for name in changed}
    for name, value in changed.items():
        setattr(enrolment, name, value)
    try:
        enrolment.full_clean()
    except ValidationError as error:
        raise CampaignInvalid(validation_message(error, Enrolment)) from error
    if changed:
        enrolment.save(update_fields=list(changed))
    if changed or identity_changed:
        audit_record(
            actor=by,
            action="enrolment.update",
            target=enrolment,
            data={
                # The identity's values stay out of the log: only which fields were corrected.
                "identity_fields": sorted(identity_changed),
                "changes": {name: [before[name], _plain(value)] for name, value in changed.items()},
            },
        )
    if new_session is not None:
        notifications.enqueue(kind="convocation", enrolment_id=enrolment.pk)
    return enrolment


@transaction.atomic
def enrolments_assign_session(
    *, campaign: Campaign, enrolment_ids: list[int], session: Session, by: User
) -> list[Enrolment]:
    """Place the chosen candidates in one session, all or nothing; each one newly placed is
    convened. Every chosen enrolment must be one the user manages in this campaign."""
    ids = set(enrolment_ids)
    if not ids:
        raise CampaignError(_("Choisissez au moins un candidat."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    enrolments = list(
        permissions.enrolments_managed(by).filter(campaign=campaign, pk__in=ids).select_for_update()
    )
    if len(enrolments) != len(ids):
        raise CampaignError(_("Certains candidats choisis ne font pas partie de ceux que vous gérez."))
    moving = [e for e in enrolments if e.session_id != session.pk]
    _check_session(session, campaign, len(moving))
    for enrolment in moving:
        before = enrolment.session_id
        enrolment.session = session
        enrolment.save(update_fields=["session"])
        audit_record(
            actor=by,
            action="enrolment.assign_session",
            target=enrolment,
            data={"session": session.pk, "previous_session": before, "bulk": True},
        )
        notifications.enqueue(kind="convocation", enrolment_id=enrolment.pk)
    return moving
