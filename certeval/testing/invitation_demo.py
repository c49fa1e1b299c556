"""Demo invitations: the organiser (organisateur@) has invited two addresses to the placement run of
the open Pix+ Édu campaign (the spring session), so that its invitations page is not empty. The
invitations go through the service, as from the page (accounts created without a password, e-mails
queued for the task worker). Nothing is written when the campaign or the organiser is missing, or
when the campaign already has invitations."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
from certeval.campaigns.demo import SPRING_TITLE
from certeval.campaigns.models import Campaign, CampaignState
from certeval.testing.errors import TestingError
from certeval.testing.invitation_services import invitations_send
from certeval.testing.models import PlacementInvitation

ORGANISER = "organisateur@demo.certeval.fr"
INVITED = ("louise.invitee@demo.certeval.fr", "marc.invite@demo.certeval.fr")


def seed_invitations(stdout: TextIO) -> int:
    """Invite the demo addresses; returns the number of invitations written (0: nothing to do)."""
    campaign = Campaign.objects.filter(title=SPRING_TITLE, state=CampaignState.OPEN).first()
    organiser = User.objects.filter(email=ORGANISER).first()
    if campaign is None or organiser is None:
        stdout.write(
            "Invitations au parcours bilan : campagne ouverte ou organisateur absent, aucune invitation.\n"
        )
        return 0
    if PlacementInvitation.objects.filter(campaign=campaign).exists():
        stdout.write("Invitations au parcours bilan : déjà envoyées, rien n'est ajouté.\n")
        return 0
    try:
        sent = invitations_send(actor=organiser, campaign=campaign, text="\n".join(INVITED))
    except TestingError as error:
        stdout.write(f"Invitations au parcours bilan : {error}\n")
        return 0
    stdout.write(
        f"Invitations au parcours bilan : {len(sent.invitations)} personnes invitées à « {campaign.title} ».\n"
    )
    return len(sent.invitations)
