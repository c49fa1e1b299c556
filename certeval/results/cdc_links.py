"""The campaign page's link to its « Déclaration Caisse des Dépôts » page (registered in
``campaigns.hooks.CAMPAIGN_LINKS`` by ``ResultsConfig.ready``): for campaigns whose référentiel is
declared, to administrators and the campaign's organisers."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign
from certeval.results import permissions
from certeval.results.cdc_selectors import declaration_config


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    user = request.user
    if not user.is_authenticated or not permissions.cdc_campaigns(user).filter(pk=campaign.pk).exists():
        return []
    if not declaration_config(campaign).declares:
        return []
    return [(_("Déclaration Caisse des Dépôts"), reverse("cdc:campaign", args=[campaign.pk]))]
