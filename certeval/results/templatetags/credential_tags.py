"""``{% credential_progress campaign %}``: how many of a campaign's awards have their signed Open
Badges credential, and the state of the latest background signing batch (campaign awards page)."""

from __future__ import annotations

from typing import Any

from django import template

from certeval.campaigns.models import Campaign
from certeval.results.models import Award, Credential, CredentialBatch

register = template.Library()


@register.inclusion_tag("results/credentials/progress.html")
def credential_progress(campaign: Campaign) -> dict[str, Any]:
    return {
        "awards": Award.objects.filter(campaign=campaign).count(),
        "signed": Credential.objects.filter(award__campaign=campaign).count(),
        "batch": CredentialBatch.objects.filter(campaign=campaign).order_by("-created_at", "-pk").first(),
    }
