"""Every page of the privacy context of this part (docs/privacy.md), for every role: the notices are
public; the register of processing is for administrators (anyone else gets 404, as for an absent
page); « Mes données » and its downloads are for everyone signed in, each their own."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certeval.accounts.tests.matrix import World, assert_get_matrix
from certeval.campaigns.tests.factories import UserFactory
from certeval.privacy.tests.privacy_fixtures import privacy_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "juror", "president", "organiser", "administrator"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}


@pytest.fixture
def world() -> World:
    cache.clear()
    pw = privacy_world(published=False)
    users = {
        "candidate": pw.candidate,
        "juror": pw.juror,
        "president": pw.jc.president,
        "organiser": pw.jc.organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"slug": "inscription"})  # type: ignore[dict-item]


PAGES = [
    ("/donnees-personnelles/traitements/", EVERYONE),
    ("/donnees-personnelles/traitements/{slug}/", EVERYONE),
    ("/donnees-personnelles/registre/", {"administrator"}),
    ("/donnees-personnelles/registre.csv", {"administrator"}),
    ("/donnees-personnelles/registre.json", {"administrator"}),
    ("/donnees-personnelles/mes-donnees/", SIGNED_IN),
    ("/donnees-personnelles/mes-donnees/export.json", SIGNED_IN),
    ("/donnees-personnelles/mes-donnees/export.pdf", SIGNED_IN),
]
POSTS: list[tuple[str, dict[str, int]]] = []


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)
