from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certeval.campaigns.tests.factories import AcademyFactory, EnrolmentFactory, organiser_of, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_candidate_deposits_and_freezes_through_the_api() -> None:
    enrolment = EnrolmentFactory()
    client = Client()
    client.force_login(enrolment.candidate.user)
    data = pdf_bytes(3)
    created = client.post(
        f"/api/v1/dossiers/{enrolment.pk}/files",
        {"kind": "document", "title": "Dossier", "file": SimpleUploadedFile("../d.pdf", data)},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["page_count"] == 3
    refused = client.post(
        f"/api/v1/dossiers/{enrolment.pk}/files", {"file": SimpleUploadedFile("x.pdf", b"MZ exe")}
    )
    assert refused.status_code == 422 and "n'est pas accepté" in refused.json()["detail"]
    download = client.get(f"/api/v1/dossiers/files/{body['id']}/content")
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == body["sha256"]
    frozen = client.post(f"/api/v1/dossiers/{enrolment.pk}/freeze")
    assert frozen.status_code == 200 and frozen.json()["state"] == "submitted"
    again = client.post(f"/api/v1/dossiers/{enrolment.pk}/freeze")
    assert again.status_code == 409 and "figé" in again.json()["detail"]
    receipt = client.get(f"/api/v1/dossiers/{enrolment.pk}/receipt")
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")


def test_organiser_runs_a_campaign_through_the_api() -> None:
    enrolment = EnrolmentFactory()
    campaign = enrolment.campaign
    AcademyFactory(code="lyon", name="Lyon")
    client = Client()
    client.force_login(organiser_of(campaign))
    assert [c["id"] for c in client.get("/api/v1/campaigns/").json()] == [campaign.pk]
    session = client.post(
        f"/api/v1/campaigns/{campaign.pk}/sessions",
        {"label": "Oraux", "starts_at": "2030-03-29T09:00:00+02:00", "ends_at": "2030-03-29T12:00:00+02:00"},
        content_type="application/json",
    )
    assert session.status_code == 201
    new = client.post(
        f"/api/v1/campaigns/{campaign.pk}/enrolments",
        {
            "birth_name": "Moreau",
            "first_names": "Lucie",
            "birth_date": "1990-05-06",
            "email": "lucie@example.fr",
            "academy": "lyon",
            "school_level": "premier",
            "training": "continue",
        },
        content_type="application/json",
    )
    assert new.status_code == 201 and new.json()["dossier_state"] == "draft"
    assert len(client.get(f"/api/v1/campaigns/{campaign.pk}/enrolments").json()) == 2
    bad = client.post(
        f"/api/v1/campaigns/{campaign.pk}/transitions",
        {"to_state": "published"},
        content_type="application/json",
    )
    assert bad.status_code == 409


def test_an_invalid_link_is_refused_with_422_and_nothing_stored() -> None:
    enrolment = EnrolmentFactory()
    client = Client()
    client.force_login(enrolment.candidate.user)
    refused = client.post(
        f"/api/v1/dossiers/{enrolment.pk}/files",
        {"link_url": "pas une adresse", "file": SimpleUploadedFile("d.pdf", pdf_bytes(2))},
    )
    assert refused.status_code == 422 and "adresse web valide" in refused.json()["detail"]
    assert client.get(f"/api/v1/dossiers/{enrolment.pk}").json()["files"] == []
