"""The campaign dashboard (funnel, candidate table with filters and search, CSV export, bordereaux
per academy) and the publication of one session's results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.accounts.reauth import require_recent_authentication
from certeval.campaigns.models import Academy, Campaign, Session
from certeval.campaigns.permissions import campaigns_managed, campaigns_run, enrolments_managed
from certeval.core.dates import paris_text
from certeval.results.dashboard_archive import academy_archive_name, score_sheets_archive
from certeval.results.dashboard_export import dashboard_csv
from certeval.results.dashboard_forms import DashboardFilterForm, SessionPublishForm
from certeval.results.dashboard_selectors import (
    STAGE_LABELS,
    Dashboard,
    campaign_dashboard,
    filter_rows,
    published_sessions,
)
from certeval.results.models import SessionPublication
from certeval.results.permissions import can_publish
from certeval.results.session_publication import (
    SESSION_PUBLISHABLE_STATES,
    SessionPublicationRefused,
    session_publication_blockers,
    session_publication_confirmation,
    session_publish,
)

CHART_WIDTH = 420  # px of the longest bar


def _crumbs(campaign: Campaign, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Campagnes"), reverse("campaigns:list")),
        (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
        *rest,
    ]


def _managed(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


def _funnel(dashboard: Dashboard) -> list[dict[str, Any]]:
    top = max((step.count for step in dashboard.steps), default=0)
    return [
        {
            "label": str(STAGE_LABELS[step.stage]),
            "count": step.count,
            "percent": step.percent,
            "width": max(2, step.count * CHART_WIDTH // top) if top and step.count else 0,
            "y": index * 34,
        }
        for index, step in enumerate(dashboard.steps)
    ]


def _sessions(user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    """The campaign's sessions with their publication, for those who publish results."""
    if not can_publish(user, campaign):
        return []
    published = {p.session_id: p for p in SessionPublication.objects.filter(session__campaign=campaign)}
    publishable = campaign.state in SESSION_PUBLISHABLE_STATES
    return [
        {
            "session": session,
            "published": paris_text(published[session.pk].published_at) if session.pk in published else "",
            "can_publish": publishable and session.pk not in published,
        }
        for session in campaign.sessions.all()
    ]


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The funnel and the candidate table; an htmx request gets the table alone."""
    campaign = _managed(request, campaign_id)
    data = campaign_dashboard(request.user, campaign)
    form = DashboardFilterForm(request.GET, dashboard=data)
    rows = filter_rows(data.rows, form.filters())
    context = {
        "campaign": campaign,
        "form": form,
        "rows": rows,
        "total": len(data.rows),
        "query": request.GET.urlencode(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "results/dashboard/_candidates.html", context)
    scoped = not campaigns_run(request.user).filter(pk=campaign.pk).exists()
    return render(
        request,
        "results/dashboard/dashboard.html",
        context
        | {
            "funnel": _funnel(data),
            "chart_width": CHART_WIDTH + 280,
            "chart_height": len(data.steps) * 34,
            "academies": [
                {"code": code, "name": name, "id": data.academy_ids[code]} for code, name in data.academies
            ],
            "sessions": _sessions(request.user, campaign),
            "scoped": scoped,
            "crumbs": _crumbs(campaign, (_("Tableau de bord"), "")),
        },
    )


@login_required
@require_GET
def dashboard_export(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The candidate table, with the filters of the page, as CSV (``;``, UTF-8 with BOM)."""
    campaign = _managed(request, campaign_id)
    data = campaign_dashboard(request.user, campaign)
    rows = filter_rows(data.rows, DashboardFilterForm(request.GET, dashboard=data).filters())
    response = HttpResponse(dashboard_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="candidats-{campaign.slug}.csv"'
    return response


@login_required
@require_GET
def academy_score_sheets(
    request: AuthenticatedHttpRequest, campaign_id: int, academy_id: int
) -> HttpResponse:
    """The published bordereaux of one academy's candidates (zip); an organiser limited to an academy
    gets only theirs (404 for another one, as for an absent one)."""
    campaign = _managed(request, campaign_id)
    academy = get_visible_or_404(
        Academy.objects.filter(
            pk__in=enrolments_managed(request.user).filter(campaign=campaign).values("academy_id")
        ),
        pk=academy_id,
    )
    archive, count = score_sheets_archive(campaign=campaign, academy=academy, by=request.user)
    if not count:
        messages.info(
            request,
            _("Aucun bordereau publié pour l'académie de %(academy)s pour l'instant.")
            % {"academy": academy.name},
        )
        return redirect("results:dashboard", campaign.pk)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{academy_archive_name(campaign, academy)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@require_recent_authentication
def session_publish_page(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """What publishing the session's results requires, the counts to confirm, and the button."""
    session = get_visible_or_404(
        Session.objects.filter(campaign__in=campaigns_run(request.user)).select_related("campaign"),
        pk=session_id,
    )
    campaign = session.campaign
    form = SessionPublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = session_publish(
                session=session, by=request.user, confirmed=form.cleaned_data["confirm"]
            )
        except SessionPublicationRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _(
                    "Résultats de la session « %(session)s » publiés : %(n)s candidat(s) informé(s) par courriel."
                )
                % {"session": session.label, "n": publication.candidates},
            )
            return redirect("results:dashboard", campaign.pk)
    confirmation = session_publication_confirmation(session)
    form.fields["confirm"].label = confirmation
    return render(
        request,
        "results/dashboard/session_publish.html",
        {
            "session": session,
            "campaign": campaign,
            "form": form,
            "blockers": session_publication_blockers(session, request.user),
            "published": session.pk in published_sessions(campaign),
            "crumbs": _crumbs(
                campaign,
                (_("Tableau de bord"), reverse("results:dashboard", args=[campaign.pk])),
                (_("Publier une session"), ""),
            ),
        },
    )
