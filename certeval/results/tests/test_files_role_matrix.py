"""Results files and jury minutes, for every role. The results file: organisers of the campaign (an
organiser limited to an academy gets their academy only: test_files.py), the president of a jury
(their jury's candidates), administrators. The minutes of a jury: its president and members,
organisers running the whole campaign, administrators. The page: whoever may download one of them.
Everyone else gets 404, as for an absent campaign or jury; anonymous visitors sign in (401 on the API)."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.results.tests.files_fixtures import files_campaign

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "president",
    "juror",
    "administrator",
]


@pytest.fixture
def world() -> World:
    fc = files_campaign()
    campaign = fc.jc.campaign
    other = jury_campaign(candidates=1)
    users = {
        "candidate": fc.versailles.candidate.user,
        "organiser": fc.jc.organiser,
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "other_organiser": other.organiser,
        "president": fc.jc.president,
        "juror": fc.jc.jurors[0].user,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": campaign.pk, "jury": fc.jc.slot(0).jury_id})


FILE = {"organiser", "academy_organiser", "president", "administrator"}
MINUTES = {"organiser", "president", "juror", "administrator"}
PAGES = [
    ("/resultats/campagnes/{campaign}/fichiers/", FILE | MINUTES),
    ("/resultats/campagnes/{campaign}/resultats.csv", FILE),
    ("/resultats/campagnes/{campaign}/resultats.xlsx", FILE),
    ("/resultats/jurys/{jury}/proces-verbal.pdf", MINUTES),
    ("/api/v1/results/campaigns/{campaign}/results", FILE),
    ("/api/v1/results/campaigns/{campaign}/results-file", FILE),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)
