"""The campaign dashboard and the publication of one session, for every role. The dashboard, its CSV
export and the bordereaux of an academy: the campaign's organisers (an academy-limited one for their
academy only) and administrators. Publishing a session: organisers of the whole campaign and
administrators. Everyone else gets 404, as for an absent campaign, session or academy, and nothing
changes."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_api_write, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.results.session_publication import session_publish
from certeval.results.tests.test_dashboard import decide, sessions_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "president",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "administrator",
]


@pytest.fixture
def world() -> World:
    jc = jury_campaign(candidates=3)
    may, june = sessions_of(jc)
    for index in range(3):
        decide(jc, index)
    # June's candidate (from Lyon) has a published result: the bordereaux of Lyon are downloadable.
    session_publish(session=june, by=jc.organiser, confirmed=True)
    users = {
        "candidate": jc.enrolments[0].candidate.user,
        "president": jc.president,
        "organiser": jc.organiser,
        "academy_organiser": organiser_of(jc.campaign, academy=academy("lyon")),
        "other_organiser": organiser_of(jury_campaign(candidates=1).campaign),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": jc.campaign.pk, "session": may.pk, "academy": academy("lyon").pk})


SCOPED = {"organiser", "academy_organiser", "administrator"}
RUNNERS = {"organiser", "administrator"}
PAGES = [
    ("/resultats/campagnes/{campaign}/tableau-de-bord/", SCOPED),
    ("/resultats/campagnes/{campaign}/tableau-de-bord/candidats.csv", SCOPED),
    ("/resultats/campagnes/{campaign}/bordereaux/{academy}.zip", SCOPED),
    ("/resultats/sessions/{session}/publier/", RUNNERS),
    ("/api/v1/results/campaigns/{campaign}/dashboard", SCOPED),
]
POSTS = [
    # Not confirmed: the page shows the confirmation again with the message.
    ("/resultats/sessions/{session}/publier/", dict.fromkeys(RUNNERS, 200)),
]
API_WRITES = [
    (
        "post",
        "/api/v1/results/sessions/{session}/publication",
        {"confirm": False},
        dict.fromkeys(RUNNERS, 409),
    ),
]
CASES = [(row, role) for row in POSTS for role in ROLES]
API_CASES = [(row, role) for row in API_WRITES for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


@pytest.mark.parametrize(("row", "role"), API_CASES, ids=[f"{r[0]}-{r[1]}-{role}" for r, role in API_CASES])
def test_api_write_matrix(
    world: World, row: tuple[str, str, dict[str, object], dict[str, int]], role: str
) -> None:
    assert_api_write(world, role, *row)
