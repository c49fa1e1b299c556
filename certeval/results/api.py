"""The candidate's own oral and, once results are published, their decision, through the API."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Router, Schema

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Enrolment
from certeval.results import permissions, selectors

router = Router(tags=["résultats"])


class ConvocationOut(Schema):
    starts_at: datetime
    duration_minutes: int
    extra_minutes: int
    visio_link: str
    jury_number: int


class MarkOut(Schema):
    label: str
    level: str


class ResultOut(Schema):
    outcome: str
    outcome_label: str
    final_level: str
    reasons: list[str]
    levels: list[list[str]]
    strengths: list[MarkOut]
    to_work_on: list[MarkOut]


class CandidateResultOut(Schema):
    enrolment: int
    campaign: str
    oral: ConvocationOut | None
    published: bool
    result: ResultOut | None


@router.get(
    "/{enrolment_id}",
    response=CandidateResultOut,
    summary="My oral and, once results are published, my decision (the candidate only)",
)
def candidate_result(request: AuthenticatedHttpRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment: Enrolment = get_visible_or_404(
        permissions.enrolments_of_candidate(request.user).select_related("campaign__framework_version"),
        pk=enrolment_id,
    )
    oral = selectors.oral_convocation(enrolment)
    result = selectors.candidate_result(enrolment)
    return {
        "enrolment": enrolment.pk,
        "campaign": enrolment.campaign.title,
        "oral": None if oral is None else {**asdict(oral), "starts_at": timezone.localtime(oral.starts_at)},
        "published": selectors.published_for(enrolment),
        "result": None
        if result is None
        else {
            "outcome": result.outcome,
            "outcome_label": result.outcome_label,
            "final_level": result.final_level,
            "reasons": result.reasons,
            "levels": [list(row) for row in result.levels],
            "strengths": [asdict(m) for m in result.strengths],
            "to_work_on": [asdict(m) for m in result.to_work_on],
        },
    }
