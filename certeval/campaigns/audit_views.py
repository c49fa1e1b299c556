"""The audit log of a campaign (the audit context's page, on the campaign's permission)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.audit.selectors import audit_events_of_campaign
from certeval.audit.views import render_log
from certeval.campaigns import permissions


@login_required
@require_GET
def campaign_log(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The audit log of one campaign; an organiser limited to an academy reads the rows about their
    academy's candidates, the campaign and its sessions."""
    campaign = get_visible_or_404(permissions.campaigns_managed(request.user), pk=campaign_id)
    crumbs = [
        (_("Campagnes"), reverse("campaigns:list")),
        (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
        (_("Journal d'audit"), ""),
    ]
    return render_log(
        request,
        audit_events_of_campaign(
            campaign=campaign, people=permissions.people_in_scope(request.user, campaign)
        ),
        title=_("Journal d'audit — %(campaign)s") % {"campaign": campaign.title},
        crumbs=crumbs,
    )
