"""Session kits and the remote-session notice, for every role. A kit carries the session's access
code and invigilator password: organisers running the campaign, the session's invigilators and
administrators get it; an invigilator of another session of the campaign gets only their own session's
kit in the campaign's archive; organisers limited to an academy, candidates and organisers of another
campaign get 404, as for an absent session. The notice of remote sessions is public."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix
from certeval.campaigns.models import CampaignRole, Session
from certeval.campaigns.tests.factories import SessionFactory, UserFactory, organiser_of
from certeval.testing import console_services as console
from certeval.testing.tests.factories import academy, campaign_of
from certeval.testing.tests.sitting_factories import proctored_session

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "invigilator",
    "other_invigilator",
    "administrator",
]


@pytest.fixture
def world() -> World:
    ps = proctored_session(1, mode=Session.Mode.REMOTE)
    campaign = ps.session.campaign
    other = SessionFactory(campaign=campaign)
    console.open_delivery(session_id=other.pk, actor=ps.organiser)
    users = {
        "candidate": ps.enrolments[0].candidate.user,
        "organiser": ps.organiser,
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "other_organiser": organiser_of(campaign_of()),
        "invigilator": UserFactory(),
        "other_invigilator": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    CampaignRole.objects.create(
        campaign=campaign, user=users["invigilator"], role="invigilator", session=ps.session
    )
    CampaignRole.objects.create(
        campaign=campaign, user=users["other_invigilator"], role="invigilator", session=other
    )
    return World(users, {"session": ps.session.pk, "campaign": campaign.pk})


MANAGERS = {"organiser", "administrator"}
PAGES = [
    ("/kits/sessions/{session}/kit.pdf", MANAGERS | {"invigilator"}),
    ("/kits/campagnes/{campaign}/kits.zip", MANAGERS | {"invigilator", "other_invigilator"}),
    ("/epreuve/information-a-distance/{campaign}/", set(ROLES)),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)
