"""The demo's requests: one erasure request pending, one rectification answered; idempotent. (The full
demo, ``certeval/core/tests/test_demo_command.py``, runs it among every context's demo.)"""

from __future__ import annotations

import io

import pytest
from django.test import Client

from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from certeval.privacy import demo
from certeval.privacy.demo_requests import BIRTH_PLACE, ERASURE_EMAIL, RECTIFICATION_EMAIL
from certeval.privacy.requests_models import PersonRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_demo_requests_are_seeded_once_and_shown() -> None:
    admin = UserFactory(email="admin@demo.certeval.fr", is_superuser=True, is_staff=True)
    erasing = EnrolmentFactory(candidate__user__email=ERASURE_EMAIL).candidate
    correcting = EnrolmentFactory(candidate__user__email=RECTIFICATION_EMAIL).candidate
    for _ in range(2):
        demo.populate(io.StringIO())
    assert PersonRequest.objects.count() == 2
    erasure = PersonRequest.objects.get(user=erasing.user)
    rectification = PersonRequest.objects.get(user=correcting.user)
    assert erasure.status == RequestStatus.PENDING
    assert rectification.status == RequestStatus.ACCEPTED
    correcting.refresh_from_db()
    assert correcting.birth_place == BIRTH_PLACE
    staff = Client()
    staff.force_login(admin)
    listing = staff.get("/donnees-personnelles/demandes/").content.decode()
    assert f"n° {erasure.pk}" in listing and f"n° {rectification.pk}" in listing
    person = Client()
    person.force_login(correcting.user)
    assert "Lieu de naissance corrigé" in person.get("/donnees-personnelles/mes-demandes/").content.decode()
