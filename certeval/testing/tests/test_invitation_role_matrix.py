"""Every page of placement-run invitations, for every role. The invitations page of a campaign is
open to its organisers (an organiser limited to an academy sees their academy's invitations) and to
administrators; an organiser of another campaign, a juror and candidates get 404 — the same answer
as for an absent campaign. An invitation's link is opened by the invited person only: anyone else,
staff included, gets 404. Anonymous visitors are sent to sign in. A refused write changes nothing."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix, client_for
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CandidateFactory, UserFactory, organiser_of
from certeval.testing.models import PlacementInvitation
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in
from certeval.testing.tests.run_factories import BANK, make_bank

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "juror",
    "administrator",
]


@pytest.fixture
def world() -> World:
    make_bank(1)
    campaign = campaign_of(BANK)
    other = campaign_of(BANK)
    organiser = organiser_of(campaign)
    invitee = CandidateFactory()
    invitation = PlacementInvitation.objects.create(
        campaign=campaign,
        email=invitee.email,
        academy=academy("lyon"),
        token="jeton-de-test",
        invited_by=organiser,
    )
    juror = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=juror, role="juror")
    users = {
        "candidate": invitee.user,
        "other_candidate": enrolment_in(campaign, "lyon").candidate.user,
        "organiser": organiser,
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "other_organiser": organiser_of(other),
        "juror": juror,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ids = {"campaign": campaign.pk, "invitation": invitation.pk, "token": invitation.token}
    return World(users, ids)  # type: ignore[arg-type]


MANAGERS = {"organiser", "academy_organiser", "administrator"}

PAGES = [
    ("/tests-en-ligne/invitations/campagne/{campaign}/", MANAGERS),
    ("/tests-en-ligne/invitation/{token}/", {"candidate"}),
]
# (url template, the answer of each allowed role to an empty form); every other role is refused and
# nothing changes.
POSTS = [
    # No address: the form again with its error.
    ("/tests-en-ligne/invitations/campagne/{campaign}/", dict.fromkeys(MANAGERS, 200)),
    # The invitation is of the Lyon academy: every manager revokes it, then back to the list.
    ("/tests-en-ligne/invitations/campagne/{campaign}/{invitation}/revoquer/", dict.fromkeys(MANAGERS, 302)),
    # No degree: the form again with its error.
    ("/tests-en-ligne/invitation/{token}/", {"candidate": 200}),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


def test_an_academy_organiser_does_not_reach_another_academys_invitation(world: World) -> None:
    invitation = PlacementInvitation.objects.get(pk=world.ids["invitation"])
    invitation.academy = academy("versailles")
    invitation.save()
    client = client_for(world, "academy_organiser")
    url = f"/tests-en-ligne/invitations/campagne/{world.ids['campaign']}/{invitation.pk}/revoquer/"
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
