"""The results files over the API: a campaign's validated decisions as a table (JSON) or as the
national file (CSV or XLSX), for the whole campaign, one academy or one session, with the same
rights as the « Fichiers de résultats » page (certeval.results.files_permissions); every read is
audited."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpResponse
from ninja import Router, Schema

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.results import files_permissions as permissions
from certeval.results.files_selectors import Scope
from certeval.results.files_services import results_table_read
from certeval.results.files_views import results_file_response

router = Router(tags=["results"])


class MissingOut(Schema):
    enrolment: int
    name: str
    first_names: str
    academy: str
    session: str
    reason: str


class ResultsTableOut(Schema):
    campaign: int
    academy: str | None
    session: int | None
    header: list[str]
    rows: list[list[str | int | float | None]]
    missing: list[MissingOut]


def _scope(
    request: AuthenticatedHttpRequest, campaign_id: int, academy: str | None, session: int | None
) -> Scope:
    campaign: Campaign = get_visible_or_404(permissions.files_campaigns(request.user), pk=campaign_id)
    if not permissions.can_export_results(request.user, campaign):
        raise Http404
    scope = permissions.readable_scope(request.user, campaign, academy, session)
    if scope is None:
        raise Http404
    return scope


@router.get(
    "/campaigns/{campaign_id}/results",
    response=ResultsTableOut,
    summary="Validated decisions of the campaign (or one academy / session) as a table, with the "
    "candidates missing from it and why (organisers in scope, jury presidents, administrators)",
)
def results_table_api(
    request: AuthenticatedHttpRequest,
    campaign_id: int,
    academy: str | None = None,
    session: int | None = None,
) -> dict[str, Any]:
    scope = _scope(request, campaign_id, academy, session)
    table = results_table_read(
        scope=scope,
        enrolments=permissions.results_enrolments(request.user, scope.campaign),
        fmt="json",
        by=request.user,
    )
    return {
        "campaign": scope.campaign.pk,
        "academy": None if scope.academy is None else scope.academy.code,
        "session": None if scope.session is None else scope.session.pk,
        "header": table.header,
        "rows": table.rows,
        "missing": [
            {
                "enrolment": m.number,
                "name": m.name,
                "first_names": m.first_names,
                "academy": m.academy,
                "session": m.session,
                "reason": m.reason,
            }
            for m in table.missing
        ],
    }


@router.get(
    "/campaigns/{campaign_id}/results-file",
    summary="The national results file (CSV: UTF-8 with BOM, ';'; or XLSX) of the campaign, one "
    "academy or one session",
)
def results_file_api(
    request: AuthenticatedHttpRequest,
    campaign_id: int,
    format: Literal["csv", "xlsx"] = "csv",
    academy: str | None = None,
    session: int | None = None,
) -> HttpResponse:
    return results_file_response(request, _scope(request, campaign_id, academy, session), format)
