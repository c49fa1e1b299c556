"""The campaign page's links to the testing pages about the campaign (registered in
``campaigns.hooks.CAMPAIGN_LINKS`` by ``TestingConfig.ready``): its automated results for those who
record them, the invitations to its placement run for those who invite (campaigns whose
référentiel has an item bank), the kits of its proctored sessions for those who see their console,
and its proctored sessions for those who run it (campaigns whose référentiel has an automated test); a
session's page links to its own kit and console (``campaigns.hooks.SESSION_LINKS``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Session
from certeval.campaigns.permissions import campaigns_managed, campaigns_run
from certeval.testing.invitation_selectors import bank_of
from certeval.testing.permissions import campaigns_with_results, deliveries_invigilated
from certeval.testing.selectors import automated_test_of


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    user = request.user
    if not user.is_authenticated:
        return []
    links = []
    if campaigns_with_results(user).filter(pk=campaign.pk).exists():
        links.append((_("Résultats du volet automatisé"), reverse("testing:automated", args=[campaign.pk])))
    if bank_of(campaign) is not None and campaigns_managed(user).filter(pk=campaign.pk).exists():
        links.append(
            (_("Invitations au parcours bilan"), reverse("invitations:campaign", args=[campaign.pk]))
        )
    if deliveries_invigilated(user).filter(session__campaign=campaign).exists():
        links.append(
            (
                _("Kits des sessions surveillées (archive zip de PDF)"),
                reverse("kits:campaign", args=[campaign.pk]),
            )
        )
    if (
        automated_test_of(campaign.framework_version) is not None
        and campaigns_run(user).filter(pk=campaign.pk).exists()
    ):
        links.append((_("Épreuves surveillées"), reverse("console:campaign", args=[campaign.pk])))
    return links


def session_links(request: HttpRequest, session: Session) -> list[tuple[str, str]]:
    """The kit of a proctored session and its invigilator console, for those who see its console."""
    user = request.user
    if not user.is_authenticated:
        return []
    delivery = deliveries_invigilated(user).filter(session=session).first()
    if delivery is None:
        return []
    return [
        (_("Kit de la session à imprimer (PDF)"), reverse("kits:session", args=[session.pk])),
        (_("Espace surveillant de la session"), reverse("console:detail", args=[delivery.pk])),
    ]
