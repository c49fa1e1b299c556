"""Writes of enrolments: one candidate or an import (all or nothing), identities never disclosed nor merged, the trainer-experience prerequisite, session placement. Each is atomic and writes its audit row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns import hooks, notifications, permissions, prerequisites
from certeval.campaigns.identities import Identity, identity_display_name, identity_refusal
from certeval.campaigns.inspe_mentions import mention_refusal
from certeval.campaigns.models import (
    Academy,
    Campaign,
    Candidate,
    Enrolment,
    PrerequisitePolicy,
    Session,
)
from certeval.campaigns.services import ENROLLING_STATES, CampaignError, CampaignInvalid, validation_message
from certeval.campaigns.titre_services import checked_blocs
from certeval.core.uploads import Inspected, UploadRejected, inspect_upload, normalise_name


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
    learner_accompaniment: str = ""
    automated_level: str = ""
    automated_obtained_on: date | None = None
    session: Session | None = None
    mention: int | None = None
    # Title by blocs: the blocs presented (empty: every bloc not yet held).
    blocs: tuple[str, ...] = ()


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
            _(
                "Votre rôle vous permet d'inscrire seulement des candidats de votre académie (%(academy)s n'en est pas)."
            )
            % {"academy": data.academy.name}
        )
    candidate = _candidate_for(data.identity)
    if Enrolment.objects.filter(campaign=campaign, candidate=candidate).exists():
        raise CampaignError(
            _("%(name)s est déjà inscrit à cette campagne.") % {"name": identity_display_name(data.identity)}
        )
    if data.session is not None and data.session.campaign_id != campaign.pk:
        raise CampaignError(_("Cette session n'appartient pas à la campagne."))
    mention_error = mention_refusal(campaign, data.training, data.mention)
    if mention_error:
        raise CampaignError(mention_error)
    automated = _automated_level(campaign, data)
    blocs = _blocs(campaign, candidate, data)
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
                    accompaniment=data.learner_accompaniment,
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
        mention=data.mention,
        extra_time_percent=data.extra_time_percent,
        accessible_formats=data.accessible_formats,
        other_needs=data.other_needs,
        trainer_experience_years=data.trainer_experience_years,
        trainer_experience=data.trainer_experience,
        trainer_experience_declared=data.trainer_experience_declared,
        learner_accompaniment=data.learner_accompaniment,
        blocs=blocs,
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


def _blocs(campaign: Campaign, candidate: Candidate, data: EnrolmentData) -> list[str]:
    """The blocs chosen at enrolment, checked (title by blocs only; none chosen: every bloc not
    yet held, decided when the record is read)."""
    if not data.blocs:
        return []
    return checked_blocs(campaign, candidate.pk, data.blocs)


def _automated_level(campaign: Campaign, data: EnrolmentData) -> prerequisites.AutomatedLevel | None:
    if not data.automated_level and data.automated_obtained_on is None:
        return None
    if not data.automated_level or data.automated_obtained_on is None:
        raise CampaignError(_("Le résultat du volet automatisé demande un niveau et une date d'obtention."))
    if data.automated_level not in dict(campaign.level_choices):
        raise CampaignError(_("Niveau inconnu : %(level)s.") % {"level": data.automated_level})
    return prerequisites.AutomatedLevel(data.automated_level, data.automated_obtained_on)


@dataclass
class Attestation:
    fileobj: IO[bytes]
    name: str
    size: int
    content_type: str | None = None
    # Filled in by the declaration: what was removed before storing (a sanitised PDF), in French.
    notice: str = ""


def enrolment_trainer_experience_declare(
    *,
    enrolment: Enrolment,
    by: User,
    years: int | None,
    description: str,
    declared: bool,
    attestation: Attestation | None = None,
    accompaniment: str | None = None,
) -> Enrolment:
    """The Facilitateur's prerequisite: a first experience as a trainer, described, and declared on
    honour or attested by a document (checked like dossier uploads, stored outside the web root).

    The attestation is inspected (and scanned) and its bytes stored before the write transaction;
    a refusal stores nothing, and the stored bytes are deleted if the declaration is refused."""
    inspected: Inspected | None = None
    storage_name = ""
    if attestation is not None:
        try:
            inspected = inspect_upload(
                attestation.fileobj,
                size=attestation.size,
                name=attestation.name,
                content_type=attestation.content_type,
            )
        except UploadRejected as error:
            raise CampaignError(str(error)) from error
        storage_name = default_storage.save(
            f"prerequis/{enrolment.campaign_id}/{enrolment.pk}/{uuid.uuid4().hex}.{inspected.type.extension}",
            attestation.fileobj if inspected.content is None else ContentFile(inspected.content),
        )
        attestation.notice = inspected.notice
    try:
        return _declare_trainer_experience(
            enrolment=enrolment,
            by=by,
            years=years,
            description=description,
            declared=declared,
            attestation=attestation,
            accompaniment=accompaniment,
            inspected=inspected,
            storage_name=storage_name,
        )
    except BaseException:
        if storage_name:
            default_storage.delete(storage_name)
        raise


@transaction.atomic
def _declare_trainer_experience(
    *,
    enrolment: Enrolment,
    by: User,
    years: int | None,
    description: str,
    declared: bool,
    attestation: Attestation | None,
    accompaniment: str | None,
    inspected: Inspected | None,
    storage_name: str,
) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if hooks.record_frozen(enrolment):
        raise CampaignError(_("Le dossier est figé : les prérequis ne peuvent plus être modifiés."))
    enrolment.trainer_experience_years = years
    enrolment.trainer_experience = description.strip()
    enrolment.trainer_experience_declared = declared
    data: dict[str, object] = {"years": years, "declared": declared}
    if accompaniment is not None:
        enrolment.learner_accompaniment = accompaniment
        data["accompaniment"] = accompaniment
    if attestation is not None and inspected is not None:
        enrolment.trainer_attestation_storage = storage_name
        enrolment.trainer_attestation_name = normalise_name(attestation.name, inspected.type.extension)
        enrolment.trainer_attestation_sha256 = inspected.sha256
        data["attestation_sha256"] = inspected.sha256
        if inspected.notice:
            data["attestation_sanitised"] = inspected.notice
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
