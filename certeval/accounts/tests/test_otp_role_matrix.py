"""The second-factor pages for every role (docs/security-2fa.md): each person manages their own
devices (anonymous visitors are sent to sign in); a device of someone else answers 404, as an absent
one; the reset of another person's second factor is for administrators only (404 for every other
role, nothing changed); the passkey ceremonies answer the signed-in person and refuse anonymous
visitors (passwordless sign-in is off)."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import (
    World,
    assert_get_matrix,
    assert_post_matrix,
    client_for,
    fingerprint,
)
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CandidateFactory, EnrolmentFactory, UserFactory
from conftest import authenticator_of

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "juror", "organiser", "administrator"]
SIGNED_IN = set(ROLES) - {"anonymous"}


@pytest.fixture
def world() -> World:
    enrolment = EnrolmentFactory()
    organiser = UserFactory()
    CampaignRole.objects.create(campaign=enrolment.campaign, user=organiser, role="organiser")
    juror = UserFactory()
    CampaignRole.objects.create(campaign=enrolment.campaign, user=juror, role="invigilator")
    users = {
        "candidate": CandidateFactory().user,
        "juror": juror,
        "organiser": organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"kind": 0, "device": authenticator_of(juror).pk})


PAGES = [
    ("/comptes/second-facteur/", SIGNED_IN),
    ("/comptes/second-facteur/application/", SIGNED_IN),
    ("/comptes/second-facteur/codes-de-secours/", SIGNED_IN),
    ("/comptes/second-facteur/cle-d-acces/", SIGNED_IN),
    ("/comptes/second-facteur/supprimer/{kind}/{device}/", {"juror"}),
    ("/comptes/second-facteur/reinitialiser/", {"administrator"}),
    ("/comptes/second-facteur/cle-d-acces/api/jsi18n/", set(ROLES)),
]
# The verification page sends a verified session on (302), like the form posted to it.
VERIFY = "/comptes/second-facteur/verifier/"
POSTS = [
    (VERIFY, {role: 302 for role in SIGNED_IN}),
    # A wrong code: the form again with its French error, the pending device unchanged.
    ("/comptes/second-facteur/application/", {role: 200 for role in SIGNED_IN}),
    # Ten new codes, shown once (each signed-in person has the test authenticator).
    ("/comptes/second-facteur/codes-de-secours/", {role: 200 for role in SIGNED_IN}),
    # A wrong password: the form again, the device kept.
    ("/comptes/second-facteur/supprimer/{kind}/{device}/", {"juror": 200}, {"password": "faux"}),
    # An unknown address: the form again with its error.
    ("/comptes/second-facteur/reinitialiser/", {"administrator": 200}, {"email": "nul@exemple.fr"}),
    ("/comptes/second-facteur/cle-d-acces/api/inscription/debut/", {role: 200 for role in SIGNED_IN}),
    ("/comptes/second-facteur/cle-d-acces/api/inscription/fin/", {role: 400 for role in SIGNED_IN}),
    ("/comptes/second-facteur/cle-d-acces/api/verification/debut/", {role: 200 for role in SIGNED_IN}),
    ("/comptes/second-facteur/cle-d-acces/api/verification/fin/", {role: 400 for role in SIGNED_IN}),
]


def _ids(world: World) -> dict[str, object]:
    return {**world.ids, "kind": "totp"}


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    template = template.replace("{kind}", "totp")
    if template.endswith("jsi18n/"):
        for role in ROLES:
            assert client_for(world, role).get(template).status_code == 200, role
        return
    assert_get_matrix(world, ROLES, template, allowed)


def test_the_verification_page_sends_a_verified_session_on(world: World) -> None:
    for role in ROLES:
        response = client_for(world, role).get(VERIFY)
        assert response.status_code == 302, role
        expected = "/comptes/connexion/" if role == "anonymous" else "/"
        assert response["Location"].startswith(expected), role


@pytest.mark.parametrize("row", POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, row: tuple) -> None:  # type: ignore[type-arg]
    template, answers = row[0].replace("{kind}", "totp"), row[1]
    data = row[2] if len(row) > 2 else None
    if "/cle-d-acces/api/" in template:
        for role in ROLES:
            before = fingerprint()
            status = client_for(world, role).post(
                template.format(**world.ids), {}, content_type="application/json"
            )
            assert status.status_code == answers.get(role, 403), (role, status.status_code)
            if role == "anonymous":
                assert fingerprint() == before
        return
    for role in ROLES:
        assert_post_matrix(world, role, template, answers, data)
