"""Reads of placement-run invitations: which campaigns a person may invite to, the invitations in
their scope, an invitation by its token, and the accepted invitations that give a person a
placement run.

**Scope** (the same as enrolment in the campaigns context): the invitations page of a campaign is
open to its organisers and to administrators (``campaigns_managed``); campaign-wide organisers and
administrators see and revoke every invitation of the campaign, an organiser limited to an academy
invites for their academy and sees only its invitations (``academies_enrollable``). Only campaigns
whose référentiel uses an automated test with an item bank have invitations; any other campaign,
or one out of scope, answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from certeval.accounts.models import User
from certeval.campaigns.models import Academy, Campaign, CampaignState
from certeval.campaigns.permissions import academies_enrollable, campaigns_managed
from certeval.testing.models import PlacementInvitation
from certeval.testing.selectors import automated_test_of, known_banks

# Invitations are sent, accepted and give a placement run while the campaign is open (the placement
# run sets the target level of the proctored test, taken before the dossier deadline).
INVITING_STATES = (CampaignState.OPEN,)


def bank_of(campaign: Campaign) -> str | None:
    """The item bank of the campaign's automated test, or None when it has none."""
    bank = automated_test_of(campaign.framework_version)
    return bank if bank is not None and bank in known_banks() else None


def campaign_or_404(user: User, campaign_id: int) -> tuple[Campaign, str]:
    """A campaign the user organises whose référentiel has a placement run, with its bank."""
    campaign = (
        campaigns_managed(user).select_related("framework_version").filter(pk=campaign_id).first()
        if user.is_authenticated
        else None
    )
    bank = bank_of(campaign) if campaign is not None else None
    if campaign is None or bank is None:
        raise Http404("No such campaign.")
    return campaign, bank


def academy_scope(user: User, campaign: Campaign) -> set[int] | None:
    """The academies the user invites for (None: the whole campaign)."""
    return academies_enrollable(user, campaign)


def academies_for(user: User, campaign: Campaign) -> QuerySet[Academy]:
    scope = academy_scope(user, campaign)
    academies = Academy.objects.order_by("name")
    return academies if scope is None else academies.filter(pk__in=scope)


def invitations_in_scope(user: User, campaign: Campaign) -> QuerySet[PlacementInvitation]:
    invitations = PlacementInvitation.objects.filter(campaign=campaign).select_related(
        "academy", "accepted_by", "invited_by"
    )
    scope = academy_scope(user, campaign)
    return invitations if scope is None else invitations.filter(academy_id__in=scope)


def invitation_in_scope_or_404(user: User, campaign: Campaign, invitation_id: int) -> PlacementInvitation:
    invitation = invitations_in_scope(user, campaign).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def active_emails(campaign: Campaign) -> set[str]:
    """The addresses with an active (not revoked) invitation to the campaign, whatever the scope."""
    return set(
        PlacementInvitation.objects.filter(campaign=campaign, revoked_at__isnull=True).values_list(
            "email", flat=True
        )
    )


def by_token(token: str) -> PlacementInvitation | None:
    """The invitation of this token, revoked or not (None for an unknown token)."""
    if not token or len(token) > 64:
        return None
    return (
        PlacementInvitation.objects.filter(token=token)
        .select_related("campaign__framework_version", "accepted_by")
        .first()
    )


def is_invitee(user: User, invitation: PlacementInvitation) -> bool:
    """Whether the signed-in user is the invited address (case ignored)."""
    return bool(user.is_authenticated and user.email.strip().lower() == invitation.email)


def accepted_invitations(user: User, bank: str | None = None) -> list[PlacementInvitation]:
    """The person's accepted, not revoked invitations to open campaigns with a placement run (of
    ``bank``), the most recent first."""
    if not user.is_authenticated:
        return []
    invitations = (
        PlacementInvitation.objects.filter(
            accepted_by=user, revoked_at__isnull=True, campaign__state__in=INVITING_STATES
        )
        .select_related("campaign__framework_version")
        .order_by("-accepted_at", "-pk")
    )
    return [i for i in invitations if (found := bank_of(i.campaign)) is not None and bank in (None, found)]
