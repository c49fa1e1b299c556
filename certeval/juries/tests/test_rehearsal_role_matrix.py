"""Every page of the oral rehearsals, for every role: allowed, or 404 — the same answer as for an
absent object; anonymous visitors are sent to sign in. A refused write changes nothing."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, organiser_of
from certeval.juries.rehearsal_services import rehearsal_book
from certeval.juries.tests.factories import JurorFactory
from certeval.juries.tests.rehearsal_fixtures import rehearsal_world

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "rehearser",
    "other_juror",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "stranger",
    "administrator",
]


@pytest.fixture
def world() -> World:
    rw = rehearsal_world()
    slot = rw.slot()
    rehearsal_book(enrolment=rw.enrolment, slot_id=slot.pk, by=rw.enrolment.candidate.user)
    academy_organiser = UserFactory()
    CampaignRole.objects.create(
        campaign=rw.campaign, user=academy_organiser, role="organiser", academy=rw.enrolment.academy
    )
    users = {
        "candidate": rw.enrolment.candidate.user,
        "other_candidate": EnrolmentFactory(campaign=rw.campaign).candidate.user,
        "rehearser": rw.juror.user,
        "other_juror": JurorFactory(campaign=CampaignFactory()).user,
        "organiser": rw.organiser,
        "academy_organiser": academy_organiser,
        "other_organiser": organiser_of(CampaignFactory()),
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": rw.campaign.pk, "slot": slot.pk, "enrolment": rw.enrolment.pk})


STAFF = {"rehearser", "organiser", "administrator"}

PAGES = [
    ("/jurys/campagne/{campaign}/repetitions/", STAFF),
    ("/jurys/repetitions/{slot}/retour/", {"rehearser"}),
    ("/mes-certifications/{enrolment}/repetition/", {"candidate"}),
]
# Empty forms: shown again with their errors (200) or sent back with a message (302).
POSTS = [
    ("/jurys/campagne/{campaign}/repetitions/", dict.fromkeys(STAFF, 200)),
    ("/jurys/repetitions/{slot}/retour/", {"rehearser": 200}),
    ("/mes-certifications/{enrolment}/repetition/reserver/", {"candidate": 302}),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)
