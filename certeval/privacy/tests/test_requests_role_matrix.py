"""Every page of the person's requests, for every role: the person's own pages to any signed-in
person (their own requests only), the administrators' list and answers to administrators only (404 for
anyone else, as for an absent request), and the proof file to its owner and administrators."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory, organiser_of, pdf_bytes
from certeval.privacy import requests_services as services

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "other_candidate", "organiser", "stranger", "administrator"]


@pytest.fixture
def world() -> World:
    enrolment = EnrolmentFactory()
    person = enrolment.candidate.user
    upload = SimpleUploadedFile("acte.pdf", pdf_bytes(1), content_type="application/pdf")
    rectification = services.rectification_request(
        by=person,
        field="first_names",
        requested_value="Camille Marie",
        reason="Second prénom oublié",
        proof=services.Proof(upload.name, upload.size, upload),
    )
    erasure = services.erasure_request(by=person)
    users = {
        "candidate": person,
        "other_candidate": EnrolmentFactory(campaign=enrolment.campaign).candidate.user,
        "organiser": organiser_of(enrolment.campaign),
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ids: dict[str, Any] = {"request": rectification.pk, "erasure": erasure.pk}
    return World(users, ids)


SIGNED_IN = set(ROLES) - {"anonymous"}

PAGES = [
    ("/donnees-personnelles/mes-demandes/", SIGNED_IN),
    ("/donnees-personnelles/effacement/", SIGNED_IN),
    ("/donnees-personnelles/rectification/", SIGNED_IN),
    ("/donnees-personnelles/mes-demandes/{request}/justificatif/", {"candidate", "administrator"}),
    ("/donnees-personnelles/demandes/", {"administrator"}),
    ("/donnees-personnelles/demandes/{request}/", {"administrator"}),
]
POSTS = [
    # Empty forms are shown again with their errors (nothing written).
    ("/donnees-personnelles/effacement/", dict.fromkeys(SIGNED_IN, 200)),
    ("/donnees-personnelles/rectification/", dict.fromkeys(SIGNED_IN, 200)),
    ("/donnees-personnelles/demandes/{erasure}/refuser/", {"administrator": 200}),
    ("/donnees-personnelles/demandes/{erasure}/prolonger/", {"administrator": 200}),
    # Accepting answers the request (the erasure of what may be erased): then back to its page.
    ("/donnees-personnelles/demandes/{request}/accepter/", {"administrator": 302}),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)
