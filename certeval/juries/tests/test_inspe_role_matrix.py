"""Every page of the INSPÉ organisations and of the teachers' evaluation, for every role: allowed,
or 404 — the same answer as for an absent object; anonymous visitors are sent to sign in. An
organiser of another organisation, a teacher who is not attached and the candidate see nothing."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.tests.inspe_factories import inspe_world

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "organisation_organiser",
    "other_organisation_organiser",
    "campaign_organiser",
    "academy_organiser",
    "teacher",
    "other_teacher",
    "student",
    "stranger",
    "administrator",
]


@pytest.fixture
def world() -> World:
    inspe = inspe_world()
    other = inspe_world(name="INSPÉ Toulouse Occitanie-Pyrénées")
    users = {
        "organisation_organiser": inspe.organiser,
        "other_organisation_organiser": other.organiser,
        "campaign_organiser": UserFactory(),
        "academy_organiser": UserFactory(),
        "teacher": inspe.teacher,
        "other_teacher": inspe.other_teacher,
        "student": inspe.student.candidate.user,
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    CampaignRole.objects.create(campaign=inspe.campaign, user=users["campaign_organiser"], role="organiser")
    CampaignRole.objects.create(
        campaign=inspe.campaign,
        user=users["academy_organiser"],
        role="organiser",
        academy=inspe.student.academy,
    )
    return World(
        users,
        {"organisation": inspe.organisation.pk, "campaign": inspe.campaign.pk, "enrolment": inspe.student.pk},
    )


ORG_MANAGERS = {"organisation_organiser", "administrator"}
RUNNERS = ORG_MANAGERS | {"campaign_organiser"}
TEACHER = {"teacher"}

PAGES = [
    # The list: administrators (who create organisations) and organisers of at least one.
    ("/campagnes/organisations/", ORG_MANAGERS | {"other_organisation_organiser"}),
    ("/campagnes/organisations/{organisation}/", ORG_MANAGERS),
    ("/jurys/campagne/{campaign}/enseignants/", RUNNERS),
    # A teacher of an organisation sees their (possibly empty) list of students.
    ("/jurys/mes-etudiants/", {"teacher", "other_teacher"}),
    ("/jurys/etudiant/{enrolment}/evaluation/", TEACHER),
]
POSTS = [
    # An empty creation form is answered with its errors, to administrators only.
    ("/campagnes/organisations/", {"administrator": 200}),
    ("/campagnes/organisations/{organisation}/", dict.fromkeys(ORG_MANAGERS, 200)),
    ("/campagnes/organisations/{organisation}/retirer/", dict.fromkeys(ORG_MANAGERS, 302)),
    ("/campagnes/organisations/{organisation}/campagne/", dict.fromkeys(ORG_MANAGERS, 302)),
    ("/jurys/campagne/{campaign}/enseignants/", dict.fromkeys(RUNNERS, 200)),
    ("/jurys/etudiant/{enrolment}/evaluation/", dict.fromkeys(TEACHER, 200)),
    ("/jurys/etudiant/{enrolment}/evaluation/valider/", dict.fromkeys(TEACHER, 302)),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)
