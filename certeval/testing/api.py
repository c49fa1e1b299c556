"""Automated results through the API, with the page's permissions: organisers read and record
the results of the candidates in their scope (their academy when their role has one); everything
else is the same 404 as an absent object."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign, Enrolment
from certeval.testing import permissions, selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import AutomatedResult
from certeval.testing.services import automated_result_record, automated_results_import

router = Router(tags=["volet automatisé"])


class AutomatedIn(Schema):
    enrolment: int
    level: str
    obtained_on: date
    part: str = ""


class ResultIn(Schema):
    level: str
    obtained_on: date
    part: str = ""


class AutomatedOut(Schema):
    enrolment: int
    level: str
    obtained_on: date
    valid_until: date | None
    recorded_in_campaign: int | None
    parts: dict[str, Any]


class EnrolmentResultOut(Schema):
    enrolment: int
    result: AutomatedOut | None


class ImportOut(Schema):
    imported: int


def _out(enrolment: Enrolment, result: AutomatedResult) -> dict[str, Any]:
    return {
        "enrolment": enrolment.pk,
        "level": result.level,
        "obtained_on": result.obtained_on,
        "valid_until": selectors.valid_until_of(enrolment.campaign, result),
        "recorded_in_campaign": result.campaign_id,
        "parts": result.parts,
    }


def _campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    user = request.user
    return get_visible_or_404(
        permissions.campaigns_with_results(user).select_related("framework_version"), pk=campaign_id
    )


def _record(
    request: AuthenticatedHttpRequest, enrolment: Enrolment, payload: ResultIn | AutomatedIn
) -> dict[str, Any]:
    try:
        result = automated_result_record(
            enrolment=enrolment,
            level=payload.level,
            obtained_on=payload.obtained_on,
            part=payload.part,
            actor=request.user,
        )
    except TestingError as error:
        raise HttpError(422, str(error)) from error
    return _out(enrolment, result)


@router.get(
    "/campaigns/{campaign_id}/automated-results",
    response=list[AutomatedOut],
    summary="Applicable automated results of a campaign's candidates (in the organiser's scope)",
)
def list_automated(request: AuthenticatedHttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = _campaign(request, campaign_id)
    enrolments = list(
        permissions.enrolments_in_scope(request.user, campaign).select_related("campaign__framework_version")
    )
    results = selectors.applicable_results(campaign, enrolments, include_expired=True)
    return [_out(e, results[e.pk]) for e in sorted(enrolments, key=lambda e: e.pk) if results[e.pk]]  # type: ignore[arg-type]


@router.post(
    "/campaigns/{campaign_id}/automated-results",
    response=AutomatedOut,
    summary="Record a candidate's automated result (overall, or one part)",
)
def record_automated(
    request: AuthenticatedHttpRequest, campaign_id: int, payload: AutomatedIn
) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    enrolment = get_visible_or_404(
        permissions.enrolments_in_scope(request.user, campaign).select_related("campaign__framework_version"),
        pk=payload.enrolment,
    )
    return _record(request, enrolment, payload)


@router.post(
    "/campaigns/{campaign_id}/automated-results/import",
    response=ImportOut,
    summary="Import automated results (CSV body: email or candidat; partie; niveau; obtenu_le)",
)
def import_automated(request: AuthenticatedHttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = _campaign(request, campaign_id)
    try:
        count = automated_results_import(
            campaign=campaign,
            text=request.body.decode("utf-8"),
            actor=request.user,
        )
    except UnicodeDecodeError as error:
        raise HttpError(422, "Le fichier doit être encodé en UTF-8.") from error
    except TestingError as error:
        raise HttpError(422, " ".join([str(error), *error.reasons])) from error
    return {"imported": count}


@router.get(
    "/enrolments/{enrolment_id}/automated-result",
    response=EnrolmentResultOut,
    summary="The automated result an enrolment uses (the candidate, their organisers)",
)
def enrolment_result(request: AuthenticatedHttpRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment = get_visible_or_404(
        permissions.enrolments_readable(request.user).select_related("campaign__framework_version"),
        pk=enrolment_id,
    )
    result = selectors.applicable_result(enrolment, include_expired=True)
    return {"enrolment": enrolment.pk, "result": None if result is None else _out(enrolment, result)}


@router.put(
    "/enrolments/{enrolment_id}/automated-result",
    response=AutomatedOut,
    summary="Record the automated result of an enrolment's candidate (organisers in scope)",
)
def record_enrolment_result(
    request: AuthenticatedHttpRequest, enrolment_id: int, payload: ResultIn
) -> dict[str, Any]:
    user = request.user
    enrolment = get_visible_or_404(
        permissions.enrolments_managed_for_results(user).select_related("campaign__framework_version"),
        pk=enrolment_id,
    )
    return _record(request, enrolment, payload)
