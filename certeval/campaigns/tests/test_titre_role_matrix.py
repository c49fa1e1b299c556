"""Every page and form of the title by blocs, for every role: « Mes blocs » is the signed-in
person's own (a person with no candidate record gets 404); the choice of blocs is posted by the
candidate on their own enrolment or by an organiser in scope (and administrators) — another
candidate, an organiser of another academy or campaign get 404, as for an absent enrolment. An
empty choice is refused with its message: nothing changes."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import Academy
from certeval.campaigns.tests.factories import (
    CandidateFactory,
    EnrolmentFactory,
    UserFactory,
    organiser_of,
)
from certeval.campaigns.tests.test_titre_enrolment import titre_campaign
from certeval.testing.tests.factories import campaign_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "administrator",
]


@pytest.fixture
def world() -> World:
    campaign = titre_campaign()
    lyon = Academy.objects.get(code="lyon")
    enrolment = EnrolmentFactory(campaign=campaign, academy=lyon)
    users = {
        "candidate": enrolment.candidate.user,
        "other_candidate": CandidateFactory().user,
        "organiser": organiser_of(campaign),
        "academy_organiser": organiser_of(campaign, academy=Academy.objects.get(code="nice")),
        "other_organiser": organiser_of(campaign_of()),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"enrolment": enrolment.pk})


PAGES = [
    ("/campagnes/mes-blocs/", {"candidate", "other_candidate"}),
]
POSTS = [
    # An empty choice: back to the enrolment page with the French error, nothing changed.
    ("/campagnes/candidats/{enrolment}/blocs/", {"candidate": 302, "organiser": 302, "administrator": 302}),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("template", "answers"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, answers: dict[str, int]) -> None:
    for role in ROLES:
        assert_post_matrix(world, role, template, answers)
