"""The campaign page's link to its « Fichiers de résultats » page (registered in
``campaigns.hooks.CAMPAIGN_LINKS`` by ``ResultsConfig.ready``), for those who may open it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign
from certeval.results.files_permissions import files_campaigns


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    user = request.user
    if not user.is_authenticated or not files_campaigns(user).filter(pk=campaign.pk).exists():
        return []
    return [(_("Fichiers de résultats et procès-verbaux"), reverse("results:files", args=[campaign.pk]))]
