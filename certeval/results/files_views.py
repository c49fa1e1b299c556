"""The « Fichiers de résultats » page of a campaign and its downloads: the national results file
(CSV or XLSX, per campaign, academy or session) and the minutes of each jury (PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.results import files_permissions as permissions
from certeval.results.files_selectors import Scope, results_table, scope_choices
from certeval.results.files_services import minutes_download, results_file_export


def _exportable_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    campaign: Campaign = get_visible_or_404(permissions.files_campaigns(request.user), pk=campaign_id)
    if not permissions.can_export_results(request.user, campaign):
        raise Http404
    return campaign


@login_required
@require_GET
def files_page(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_visible_or_404(
        permissions.files_campaigns(request.user).select_related("framework_version"), pk=campaign_id
    )
    can_export = permissions.can_export_results(request.user, campaign)
    enrolments = permissions.results_enrolments(request.user, campaign)
    academies, sessions = scope_choices(campaign, enrolments) if can_export else ([], [])
    table = results_table(Scope(campaign), enrolments, build_rows=False) if can_export else None
    juries = list(
        permissions.minutes_juries(request.user)
        .filter(campaign=campaign)
        .select_related("group")
        .order_by("number")
    )
    return render(
        request,
        "results/files.html",
        {
            "campaign": campaign,
            "can_export": can_export,
            "academies": academies,
            "sessions": sessions,
            "table": table,
            "missing_headers": [
                _("N° d'inscription"),
                _("Nom"),
                _("Prénoms"),
                _("Académie"),
                _("Session"),
                _("Ce qui manque"),
            ],
            "missing_rows": [m.cells() for m in table.missing] if table else [],
            "juries": juries,
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Fichiers de résultats"), ""),
            ],
        },
    )


@login_required
@require_GET
def results_file(request: AuthenticatedHttpRequest, campaign_id: int, fmt: str) -> HttpResponse:
    campaign = _exportable_campaign(request, campaign_id)
    session = request.GET.get("session") or None
    if session is not None and not session.isdigit():
        return HttpResponseBadRequest(
            _("Session invalide : indiquez le numéro d'une session de la campagne.")
        )
    scope = permissions.readable_scope(
        request.user, campaign, request.GET.get("academie"), None if session is None else int(session)
    )
    if scope is None:
        raise Http404
    return results_file_response(request, scope, fmt)


def results_file_response(request: AuthenticatedHttpRequest, scope: Scope, fmt: str) -> HttpResponse:
    """The results file of ``scope`` (checked by the caller) as an attachment, with the number of
    candidates left out in ``X-Results-Missing`` (page and API alike)."""
    exported = results_file_export(
        scope=scope,
        enrolments=permissions.results_enrolments(request.user, scope.campaign),
        fmt=fmt,
        by=request.user,
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["X-Results-Missing"] = str(len(exported.table.missing))
    return response


@login_required
@require_GET
def jury_minutes(request: AuthenticatedHttpRequest, jury_id: int) -> HttpResponse:
    jury = get_visible_or_404(
        permissions.minutes_juries(request.user).select_related(
            "campaign__framework_version", "group__president"
        ),
        pk=jury_id,
    )
    response = HttpResponse(minutes_download(jury=jury, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-jury-{jury.number}.pdf"'
    return response
