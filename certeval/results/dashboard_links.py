"""The campaign page's link to its dashboard, and a session page's link to the publication of its
results (registered in ``campaigns.hooks`` by ``ResultsConfig.ready``), for those who may open them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Session
from certeval.campaigns.permissions import campaigns_managed
from certeval.results.permissions import can_publish
from certeval.results.session_publication import SESSION_PUBLISHABLE_STATES


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    """« Tableau de bord » for the campaign's organisers (any scope) and administrators."""
    user = request.user
    if not user.is_authenticated or not campaigns_managed(user).filter(pk=campaign.pk).exists():
        return []
    return [(_("Tableau de bord"), reverse("results:dashboard", args=[campaign.pk]))]


def session_links(request: HttpRequest, session: Session) -> list[tuple[str, str]]:
    """« Publier les résultats de la session » while the campaign is in juries or deliberation, for
    those who publish results."""
    user = request.user
    if (
        not user.is_authenticated
        or session.campaign.state not in SESSION_PUBLISHABLE_STATES
        or not can_publish(user, session.campaign)
    ):
        return []
    return [(_("Publier les résultats de la session"), reverse("results:session_publish", args=[session.pk]))]
