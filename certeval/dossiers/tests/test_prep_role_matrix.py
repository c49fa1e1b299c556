"""Every page of the candidate's preparation support (guide, peer review), for every role: allowed,
or 404 — the same answer as for an absent object. The peer's signed link is open to whoever holds
it (signed in or not); an unknown link is 404."""

from __future__ import annotations

from typing import Any

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, organiser_of
from certeval.dossiers.peer_services import invitation_token, peer_invite
from certeval.dossiers.tests.prep_fixtures import draft_with_file

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "peer",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "stranger",
    "administrator",
]


@pytest.fixture
def world() -> World:
    enrolment, stored = draft_with_file()
    peer = UserFactory(email="pair-matrice@example.fr")
    invitation = peer_invite(enrolment=enrolment, by=enrolment.candidate.user, email=peer.email)
    academy_organiser = UserFactory()
    CampaignRole.objects.create(
        campaign=enrolment.campaign, user=academy_organiser, role="organiser", academy=enrolment.academy
    )
    users = {
        "candidate": enrolment.candidate.user,
        "other_candidate": EnrolmentFactory(campaign=enrolment.campaign).candidate.user,
        "peer": peer,
        "organiser": organiser_of(enrolment.campaign),
        "academy_organiser": academy_organiser,
        "other_organiser": organiser_of(CampaignFactory()),
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ids: dict[str, Any] = {
        "enrolment": enrolment.pk,
        "invitation": invitation.pk,
        "file": stored.pk,
        "token": invitation_token(invitation),
    }
    return World(users, ids)


SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
OWN_OR_MANAGED = {"candidate", "organiser", "academy_organiser", "administrator"}

PAGES = [
    ("/mes-certifications/{enrolment}/guide/", OWN_OR_MANAGED),
    ("/mes-certifications/{enrolment}/relecture/", {"candidate"}),
    ("/relectures/", SIGNED_IN),
    ("/relecture/{token}/", EVERYONE),
    ("/relecture/{token}/fichiers/{file}/", EVERYONE),
]
POSTS = [
    # An empty invitation form is shown again with its errors.
    ("/mes-certifications/{enrolment}/relecture/", {"candidate": 200}),
    ("/mes-certifications/{enrolment}/relecture/{invitation}/revoquer/", {"candidate": 302}),
    # An empty feedback form is shown again with its errors, to whoever holds the link.
    ("/relecture/{token}/", dict.fromkeys(EVERYONE, 200)),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)
