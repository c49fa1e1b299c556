"""The statistics page and its CSV, for every role. The figures cover every academy of the campaign
and its jurors' answers: administrators and organisers of the whole campaign read them; an organiser
limited to an academy, a juror, a jury president, a candidate and an organiser of another campaign get
404, as for an absent campaign; anonymous visitors are sent to sign in. Reading changes nothing."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, fingerprint
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.tests.factories import academy, jury_campaign

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "juror",
    "president",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "administrator",
]


@pytest.fixture
def world() -> World:
    jc = jury_campaign(candidates=1)
    other = jury_campaign(candidates=1)
    users = {
        "candidate": jc.enrolments[0].candidate.user,
        "juror": jc.jurors[1].user,
        "president": jc.president,
        "organiser": jc.organiser,
        "academy_organiser": UserFactory(),
        "other_organiser": other.organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    CampaignRole.objects.create(
        campaign=jc.campaign, user=users["academy_organiser"], role="organiser", academy=academy("versailles")
    )
    return World(users, {"campaign": jc.campaign.pk})


MANAGERS = {"organiser", "administrator"}
PAGES = [
    ("/statistiques/campagne/{campaign}/", MANAGERS),
    ("/statistiques/campagne/{campaign}/statistiques.csv", MANAGERS),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    before = fingerprint()
    assert_get_matrix(world, ROLES, template, allowed)
    assert fingerprint() == before
