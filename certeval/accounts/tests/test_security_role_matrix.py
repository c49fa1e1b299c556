"""The accounts pages added for security: « Mon compte », password change and password confirmation are for every
signed-in person (their own account only: nothing in the URL names anyone), anonymous visitors are
sent to sign in; posting them changes only the poster's own account."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "juror", "organiser", "administrator"]
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.fixture
def world() -> World:
    users = {
        "candidate": UserFactory(),
        "juror": UserFactory(),
        "organiser": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {})


PAGES = [
    ("/comptes/", SIGNED_IN),
    ("/comptes/mot-de-passe/changer/", SIGNED_IN),
    ("/comptes/confirmer/", SIGNED_IN),
]

# An empty form: every signed-in person gets the form back with its errors (200); anonymous
# visitors are sent to sign in and nothing changes.
POSTS = [
    ("/comptes/mot-de-passe/changer/", {}, dict.fromkeys(SIGNED_IN, 200)),
    ("/comptes/confirmer/", {}, dict.fromkeys(SIGNED_IN, 200)),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(
    ("template", "data", "answers", "role"),
    [(*row, role) for row in POSTS for role in ROLES],
    ids=[f"{row[0]}-{role}" for row in POSTS for role in ROLES],
)
def test_post_matrix(
    world: World, template: str, data: dict[str, str], answers: dict[str, int], role: str
) -> None:
    assert_post_matrix(world, role, template, answers, data)


def test_my_account_gathers_the_persons_own_pages(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["candidate"])
    text = client.get("/comptes/").content.decode()
    for url in (
        "/comptes/mot-de-passe/changer/",
        "/comptes/second-facteur/",
        "/donnees-personnelles/mes-donnees/",
        "/donnees-personnelles/mes-demandes/",
    ):
        assert f'href="{url}"' in text, url
    assert "/donnees-personnelles/demandes/" not in text  # the DPO's pages: administrators only
    client.force_login(world.users["administrator"])
    text = client.get("/comptes/").content.decode()
    assert 'href="/donnees-personnelles/demandes/"' in text and 'href="/donnees-personnelles/registre/"' in text
    header = client.get("/").content.decode()
    assert 'href="/comptes/"' in header
