"""Campaigns, sessions and enrolments through the API, with the same permission rules as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from certeval.accounts import permissions
from certeval.campaigns import services
from certeval.campaigns.models import Academy, Campaign, Enrolment, Session

router = Router(tags=["campagnes"])


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
    academy_groups: list[list[str]]


class TransitionIn(Schema):
    to_state: str
    note: str = ""


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
        "academy_groups": c.academy_groups,
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
        "session_id": e.session_id,
        "status": e.status,
        "dossier_state": e.dossier.state if hasattr(e, "dossier") else "",
    }


def _managed(request: HttpRequest, campaign_id: int) -> Campaign:
    return permissions.get_visible_or_404(
        permissions.campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


@router.get("/", response=list[CampaignOut], summary="Campaigns the user runs")
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _campaign_out(c)
        for c in permissions.campaigns_managed(request.user).select_related("framework_version")
    ]


@router.get("/{campaign_id}", response=CampaignOut, summary="One campaign")
def get_campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    return _campaign_out(_managed(request, campaign_id))


@router.post(
    "/{campaign_id}/transitions", response=CampaignOut, summary="Move the campaign to its next state"
)
def transition(request: HttpRequest, campaign_id: int, payload: TransitionIn) -> dict[str, Any]:
    campaign = _managed(request, campaign_id)
    try:
        campaign = services.campaign_transition(
            campaign=campaign, to_state=payload.to_state, by=request.user, note=payload.note
        )
    except (services.CampaignError, ValueError) as error:
        raise HttpError(409, str(error)) from error
    return _campaign_out(Campaign.objects.select_related("framework_version").get(pk=campaign.pk))


@router.get("/{campaign_id}/sessions", response=list[SessionOut], summary="Sessions of a campaign")
def list_sessions(request: HttpRequest, campaign_id: int) -> list[Session]:
    if permissions.campaigns_managed(request.user).filter(pk=campaign_id).exists():
        return list(Session.objects.filter(campaign_id=campaign_id))
    visible = list(permissions.sessions_visible(request.user).filter(campaign_id=campaign_id))
    if not visible:
        raise Http404("No such campaign.")
    return visible


@router.post("/{campaign_id}/sessions", response={201: SessionOut}, summary="Create a session")
def create_session(request: HttpRequest, campaign_id: int, payload: SessionIn) -> Status[Session]:
    campaign = _managed(request, campaign_id)
    try:
        session = services.session_create(campaign=campaign, by=request.user, **payload.dict())
    except services.CampaignError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, session)


@router.get("/{campaign_id}/enrolments", response=list[EnrolmentOut], summary="Enrolments the user may see")
def list_enrolments(request: HttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    enrolments = (
        permissions.enrolments_managed(request.user)
        .filter(campaign=campaign)
        .select_related("candidate", "academy", "dossier")
    )
    return [_enrolment_out(e) for e in enrolments]


@router.post("/{campaign_id}/enrolments", response={201: EnrolmentOut}, summary="Enrol one candidate")
def create_enrolment(request: HttpRequest, campaign_id: int, payload: EnrolmentIn) -> Status[dict[str, Any]]:
    campaign = _managed(request, campaign_id)
    academy = Academy.objects.filter(code=payload.academy).first()
    if academy is None:
        raise HttpError(422, f"Académie inconnue « {payload.academy} »")
    session = campaign.sessions.filter(pk=payload.session_id).first() if payload.session_id else None
    data = services.EnrolmentData(
        identity=services.Identity(
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
    )
    try:
        enrolment = services.enrolment_create(campaign=campaign, data=data, by=request.user)
    except services.CampaignError as error:
        raise HttpError(409, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from error
    return Status(201, _enrolment_out(enrolment))
