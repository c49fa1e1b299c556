"""The campaign dashboard and the publication of one session's results, through the API (the same
permissions and rules as the pages; docs/results.md, « Campaign dashboard and publication »)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Session
from certeval.campaigns.permissions import campaigns_managed, campaigns_run
from certeval.results.dashboard_selectors import STAGE_LABELS, Filters, campaign_dashboard, filter_rows
from certeval.results.session_publication import SessionPublicationRefused, session_publish

router = Router(tags=["résultats"])


class FunnelStepOut(Schema):
    stage: str
    label: str
    count: int
    percent: int


class CandidateRowOut(Schema):
    enrolment: int
    candidate: str
    email: str
    academy: str
    school_level: str
    session: str
    target_level: str
    state: str
    state_label: str
    decision: str
    decision_label: str
    final_level: str
    oral_at: datetime | None


class DashboardOut(Schema):
    campaign: int
    state: str
    funnel: list[FunnelStepOut]
    total: int
    candidates: list[CandidateRowOut]


class DashboardFilters(Schema):
    academy: str = ""
    state: str = ""
    school_level: str = ""
    level: str = ""
    decision: str = ""
    search: str = ""


class SessionPublishIn(Schema):
    confirm: bool = False


class SessionPublicationOut(Schema):
    session: int
    published_at: datetime
    candidates: int


class PublicationBlockedOut(Schema):
    detail: str
    blockers: list[str]


@router.get(
    "/campaigns/{campaign_id}/dashboard",
    response=DashboardOut,
    summary="A campaign's funnel and candidate table (organisers; one academy for an academy-limited one)",
)
def dashboard(
    request: AuthenticatedHttpRequest, campaign_id: int, filters: Query[DashboardFilters]
) -> dict[str, Any]:
    campaign = get_visible_or_404(
        campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )
    data = campaign_dashboard(request.user, campaign)
    rows = filter_rows(data.rows, Filters(**filters.dict()))
    return {
        "campaign": campaign.pk,
        "state": campaign.state,
        "funnel": [
            {
                "stage": s.stage.value,
                "label": str(STAGE_LABELS[s.stage]),
                "count": s.count,
                "percent": s.percent,
            }
            for s in data.steps
        ],
        "total": len(data.rows),
        "candidates": [
            {
                "enrolment": r.enrolment_id,
                "candidate": r.name,
                "email": r.email,
                "academy": r.academy_code,
                "school_level": r.school_level,
                "session": r.session,
                "target_level": r.target_level,
                "state": r.state,
                "state_label": r.state_label,
                "decision": r.decision,
                "decision_label": r.decision_label,
                "final_level": r.final_level_label,
                "oral_at": timezone.localtime(r.oral_at) if r.oral_at else None,
            }
            for r in rows
        ],
    }


@router.post(
    "/sessions/{session_id}/publication",
    response={200: SessionPublicationOut, 422: PublicationBlockedOut},
    summary="Publish one session's results before the campaign's (organisers of the whole campaign)",
    description="Refused with 422 and the list of what is missing (candidates of the session without a "
    "validated decision, undecided incidents); needs `confirm: true` (else 409).",
)
def publish_session(request: AuthenticatedHttpRequest, session_id: int, payload: SessionPublishIn) -> Any:
    session = get_visible_or_404(
        Session.objects.filter(campaign__in=campaigns_run(request.user)).select_related("campaign"),
        pk=session_id,
    )
    try:
        publication = session_publish(session=session, by=request.user, confirmed=payload.confirm)
    except SessionPublicationRefused as refused:
        if refused.blockers:
            return Status(422, {"detail": str(refused), "blockers": refused.blockers})
        raise HttpError(409, str(refused)) from refused
    return {
        "session": session.pk,
        "published_at": timezone.localtime(publication.published_at),
        "candidates": publication.candidates,
    }
