"""Every campaign in one read, for the command line (``certeval campaigns list``): its framework,
state, candidates and the count of candidates per final decision outcome."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from certeval.campaigns.hooks import decision_outcomes
from certeval.campaigns.models import Campaign


def campaign_listing() -> list[dict[str, Any]]:
    """One entry per campaign, oldest first; ``outcomes`` counts each candidate's final decision
    (``certified``, ``adjourned``, ``not_certified``, ``ineligible``), absent outcomes omitted."""
    campaigns = list(
        Campaign.objects.select_related("framework_version")
        .annotate(candidates=Count("enrolments"))
        .order_by("created_at", "pk")
    )
    outcomes = decision_outcomes([campaign.pk for campaign in campaigns])
    return [
        {
            "slug": campaign.slug,
            "title": campaign.title,
            "framework": campaign.framework_version.framework_id,
            "framework_version": campaign.framework_version.version_number,
            "state": campaign.state,
            "state_label": str(campaign.get_state_display()),
            "candidates": campaign.candidates,
            "outcomes": dict(sorted(outcomes[campaign.pk].items())),
        }
        for campaign in campaigns
    ]
