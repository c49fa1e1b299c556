"""Writes of campaigns, sessions, roles and enrolments. Each is atomic and writes its audit row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns import guards, hooks, notifications, permissions, prerequisites
from certeval.campaigns.identities import Identity, identity_display_name, identity_refusal
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignState,
    CampaignTransition,
    Candidate,
    DeadlineReminder,
    Enrolment,
    PrerequisitePolicy,
    ReviewerAssignment,
    Session,
)
from certeval.core.uploads import UploadRejected, inspect_upload, normalise_name
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
    by: User,
    title: str,
    framework_version: FrameworkVersion,
    deposit_deadline: datetime,
    final_policy: str,
    tie_rule: str,
    oral_duration_minutes: int,
    academy_groups: list[list[str]] | None = None,
    prerequisite_policy: str = PrerequisitePolicy.WARN,
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
        prerequisite_policy=prerequisite_policy,
    )
    campaign.full_clean()
    campaign.save()
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
    trainer_experience_years: int | None = None
    trainer_experience: str = ""
    trainer_experience_declared: bool = False
    automated_level: str = ""
    automated_obtained_on: date | None = None
    session: Session | None = None


def _candidate_for(identity: Identity) -> Candidate:
    refusal = identity_refusal(identity)
    if refusal:
        raise CampaignError(refusal)
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
    try:
        candidate.full_clean(exclude=["user"])
    except ValidationError as error:
        raise CampaignInvalid(validation_message(error, Candidate)) from error
    candidate.save()
    return candidate


def _enrol(*, campaign: Campaign, data: EnrolmentData, by: User | None) -> Enrolment:
    if campaign.state not in ENROLLING_STATES:
        raise CampaignError(_("Les inscriptions sont closes pour cette campagne."))
    scope = permissions.academies_enrollable(by, campaign) if by is not None else None
    if scope is not None and data.academy.pk not in scope:
        raise CampaignError(
            _("Votre rôle vous permet d'inscrire seulement des candidats de votre académie (%(academy)s n'en est pas).")
            % {"academy": data.academy.name}
        )
    candidate = _candidate_for(data.identity)
    if Enrolment.objects.filter(campaign=campaign, candidate=candidate).exists():
        raise CampaignError(
            _("%(name)s est déjà inscrit à cette campagne.") % {"name": identity_display_name(data.identity)}
        )
    if data.session is not None and data.session.campaign_id != campaign.pk:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    automated = _automated_level(campaign, data)
    if campaign.prerequisite_policy == PrerequisitePolicy.REFUSE_ENROLMENT:
        typed = automated
        if typed is None:  # the person's own result, obtained in an earlier campaign, counts
            typed = prerequisites.automated_level_of(candidate.pk, campaign, on=timezone.localdate())
        refusal = prerequisites.unmet_message(
            prerequisites.evaluate(
                document=campaign.framework_version.document,
                trainer=prerequisites.TrainerDeclaration(
                    years=data.trainer_experience_years,
                    description=data.trainer_experience,
                    declared=data.trainer_experience_declared,
                ),
                automated=typed,
                today=timezone.localdate(),
            )
        )
        if refusal:
            raise CampaignError(
                _("Inscription refusée pour %(name)s. %(reason)s")
                % {"name": identity_display_name(data.identity), "reason": refusal}
            )
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
        trainer_experience_years=data.trainer_experience_years,
        trainer_experience=data.trainer_experience,
        trainer_experience_declared=data.trainer_experience_declared,
    )
    try:
        enrolment.full_clean()
    except ValidationError as error:
        raise CampaignInvalid(validation_message(error, Enrolment)) from error
    enrolment.save()
    for enrolled in hooks.ENROLLED:
        enrolled(enrolment)
    audit_record(actor=by, action="enrolment.create", target=enrolment, data={"campaign": campaign.pk})
    if automated is not None:
        prerequisites.record_automated_level(
            enrolment=enrolment, level=automated.level, obtained_on=automated.obtained_on, by=by
        )
    notifications.enqueue(kind="enrolment", enrolment_id=enrolment.pk)
    return enrolment


def _automated_level(campaign: Campaign, data: EnrolmentData) -> prerequisites.AutomatedLevel | None:
    if not data.automated_level and data.automated_obtained_on is None:
        return None
    if not data.automated_level or data.automated_obtained_on is None:
        raise CampaignError(_("Le résultat du volet automatisé demande un niveau et une date d'obtention."))
    if data.automated_level not in dict(campaign.level_choices):
        raise CampaignError(_("Niveau inconnu : %(level)s.") % {"level": data.automated_level})
    return prerequisites.AutomatedLevel(data.automated_level, data.automated_obtained_on)


@dataclass(frozen=True)
class Attestation:
    fileobj: IO[bytes]
    name: str
    size: int


@transaction.atomic
def enrolment_trainer_experience_declare(
    *,
    enrolment: Enrolment,
    by: User,
    years: int | None,
    description: str,
    declared: bool,
    attestation: Attestation | None = None,
) -> Enrolment:
    """The Facilitateur's prerequisite: a first experience as a trainer, described, and declared on
    honour or attested by a document (checked like dossier uploads, stored outside the web root)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if hooks.record_frozen(enrolment):
        raise CampaignError(_("Le dossier est figé : les prérequis ne peuvent plus être modifiés."))
    enrolment.trainer_experience_years = years
    enrolment.trainer_experience = description.strip()
    enrolment.trainer_experience_declared = declared
    data: dict[str, object] = {"years": years, "declared": declared}
    if attestation is not None:
        try:
            inspected = inspect_upload(attestation.fileobj, size=attestation.size)
        except UploadRejected as error:
            raise CampaignError(str(error)) from error
        enrolment.trainer_attestation_storage = default_storage.save(
            f"prerequis/{enrolment.campaign_id}/{enrolment.pk}/{uuid.uuid4().hex}.{inspected.type.extension}",
            attestation.fileobj,
        )
        enrolment.trainer_attestation_name = normalise_name(attestation.name, inspected.type.extension)
        enrolment.trainer_attestation_sha256 = inspected.sha256
        data["attestation_sha256"] = inspected.sha256
    enrolment.full_clean()
    enrolment.save()
    audit_record(actor=by, action="enrolment.trainer_experience", target=enrolment, data=data)
    return enrolment


def enrolment_attestation_read(*, enrolment: Enrolment, by: User) -> IO[bytes]:
    """Open the trainer-experience attestation for a permitted reader; audited."""
    with transaction.atomic():
        audit_record(actor=by, action="enrolment.attestation_download", target=enrolment)
    return default_storage.open(enrolment.trainer_attestation_storage, "rb")


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
