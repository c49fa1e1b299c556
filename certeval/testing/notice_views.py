"""The public information notice of a campaign's remote proctored sessions (``remote_notice``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from certeval.campaigns.models import Campaign, CampaignState
from certeval.testing.remote_notice import has_remote_session, notice_context


@require_GET
def notice_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Public: a candidate reads it before a remote session, signed in or not (a room computer, a link
    in the convocation). Only campaigns that run remote sessions have one, once out of draft."""
    campaign = get_object_or_404(Campaign.objects.exclude(state=CampaignState.DRAFT), pk=campaign_id)
    if not has_remote_session(campaign):
        raise Http404("No remote session.")
    return render(request, "testing/notice/page.html", notice_context(campaign, level=2))
