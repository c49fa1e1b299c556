"""The declared-evidence writes of the deposit page, for every role: the candidate alone declares
and withdraws evidence in their own draft dossier; everyone else — another candidate, the
campaign's organiser, an administrator — gets 404 as for a dossier that does not exist, and
nothing changes. The section itself is part of the deposit page (its own matrix)."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.dossiers.tests.test_evidence_declarations import declare, enrolment_of, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "other_candidate", "organiser", "administrator"]


@pytest.fixture
def world() -> World:
    enrolment = enrolment_of("langues-vivantes-innovation")
    dossier = upload(enrolment)
    declaration = declare(enrolment, "E1-C1", dossier, first_page=1, last_page=2)
    other = enrolment_of("langues-vivantes-innovation")
    users = {
        "candidate": enrolment.candidate.user,
        "other_candidate": other.candidate.user,
        "organiser": organiser_of(enrolment.campaign),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"enrolment": enrolment.pk, "declaration": declaration.pk})


POSTS = [
    # An empty form: the deposit page again with its French errors, nothing declared.
    ("/mes-certifications/{enrolment}/dossier/preuves/", {"candidate": 200}),
    # Withdrawn, back to the deposit page.
    ("/mes-certifications/{enrolment}/dossier/preuves/{declaration}/retirer/", {"candidate": 302}),
]


@pytest.mark.parametrize(("template", "answers"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, answers: dict[str, int]) -> None:
    for role in ROLES:
        assert_post_matrix(world, role, template, answers)
