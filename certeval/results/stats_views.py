"""The statistics page of a campaign (« Statistiques »: the jury report's tables with their charts,
the jurors' questionnaire) and its CSV, for administrators and organisers of the whole campaign
(``permissions.campaigns_with_statistics``; anyone else gets 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.views import campaign_crumbs
from certeval.core.dates import paris_text
from certeval.results import permissions
from certeval.results.stats_charts import COLOURS, share_chart, stage_chart
from certeval.results.stats_selectors import campaign_statistics, stage_labels, statistics_csv, topic_labels


def _campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        permissions.campaigns_with_statistics(request.user).select_related("framework_version"),
        pk=campaign_id,
    )


@login_required
@require_GET
def statistics(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    stats = campaign_statistics(campaign)
    formations = dict(Enrolment.Training.choices)
    degres = {k: str(v) for k, v in Enrolment.SchoolLevel.choices}
    stages = stage_labels()
    sections = []
    for formation in stats.report.formations:
        tables = []
        for table in formation.tables:
            tables.append(
                {
                    "id": f"{formation.formation}-{table.stage}",
                    "title": stages[table.stage],
                    "levels": [stats.labels.get(lv, lv) for lv in table.levels],
                    "rows": [
                        {"label": degres.get(d, d), "values": values, "total": total, "rate": rate}
                        for d, values, total, rate in table.rows
                    ],
                    "totals": table.totals,
                    "total": table.total,
                    "rate": table.rate,
                    "chart": stage_chart(table, stats.labels, degres),
                }
            )
        sections.append(
            {"id": formation.formation, "title": formations.get(formation.formation), "tables": tables}
        )
    topics = topic_labels()
    shares = [
        {"label": topics[t], "share": s, "percent": s.percent(stats.share_rounding)}
        for t, s in stats.shares.items()
    ]
    return render(
        request,
        "results/statistics.html",
        {
            "campaign": campaign,
            "stats": stats,
            "year": stats.report.year,
            "deadline": paris_text(campaign.deposit_deadline),
            "sections": sections,
            "legend": [(degres[d], COLOURS[i]) for i, d in enumerate(degres)],
            "shares": shares,
            "share_chart": share_chart(stats.shares, topics, stats.share_rounding),
            "crumbs": campaign_crumbs(campaign, (_("Statistiques"), "")),
        },
    )


@login_required
@require_GET
def statistics_download(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    response = HttpResponse(
        "\ufeff" + statistics_csv(campaign_statistics(campaign)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="statistiques-{campaign.slug}.csv"'
    return response


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    """The campaign page's link to its statistics, for those who may read them."""
    user = request.user
    if (
        not user.is_authenticated
        or not permissions.campaigns_with_statistics(user).filter(pk=campaign.pk).exists()
    ):
        return []
    return [(_("Statistiques"), reverse("stats:campaign", args=[campaign.pk]))]
