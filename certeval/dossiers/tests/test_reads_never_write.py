"""Reads never write (issue 9, defect 7): looking at a deposit that was never started creates no
dossier; the first upload creates it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import (
    AcademyFactory,
    CampaignFactory,
    CandidateFactory,
    pdf_bytes,
)
from certeval.dossiers import selectors
from certeval.dossiers.models import Dossier
from certeval.dossiers.services import dossier_file_upload

pytestmark = pytest.mark.django_db


def enrolment_without_dossier() -> Enrolment:
    enrolment = Enrolment.objects.create(
        campaign=CampaignFactory(),
        candidate=CandidateFactory(),
        academy=AcademyFactory(),
        school_level="second",
        training="continue",
    )
    assert not Dossier.objects.filter(enrolment=enrolment).exists()
    return enrolment


def test_selectors_create_no_dossier() -> None:
    enrolment = enrolment_without_dossier()
    before = Dossier.objects.count()
    assert selectors.dossier_of(enrolment) is None
    assert selectors.current_files(selectors.dossier_of(enrolment)) == []
    shown = selectors.dossier_for_display(enrolment)
    assert shown.pk is None and shown.state == "draft"
    assert list(selectors.past_versions(shown)) == []
    assert selectors.files_for_reading(enrolment) == []
    assert Dossier.objects.count() == before


def test_pages_and_api_read_a_deposit_never_started_without_creating_it() -> None:
    enrolment = enrolment_without_dossier()
    client = Client()
    client.force_login(enrolment.candidate.user)
    before = Dossier.objects.count()
    assert client.get(reverse("dossiers:deposit", args=[enrolment.pk])).status_code == 200
    assert client.get(reverse("dossiers:history", args=[enrolment.pk])).status_code == 200
    assert client.get(reverse("dossiers:receipt", args=[enrolment.pk])).status_code == 404
    api = client.get(f"/api/v1/dossiers/{enrolment.pk}")
    assert api.status_code == 200 and api.json()["state"] == "draft" and api.json()["files"] == []
    assert Dossier.objects.count() == before


def test_the_first_upload_creates_the_dossier() -> None:
    enrolment = enrolment_without_dossier()
    data = pdf_bytes(2)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="dossier.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
    )
    assert stored.dossier == Dossier.objects.get(enrolment=enrolment)
