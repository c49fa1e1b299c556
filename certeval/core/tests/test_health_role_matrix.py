"""Liveness, readiness and metrics answer every visitor the same way (none shows personal data);
/metrics is restricted by origin (loopback, as the test client is) or token, not by role
(test_health_endpoints.py)."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, fingerprint
from certeval.campaigns.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "administrator"]
EVERYONE = set(ROLES)


@pytest.fixture
def world() -> World:
    users = {"candidate": UserFactory(), "administrator": UserFactory(is_superuser=True, is_staff=True)}
    return World(users, {})


PAGES = [
    ("/sante/", EVERYONE),
    ("/pret/", EVERYONE),
    ("/metrics", EVERYONE),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    before = fingerprint()
    assert_get_matrix(world, ROLES, template, allowed)
    assert fingerprint() == before
