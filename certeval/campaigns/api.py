"""Campaigns, sessions and enrolments through the API, with the same permission rules as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.accounts.reauth import posted, require_recent_authentication
from certeval.accounts.roles import STAFF_ROLES, Role
from certeval.campaigns import enrolments, hooks, permissions, prerequisites, selectors, services
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, CampaignRole, CampaignState, Enrolment, Session
from certeval.core.api_schemas import ErrorOut
from certeval.core.body_limits import UPLOAD, body_limit

router = Router(tags=["campagnes"])


class RegroupementOut(Schema):
    id: int
    name: str
    academies: list[str]
    president: str | None


class CampaignOut(Schema):
    id: int
    title: str
    framework_id: str
    framework_version: int
    state: str
    deposit_deadline: datetime
    final_policy: str
    tie_rule: str
    oral_duration_minutes: int
    reading_delay_days: int
    academy_groups: list[list[str]]
    regroupements: list[RegroupementOut]


class TransitionIn(Schema):
    to_state: str
    note: str = ""
    confirm: bool = False


class TransitionBlockedOut(Schema):
    detail: str
    blockers: list[str]


class SessionOut(Schema):
    id: int
    label: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str
    capacity: int


class SessionIn(Schema):
    label: str
    starts_at: datetime
    ends_at: datetime
    mode: str = "onsite"
    place: str = ""
    capacity: int = 30


class EnrolmentOut(Schema):
    id: int
    candidate: str
    email: str
    academy: str
    school_level: str
    training: str
    target_level: str
    mention: int | None
    session_id: int | None
    status: str
    dossier_state: str


class EnrolmentIn(Schema):
    birth_name: str
    first_names: str
    birth_date: date
    email: str
    academy: str
    school_level: str
    training: str
    usual_name: str = ""
    birth_place: str = ""
    target_level: str = ""
    extra_time_percent: int = 0
    accessible_formats: str = ""
    other_needs: str = ""
    session_id: int | None = None
    # The master MEEF mention (1–4) of a référentiel with mentions (INSPÉ), required in initial training.
    mention: int | None = None


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "framework_id": c.framework_version.framework_id,
        "framework_version": c.framework_version.version_number,
        "state": c.state,
        "deposit_deadline": c.deposit_deadline,
        "final_policy": c.final_policy,
        "tie_rule": c.tie_rule,
        "oral_duration_minutes": c.oral_duration_minutes,
        "reading_delay_days": c.reading_delay_days,
        "academy_groups": selectors.academy_groups(c),
        "regroupements": [
            {
                "id": r.pk,
                "name": r.name,
                "academies": [a.code for a in r.academies.all()],
                "president": r.president.email if r.president else None,
            }
            for r in selectors.regroupements_of(c)
        ],
    }


def _enrolment_out(e: Enrolment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "candidate": e.candidate.display_name,
        "email": e.candidate.email,
        "academy": e.academy.code,
        "school_level": e.school_level,
        "training": e.training,
        "target_level": e.target_level,
        "mention": e.mention,
        "session_id": e.session_id,
        "status": e.status,
        "dossier_state": e.dossier.state if hasattr(e, "dossier") else "",
    }


def _managed(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        permissions.campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


def _run(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    """A campaign the user runs as a whole (not limited to an academy)."""
    return get_visible_or_404(
        permissions.campaigns_run(request.user).select_related("framework_version"), pk=campaign_id
    )


@router.get("/", response=list[CampaignOut], summary="Campaigns the user runs")
def list_campaigns(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [
        _campaign_out(c)
        for c in permissions.campaigns_managed(request.user).select_related("framework_version")
    ]


@router.get("/{campaign_id}", response=CampaignOut, summary="One campaign")
def get_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> dict[str, Any]:
    return _campaign_out(_managed(request, campaign_id))


@router.post(
    "/{campaign_id}/transitions",
    response={200: CampaignOut, 422: TransitionBlockedOut},
    summary="Move the campaign to its next state",
    description="A guarded state (publication) answers 422 with the list of what is missing; "
    "publication also needs `confirm: true` and a password confirmed recently in the session "
    "(403 with `confirm_url` otherwise).",
)
@require_recent_authentication(when=posted("to_state", CampaignState.PUBLISHED))
def transition(request: AuthenticatedHttpRequest, campaign_id: int, payload: TransitionIn) -> Any:
    campaign = _run(request, campaign_id)
    try:
        campaign = services.campaign_transition(
            campaign=campaign,
            to_state=payload.to_state,
            by=request.user,
            note=payload.note,
            confirmed=payload.confirm,
        )
    except services.TransitionBlocked as error:
        return Status(422, {"detail": str(error), "blockers": error.blockers})
    except (services.CampaignError, ValueError) as error:
        raise HttpError(409, str(error)) from error
    return _campaign_out(Campaign.objects.select_related("framework_version").get(pk=campaign.pk))


@router.get("/{campaign_id}/sessions", response=list[SessionOut], summary="Sessions of a campaign")
def list_sessions(request: AuthenticatedHttpRequest, campaign_id: int) -> list[Session]:
    if permissions.campaigns_run(request.user).filter(pk=campaign_id).exists():
        return list(Session.objects.filter(campaign_id=campaign_id))
    visible = list(permissions.sessions_visible(request.user).filter(campaign_id=campaign_id))
    if not visible:
        raise Http404("No such campaign.")
    return visible


@router.post(
    "/{campaign_id}/sessions",
    response={201: SessionOut, 422: ErrorOut},
    summary="Create a session (times with a UTC offset; 422 with the reason for bad data)",
)
def create_session(
    request: AuthenticatedHttpRequest, campaign_id: int, payload: SessionIn
) -> Status[Session]:
    campaign = _run(request, campaign_id)
    try:
        session = services.session_create(campaign=campaign, by=request.user, **payload.dict())
    except services.CampaignError as error:
        raise HttpError(422, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return Status(201, session)


@router.get("/{campaign_id}/enrolments", response=list[EnrolmentOut], summary="Enrolments the user may see")
def list_enrolments(request: AuthenticatedHttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    enrolments = (
        permissions.enrolments_managed(request.user)
        .filter(campaign=campaign)
        .select_related("candidate", "academy", "dossier")
    )
    return [_enrolment_out(e) for e in enrolments]


@router.post(
    "/{campaign_id}/enrolments",
    response={201: EnrolmentOut, 409: ErrorOut, 422: ErrorOut},
    summary="Enrol one candidate (409: refused, e.g. an address that cannot take this identity)",
)
def create_enrolment(
    request: AuthenticatedHttpRequest, campaign_id: int, payload: EnrolmentIn
) -> Status[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    academy = Academy.objects.filter(code=payload.academy).first()
    if academy is None:
        raise HttpError(422, f"Académie inconnue « {payload.academy} »")
    session = None
    if payload.session_id is not None:
        session = campaign.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise HttpError(422, "Cette session n'appartient pas à la campagne.")
    data = enrolments.EnrolmentData(
        identity=Identity(
            birth_name=payload.birth_name,
            usual_name=payload.usual_name,
            first_names=payload.first_names,
            birth_date=payload.birth_date,
            birth_place=payload.birth_place,
            email=payload.email,
        ),
        academy=academy,
        school_level=payload.school_level,
        training=payload.training,
        target_level=payload.target_level,
        extra_time_percent=payload.extra_time_percent,
        accessible_formats=payload.accessible_formats,
        other_needs=payload.other_needs,
        session=session,
        mention=payload.mention,
    )
    try:
        enrolment = enrolments.enrolment_create(campaign=campaign, data=data, by=request.user)
    except services.CampaignInvalid as error:
        raise HttpError(422, str(error)) from error
    except services.CampaignError as error:
        raise HttpError(409, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from error
    return Status(201, _enrolment_out(enrolment))


# --- prerequisites -----------------------------------------------------------------------------


class CheckOut(Schema):
    kind: str
    label: str
    met: bool
    explanation: str


class TrainerExperienceOut(Schema):
    years: int | None
    description: str
    declared: bool
    has_attestation: bool
    accompaniment: str  # "accompanied", "planned" or "" (not stated)


class PrerequisitesOut(Schema):
    enrolment_id: int
    required: list[str]
    text: str
    policy: str
    unmet: str
    editable: bool
    checks: list[CheckOut]
    trainer_experience: TrainerExperienceOut


class TrainerExperienceIn(Schema):
    years: int | None = None
    description: str
    declared: bool = False
    # Has accompanied ("accompanied") or plans to accompany ("planned") the targeted learners;
    # None leaves what is recorded unchanged.
    accompaniment: str | None = None


def _prerequisites_out(enrolment: Enrolment) -> dict[str, Any]:
    document = enrolment.campaign.framework_version.document
    checks = prerequisites.enrolment_checks(enrolment)
    return {
        "enrolment_id": enrolment.pk,
        "required": prerequisites.required_kinds(document),
        "text": prerequisites.prerequisite_text(document),
        "policy": enrolment.campaign.prerequisite_policy,
        "unmet": prerequisites.unmet_message(checks),
        "editable": not hooks.record_frozen(enrolment),
        "checks": [vars(c) for c in checks],
        "trainer_experience": {
            "years": enrolment.trainer_experience_years,
            "description": enrolment.trainer_experience,
            "declared": enrolment.trainer_experience_declared,
            "has_attestation": bool(enrolment.trainer_attestation_storage),
            "accompaniment": enrolment.learner_accompaniment,
        },
    }


def _prerequisite_enrolment(
    request: AuthenticatedHttpRequest, enrolment_id: int, *, managed: bool = False
) -> Enrolment:
    """The candidate's own enrolment or one the organiser manages (``managed``: organisers only),
    with the same 404 for absent and forbidden."""
    visible = (
        permissions.enrolments_managed(request.user)
        if managed
        else permissions.enrolments_own_or_managed(request.user)
    )
    return get_visible_or_404(
        visible.select_related("candidate", "campaign__framework_version", "dossier"), pk=enrolment_id
    )


def _require(enrolment: Enrolment, kind: str) -> None:
    if kind not in prerequisites.required_kinds(enrolment.campaign.framework_version.document):
        raise HttpError(422, "Ce référentiel ne demande pas ce prérequis.")
    if hooks.record_frozen(enrolment):
        raise HttpError(409, "Le dossier est figé : les prérequis ne peuvent plus être modifiés.")


@router.get(
    "/enrolments/{enrolment_id}/prerequisites",
    response=PrerequisitesOut,
    summary="Prerequisite status of an enrolment (the candidate, their organisers)",
)
def get_prerequisites(request: AuthenticatedHttpRequest, enrolment_id: int) -> dict[str, Any]:
    return _prerequisites_out(_prerequisite_enrolment(request, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}/prerequisites/trainer-experience",
    response=PrerequisitesOut,
    summary="Declare the first experience as a trainer (on honour and/or with an attestation file)",
)
@body_limit(UPLOAD)
def declare_trainer_experience(
    request: AuthenticatedHttpRequest,
    enrolment_id: int,
    payload: Form[TrainerExperienceIn],
    attestation: File[UploadedFile | None] = None,
) -> dict[str, Any]:
    enrolment = _prerequisite_enrolment(request, enrolment_id)
    _require(enrolment, prerequisites.TRAINER_EXPERIENCE)
    if not payload.description.strip():
        raise HttpError(422, "Décrivez votre expérience de formateur.")
    if not (payload.declared or attestation or enrolment.trainer_attestation_storage):
        raise HttpError(422, "Cochez la déclaration sur l'honneur ou joignez une attestation.")
    if payload.years is not None and not 0 <= payload.years <= 60:
        raise HttpError(422, "Le nombre d'années d'expérience va de 0 à 60.")
    if payload.accompaniment not in (None, prerequisites.ACCOMPANIED, prerequisites.PLANNED):
        raise HttpError(
            422,
            "Accompagnement des apprenants : « accompanied » (déjà accompagné) ou « planned » (projet).",
        )
    try:
        enrolments.enrolment_trainer_experience_declare(
            enrolment=enrolment,
            by=request.user,
            years=payload.years,
            description=payload.description,
            declared=payload.declared,
            accompaniment=payload.accompaniment,
            attestation=enrolments.Attestation(
                attestation, attestation.name or "", attestation.size or 0, attestation.content_type
            )
            if attestation
            else None,
        )
    except services.CampaignError as error:
        raise HttpError(422, str(error)) from error
    return _prerequisites_out(_prerequisite_enrolment(request, enrolment_id))


# --- roles ---------------------------------------------------------------------------------------


class RoleOut(Schema):
    id: int
    email: str
    name: str
    role: str
    academy: str | None
    session_id: int | None
    revocable: bool


class RoleIn(Schema):
    email: str
    role: str
    first_name: str = ""
    last_name: str = ""
    academy: str | None = None
    session_id: int | None = None


def _role_out(grant: CampaignRole, revocable: set[int]) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "email": grant.user.email,
        "name": grant.user.get_full_name(),
        "role": grant.role,
        "academy": grant.academy.code if grant.academy else None,
        "session_id": grant.session_id,
        "revocable": grant.pk in revocable,
    }


def _revocable_ids(request: AuthenticatedHttpRequest, campaign: Campaign) -> set[int]:
    return set(permissions.campaign_roles_revocable(request.user, campaign).values_list("pk", flat=True))


@router.get("/{campaign_id}/roles", response=list[RoleOut], summary="Staff roles of a campaign")
def list_roles(request: AuthenticatedHttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    revocable = _revocable_ids(request, campaign)
    grants = campaign.roles.select_related("user", "academy").order_by("role", "user__email")
    return [_role_out(g, revocable) for g in grants]


@router.post(
    "/{campaign_id}/roles",
    response={201: RoleOut},
    summary="Grant a staff role by e-mail (the account is created and told by e-mail when new)",
    description="Needs a password confirmed recently in the session (403 with `confirm_url` otherwise).",
)
@require_recent_authentication
def grant_role(
    request: AuthenticatedHttpRequest, campaign_id: int, payload: RoleIn
) -> Status[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    if payload.role not in {r.value for r in STAFF_ROLES}:
        raise HttpError(422, f"Rôle inconnu : {payload.role}.")
    academy = None
    if payload.academy:
        academy = Academy.objects.filter(code=payload.academy).first()
        if academy is None:
            raise HttpError(422, f"Académie inconnue « {payload.academy} »")
        if payload.role != Role.ORGANISER:
            raise HttpError(422, "Seul un rôle d'organisateur se limite à une académie.")
    session = None
    if payload.session_id is not None:
        session = campaign.sessions.filter(pk=payload.session_id).first()
        if session is None:
            raise HttpError(422, "Cette session n'appartient pas à la campagne.")
        if payload.role != Role.INVIGILATOR:
            raise HttpError(422, "Seul un rôle de surveillant se limite à une session.")
    if not permissions.can_grant_role(request.user, campaign, payload.role, academy.pk if academy else None):
        raise Http404("Not allowed.")
    try:
        validate_email(payload.email.strip())
    except ValidationError as error:
        raise HttpError(422, "Adresse électronique invalide.") from error
    try:
        grant = services.campaign_role_grant_by_email(
            campaign=campaign,
            email=payload.email,
            role=Role(payload.role),
            by=request.user,
            first_name=payload.first_name,
            last_name=payload.last_name,
            academy=academy,
            session=session,
        )
    except services.CampaignError as error:
        raise HttpError(409, str(error)) from error
    return Status(201, _role_out(grant, _revocable_ids(request, campaign)))


@router.delete("/{campaign_id}/roles/{role_id}", response={204: None}, summary="Withdraw a staff role")
def revoke_role(request: AuthenticatedHttpRequest, campaign_id: int, role_id: int) -> Status[None]:
    campaign = _managed(request, campaign_id)
    grant = get_visible_or_404(
        permissions.campaign_roles_revocable(request.user, campaign).select_related("user", "academy"),
        pk=role_id,
    )
    try:
        services.campaign_role_revoke(grant=grant, by=request.user)
    except services.CampaignError as error:
        raise HttpError(409, str(error)) from error
    return Status(204, None)
