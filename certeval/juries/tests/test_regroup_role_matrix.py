"""Regroupements inter-académiques, for every role. The campaign's regroupements page: those who
run the campaign (all, with the forms), an organiser limited to an academy (those containing it),
the president of a regroupement (theirs); its edit page: those who run the campaign. A
regroupement's jury page and meetings: its president and those who run the campaign — the
president of the other regroupement gets 404, as for an absent one; anonymous visitors sign in."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.juries.tests.regroup_fixtures import regroup_campaign

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "organiser",
    "academy_organiser",
    "other_academy_organiser",
    "other_organiser",
    "president",
    "other_president",
    "juror",
    "administrator",
]


@pytest.fixture
def world() -> World:
    rc = regroup_campaign()
    other = jury_campaign(candidates=1)
    users = {
        "candidate": rc.enrolments["se"][0].candidate.user,
        "organiser": rc.organiser,
        "academy_organiser": organiser_of(rc.campaign, academy=academy("versailles")),
        "other_academy_organiser": organiser_of(rc.campaign, academy=academy("grenoble")),
        "other_organiser": other.organiser,
        "president": rc.president_se,
        "other_president": rc.president_no,
        "juror": rc.jurors["se"][0].user,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": rc.campaign.pk, "regroupement": rc.sud_est.pk})


RUN = {"organiser", "administrator"}
LEAD = RUN | {"president"}
PAGES = [
    (
        "/campagnes/{campaign}/regroupements/",
        RUN | {"academy_organiser", "other_academy_organiser", "president", "other_president"},
    ),
    ("/campagnes/regroupements/{regroupement}/", RUN),
    ("/jurys/regroupement/{regroupement}/", LEAD),
]
# Empty forms: the organisers' forms come back with their errors (200); the meeting form sends
# back to the regroupement's page with the error message (302).
POSTS = [
    ("/campagnes/{campaign}/regroupements/", dict.fromkeys(RUN, 200)),
    ("/campagnes/regroupements/{regroupement}/", dict.fromkeys(RUN, 200)),
    ("/jurys/regroupement/{regroupement}/reunion/", dict.fromkeys(LEAD, 302)),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


def test_an_academy_organiser_sees_only_the_regroupements_of_their_academy(world: World) -> None:
    from certeval.accounts.tests.matrix import client_for

    mine = client_for(world, "academy_organiser").get(
        "/campagnes/{campaign}/regroupements/".format(**world.ids)
    )
    html = mine.content.decode()
    assert "Regroupement Sud-Est" in html and "Regroupement Nord-Ouest" not in html
    assert "Nouveau regroupement" not in html and "Modifier" not in html
    none = client_for(world, "other_academy_organiser").get(
        "/campagnes/{campaign}/regroupements/".format(**world.ids)
    )
    assert "Regroupement Sud-Est" not in none.content.decode()
