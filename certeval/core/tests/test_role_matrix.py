"""The public pages — home, accessibility, the catalogue of référentiels and its API, sign-in, the
API documentation — answer every visitor, signed in or not."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, client_for
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.tests.factories import published

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "administrator"]
EVERYONE = set(ROLES)


@pytest.fixture
def world() -> World:
    version = published("pix-plus-edu")
    users = {"candidate": UserFactory(), "administrator": UserFactory(is_superuser=True, is_staff=True)}
    return World(users, {"framework": version.framework_id, "version": version.version_number})


PAGES = [
    ("/", EVERYONE),
    ("/accessibilite/", EVERYONE),
    ("/referentiels/", EVERYONE),
    ("/referentiels/recherche/", EVERYONE),
    ("/referentiels/{framework}/", EVERYONE),
    ("/referentiels/{framework}/v{version}/", EVERYONE),
    ("/referentiels/{framework}/export.case.json", EVERYONE),
    ("/referentiels/{framework}/export.json", EVERYONE),
    ("/referentiels/{framework}/export.yaml", EVERYONE),
    ("/api/v1/frameworks/", EVERYONE),
    ("/api/v1/frameworks/{framework}", EVERYONE),
    ("/api/docs", EVERYONE),
    ("/api/openapi.json", EVERYONE),
    ("/comptes/connexion/", EVERYONE),
    ("/comptes/mot-de-passe/enregistre/", EVERYONE),
    ("/comptes/mot-de-passe/nouveau-lien/", EVERYONE),
    ("/comptes/mot-de-passe/lien-envoye/", EVERYONE),
    # An unknown or used link answers with a page that says so, to everyone.
    ("/comptes/mot-de-passe/{uid}/{token}/", EVERYONE),
]
POSTS = [("/comptes/deconnexion/", EVERYONE)]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_public_pages(world: World, template: str, allowed: set[str]) -> None:
    ids = {**world.ids, "uid": "MQ", "token": "c0ffee-0000"}
    assert_get_matrix(World(world.users, ids), ROLES, template, allowed)  # type: ignore[arg-type]


def test_everyone_may_sign_out(world: World) -> None:
    for role in ROLES:
        response = client_for(world, role).post("/comptes/deconnexion/")
        assert response.status_code == 302, role
