"""Juries, scores, harmonisation figures and decisions through the API, with the pages' permissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.models import Academy, Campaign, Enrolment
from certeval.campaigns.permissions import campaigns_run
from certeval.frameworks.selectors import framework_of
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import GridScore, Juror, JurorRole, Jury, JurySettings, OralSlot
from certeval.juries.presidency import presiding_person
from certeval.juries.services.composition import composition_to_dict, jury_compose_campaign
from certeval.juries.services.pool import juror_invite, juror_update, jury_settings_update
from certeval.juries.services.scoring import grid_score_save, grid_score_submit

router = Router(tags=["jurys"])

MAX_LOAD = 32767  # the largest value of the juror's load column (a small integer) on every database


class MemberOut(Schema):
    juror: int
    name: str
    role: str
    jury_role: str


class OralOut(Schema):
    slot: int
    enrolment: int
    candidate: str
    index: int
    starts_at: datetime
    duration_minutes: int
    visio_link: str


class JuryOut(Schema):
    id: int
    number: int
    campaign: int
    group: str
    president: str | None
    halfday: str
    visio_link: str
    members: list[MemberOut]
    orals: list[OralOut]


class ScoreOut(Schema):
    slot: int
    levels: dict[str, str]
    comments: dict[str, str]
    oral_levels: dict[str, str]
    oral_comments: dict[str, str]
    updated_at: datetime | None
    submitted_at: datetime | None


class ScoreIn(Schema):
    levels: dict[str, str] = {}
    comments: dict[str, str] = {}
    # The oral score sheet: a level per domain ("" = not evaluated) and comments.
    oral_levels: dict[str, str] = {}
    oral_comments: dict[str, str] = {}
    submit: bool = False


class DecisionOut(Schema):
    slot: int
    enrolment: int
    deliberation: int
    final_level: str | None
    outcome: str | None
    evaluation: dict[str, Any]
    validated_by: str
    validated_at: datetime


def _jury_out(jury: Jury) -> dict[str, Any]:
    president = presiding_person(jury)
    return {
        "id": jury.pk,
        "number": jury.number,
        "campaign": jury.campaign_id,
        "group": jury.group.name,
        "president": None if president is None else (president.get_full_name() or president.email),
        "halfday": jury.halfday,
        "visio_link": jury.visio_link,
        "members": [
            {"juror": m.juror_id, "name": m.juror.display_name, "role": m.juror.role, "jury_role": m.role}
            for m in jury.members.all()
        ],
        "orals": [
            {
                "slot": s.pk,
                "enrolment": s.enrolment_id,
                "candidate": s.enrolment.candidate.display_name,
                "index": s.index,
                "starts_at": s.starts_at,
                "duration_minutes": s.duration_minutes,
                "visio_link": s.visio_link,
            }
            for s in jury.slots.all()
        ],
    }


@router.get("/", response=list[JuryOut], summary="Juries the user sits on, presides or organises")
def list_juries(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    ids = list(permissions.juries_visible(request.user).values_list("pk", flat=True))
    return [_jury_out(selectors.jury_detail(pk)) for pk in sorted(ids)]


@router.get("/{jury_id}", response=JuryOut, summary="One jury, its members and its orals")
def get_jury(request: AuthenticatedHttpRequest, jury_id: int) -> dict[str, Any]:
    get_visible_or_404(permissions.juries_visible(request.user), pk=jury_id)
    return _jury_out(selectors.jury_detail(jury_id))


@router.post("/campaigns/{campaign_id}/compose", summary="Compose a campaign's juries with the solver")
def compose(request: AuthenticatedHttpRequest, campaign_id: int, time_limit: float = 30.0) -> dict[str, Any]:
    campaign: Campaign = get_visible_or_404(campaigns_run(request.user), pk=campaign_id)
    if not 0 < time_limit <= 600:
        raise HttpError(422, "time_limit: from 0 (excluded) to 600 seconds.")
    try:
        result = jury_compose_campaign(campaign=campaign, actor=request.user, time_limit=time_limit)
    except JuryError as error:
        raise HttpError(409, str(error)) from error
    return composition_to_dict(result)


def _own(request: AuthenticatedHttpRequest, slot_id: int) -> tuple[OralSlot, Any]:
    slot = get_visible_or_404(
        permissions.slots_visible(request.user).select_related("jury__campaign__framework_version"),
        pk=slot_id,
    )
    juror = permissions.juror_of(request.user, slot)
    if juror is None:
        raise Http404("No such score.")
    return slot, juror


def _score_out(slot: OralSlot, score: GridScore | None) -> dict[str, Any]:
    return {
        "slot": slot.pk,
        "levels": score.levels if score else {},
        "comments": score.comments if score else {},
        "oral_levels": score.oral_levels if score else {},
        "oral_comments": score.oral_comments if score else {},
        "updated_at": score.updated_at if score else None,
        "submitted_at": score.submitted_at if score else None,
    }


@router.get("/orals/{slot_id}/score", response=ScoreOut, summary="My own scoring of a candidate")
def get_score(request: AuthenticatedHttpRequest, slot_id: int) -> dict[str, Any]:
    slot, juror = _own(request, slot_id)
    consult_enrolment(request.user, slot.enrolment, "scoring")
    return _score_out(slot, GridScore.objects.filter(slot=slot, juror=juror).first())


@router.put("/orals/{slot_id}/score", response=ScoreOut, summary="Save (and optionally submit) my scoring")
def put_score(request: AuthenticatedHttpRequest, slot_id: int, payload: ScoreIn) -> dict[str, Any]:
    slot, juror = _own(request, slot_id)
    try:
        # levels, comments, oral_levels, oral_comments
        score = grid_score_save(slot=slot, juror=juror, **payload.model_dump(exclude={"submit"}))
        if payload.submit:
            score = grid_score_submit(slot=slot, juror=juror, actor=request.user)
    except JuryError as error:
        raise HttpError(409, str(error)) from error
    return _score_out(slot, score)


@router.get("/{jury_id}/harmonisation", summary="Disagreements, severity and Krippendorff's alpha of a jury")
def harmonisation(request: AuthenticatedHttpRequest, jury_id: int) -> dict[str, Any]:
    get_visible_or_404(permissions.juries_presided(request.user), pk=jury_id)
    jury = selectors.jury_detail(jury_id)
    framework, rules = framework_of(jury.campaign.framework_version)
    agreement = selectors.jury_agreement(jury, framework, selectors.dossier_grid(framework, rules))
    own = {
        s.slot_id: s.submitted_at is not None
        for s in GridScore.objects.filter(slot__jury=jury, juror__user=request.user)
    }
    sits = jury.members.filter(juror__user=request.user).exists()
    return {
        "jury": jury.pk,
        "alpha": agreement.alpha,
        "campaign_alpha": agreement.campaign_alpha,
        "severity": agreement.severity,
        "candidates": [
            {
                "slot": c.slot.pk,
                "candidate": c.slot.enrolment.candidate.display_name,
                "submitted": c.submitted,
                # A presiding juror sees the others' scores only after submitting their own.
                "disagreements": None if sits and not own.get(c.slot.pk) else c.disagreements,
            }
            for c in agreement.candidates
        ],
    }


@router.get(
    "/orals/{slot_id}/decision", response=DecisionOut, summary="The validated decision of a candidate"
)
def decision(request: AuthenticatedHttpRequest, slot_id: int) -> dict[str, Any]:
    slot: OralSlot = get_visible_or_404(permissions.slots_visible(request.user), pk=slot_id)
    found = selectors.validated_deliberation(slot)
    if found is None or found.validated_by is None or found.validated_at is None:
        raise Http404("No validated decision.")
    return {
        "slot": slot.pk,
        "enrolment": slot.enrolment_id,
        "deliberation": found.number,
        "final_level": found.final_level or None,
        "outcome": found.outcome or None,
        "evaluation": found.evaluation,
        "validated_by": found.validated_by.get_full_name() or found.validated_by.email,
        "validated_at": timezone.localtime(found.validated_at),
    }


# --- juror pool, composition rule (organisers; automated results: certeval.testing.api) ---------


class JurorOut(Schema):
    id: int
    email: str
    name: str
    role: str
    academy: str
    halfdays: list[str]
    max_load: int
    conflict_enrolments: list[int]
    conflict_schools: list[str]


class JurorIn(Schema):
    role: str
    academy: str
    halfdays: list[str]
    max_load: int = 12
    conflict_enrolments: list[int] = []
    conflict_schools: list[str] = []


class JurorCreate(JurorIn):
    email: str
    first_name: str = ""
    last_name: str = ""


class GroupSchema(Schema):
    roles: list[str]
    min: int = 0
    max: int | None = None


class RuleSchema(Schema):
    size: int
    groups: list[GroupSchema]
    same_academy: bool
    halfday_slots: int
    buffer_minutes: int


def _managed(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(campaigns_run(request.user), pk=campaign_id)


def _juror_out(juror: Juror) -> dict[str, Any]:
    return {
        "id": juror.pk,
        "email": juror.user.email,
        "name": juror.display_name,
        "role": juror.role,
        "academy": juror.academy.code,
        "halfdays": juror.halfdays,
        "max_load": juror.max_load,
        "conflict_enrolments": sorted(e.pk for e in juror.conflict_enrolments.all()),
        "conflict_schools": juror.conflict_schools,
    }


def _juror_fields(campaign: Campaign, payload: JurorIn) -> dict[str, Any]:
    if payload.role not in JurorRole.values:
        raise HttpError(422, f"Qualité inconnue : {payload.role}.")
    academy = Academy.objects.filter(code=payload.academy).first()
    if academy is None:
        raise HttpError(422, f"Académie inconnue : {payload.academy}.")
    enrolments = list(Enrolment.objects.filter(campaign=campaign, pk__in=payload.conflict_enrolments))
    if len(enrolments) != len(set(payload.conflict_enrolments)):
        raise HttpError(422, "Candidat inconnu dans la campagne.")
    if not 1 <= payload.max_load <= MAX_LOAD:
        raise HttpError(422, f"max_load: from 1 to {MAX_LOAD}.")
    # The model's own rules before any write (the service would otherwise store the juror and fail
    # on the database's check); the half-days are the service's (format, then the model's rules).
    unsaved = Juror(
        campaign=campaign,
        role=payload.role,
        academy=academy,
        halfdays=payload.halfdays,
        max_load=payload.max_load,
        conflict_schools=payload.conflict_schools,
    )
    try:
        unsaved.full_clean(exclude=["user", "halfdays"], validate_unique=False)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return {
        "role": payload.role,
        "academy": academy,
        "halfdays": payload.halfdays,
        "max_load": payload.max_load,
        "conflict_enrolments": enrolments,
        "conflict_schools": payload.conflict_schools,
    }


@router.get("/campaigns/{campaign_id}/jurors", response=list[JurorOut], summary="A campaign's juror pool")
def list_jurors(request: AuthenticatedHttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    return [_juror_out(j) for j in selectors.pool_of(_managed(request, campaign_id))]


@router.post(
    "/campaigns/{campaign_id}/jurors", response={201: JurorOut}, summary="Add a person to the pool by e-mail"
)
def add_juror(request: AuthenticatedHttpRequest, campaign_id: int, payload: JurorCreate) -> Status:
    campaign = _managed(request, campaign_id)
    try:
        juror = juror_invite(
            campaign=campaign,
            email=payload.email,
            first_name=payload.first_name,
            last_name=payload.last_name,
            actor=request.user,
            **_juror_fields(campaign, payload),
        )
    except JuryError as error:
        raise HttpError(409, " ".join([str(error), *error.reasons])) from error
    return Status(201, _juror_out(juror))


@router.put(
    "/campaigns/{campaign_id}/jurors/{juror_id}", response=JurorOut, summary="Change a juror of the pool"
)
def update_juror(
    request: AuthenticatedHttpRequest, campaign_id: int, juror_id: int, payload: JurorIn
) -> dict[str, Any]:
    campaign = _managed(request, campaign_id)
    juror = get_visible_or_404(campaign.jurors.select_related("user", "academy"), pk=juror_id)
    try:
        juror = juror_update(juror=juror, actor=request.user, **_juror_fields(campaign, payload))
    except JuryError as error:
        raise HttpError(409, str(error)) from error
    return _juror_out(juror)


def _rule_out(settings: JurySettings) -> dict[str, Any]:
    return {
        "size": settings.size,
        "groups": settings.groups,
        "same_academy": settings.same_academy,
        "halfday_slots": settings.halfday_slots,
        "buffer_minutes": settings.buffer_minutes,
    }


@router.get("/campaigns/{campaign_id}/rule", response=RuleSchema, summary="A campaign's composition rule")
def get_rule(request: AuthenticatedHttpRequest, campaign_id: int) -> dict[str, Any]:
    return _rule_out(selectors.jury_settings_of(_managed(request, campaign_id)))


@router.put("/campaigns/{campaign_id}/rule", response=RuleSchema, summary="Change the composition rule")
def put_rule(request: AuthenticatedHttpRequest, campaign_id: int, payload: RuleSchema) -> dict[str, Any]:
    campaign = _managed(request, campaign_id)
    groups = [
        {"roles": g.roles, "min": g.min, **({} if g.max is None else {"max": g.max})} for g in payload.groups
    ]
    try:
        settings = jury_settings_update(
            campaign=campaign, actor=request.user, **(payload.dict() | {"groups": groups})
        )
    except (JuryError, ValidationError) as error:
        raise HttpError(422, " ".join(getattr(error, "messages", [str(error)]))) from error
    return _rule_out(settings)
