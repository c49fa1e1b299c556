"""The API of the operations that first had only pages: prerequisites (status, the candidate's
trainer experience), campaign roles (list, grant by e-mail,
revoke) and the audit log (campaign-scoped and global, filters, pagination)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import (
    AcademyFactory,
    CampaignFactory,
    EnrolmentFactory,
    UserFactory,
    organiser_of,
    pdf_bytes,
)
from certeval.campaigns.tests.test_prerequisites import facilitateur
from certeval.dossiers.models import Dossier, DossierState

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_candidate_declares_trainer_experience_through_the_api() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=facilitateur()))
    client = _client(enrolment.candidate.user)
    url = f"/api/v1/campaigns/enrolments/{enrolment.pk}/prerequisites"
    status = client.get(url).json()
    assert status["required"] == ["trainer_experience"]
    assert status["checks"][0]["met"] is False and status["unmet"].startswith("Prérequis non rempli")
    refused = client.post(f"{url}/trainer-experience", {"description": "Trois ans en GRETA."})
    assert refused.status_code == 422 and "déclaration sur l'honneur" in refused.json()["detail"]
    attestation = SimpleUploadedFile("attestation.pdf", pdf_bytes(1), content_type="application/pdf")
    done = client.post(
        f"{url}/trainer-experience",
        {
            "description": "Trois ans en GRETA.",
            "years": "3",
            "attestation": attestation,
            "accompaniment": "planned",
        },
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["checks"][0]["met"] is True and body["unmet"] == ""
    assert body["trainer_experience"] == {
        "years": 3,
        "description": "Trois ans en GRETA.",
        "declared": False,
        "has_attestation": True,
        "accompaniment": "planned",
    }
    Dossier.objects.filter(enrolment=enrolment).update(state=DossierState.SUBMITTED, frozen_at=timezone.now())
    frozen = client.post(f"{url}/trainer-experience", {"description": "Autre", "declared": "true"})
    assert frozen.status_code == 409


def test_the_pix_plus_edu_referentiel_asks_for_no_trainer_experience() -> None:
    enrolment = EnrolmentFactory()
    client = _client(organiser_of(enrolment.campaign))
    other = client.post(
        f"/api/v1/campaigns/enrolments/{enrolment.pk}/prerequisites/trainer-experience",
        {"description": "x", "declared": "true"},
    )
    assert other.status_code == 422


def test_roles_listed_granted_by_email_and_revoked_through_the_api(
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    client = _client(organiser)
    url = f"/api/v1/campaigns/{campaign.pk}/roles"
    with django_capture_on_commit_callbacks(execute=True):
        granted = client.post(url, {"email": "Nouvelle.Jure@Example.fr", "role": "juror"}, "application/json")
    assert granted.status_code == 201, granted.content
    assert granted.json()["email"] == "nouvelle.jure@example.fr" and granted.json()["revocable"]
    assert User.objects.filter(email="nouvelle.jure@example.fr").exists()
    assert any("nouvelle.jure@example.fr" in m.to for m in mail.outbox)
    again = client.post(url, {"email": "nouvelle.jure@example.fr", "role": "juror"}, "application/json")
    assert again.status_code == 409 and "déjà ce rôle" in again.json()["detail"]
    for wrong in (
        {"email": "a@example.fr", "role": "candidate"},
        {"email": "a@example.fr", "role": "juror", "academy": "nulle-part"},
        {"email": "pas-une-adresse", "role": "juror"},
    ):
        assert client.post(url, wrong, "application/json").status_code == 422, wrong
    listed = client.get(url).json()
    assert {(r["email"], r["role"]) for r in listed} == {
        (organiser.email, "organiser"),
        ("nouvelle.jure@example.fr", "juror"),
    }
    own = next(r for r in listed if r["role"] == "organiser")
    # The last organiser without academy scope stays.
    assert client.delete(f"{url}/{own['id']}").status_code == 409
    assert client.delete(f"{url}/{granted.json()['id']}").status_code == 204
    assert not CampaignRole.objects.filter(pk=granted.json()["id"]).exists()


def test_an_organiser_scoped_to_an_academy_grants_only_organisers_of_that_academy() -> None:
    campaign = CampaignFactory()
    lyon = AcademyFactory()
    scoped = organiser_of(campaign, academy=lyon)
    client = _client(scoped)
    url = f"/api/v1/campaigns/{campaign.pk}/roles"
    assert client.post(url, {"email": "j@example.fr", "role": "juror"}, "application/json").status_code == 404
    done = client.post(
        url, {"email": "o@example.fr", "role": "organiser", "academy": lyon.code}, "application/json"
    )
    assert done.status_code == 201 and done.json()["academy"] == lyon.code


def test_audit_log_through_the_api_is_scoped_filtered_and_paginated() -> None:
    campaign = CampaignFactory()
    lyon, nice = AcademyFactory(), AcademyFactory()
    in_lyon = EnrolmentFactory(campaign=campaign, academy=lyon)
    in_nice = EnrolmentFactory(campaign=campaign, academy=nice)
    organiser = organiser_of(campaign)
    scoped = organiser_of(campaign, academy=lyon)
    with transaction.atomic():
        for enrolment in (in_lyon, in_nice):
            audit_record(actor=organiser, action="enrolment.test", target=enrolment)
        for n in range(55):
            audit_record(actor=organiser, action="campaign.test", target=campaign, data={"n": n})
    url = f"/api/v1/campaigns/{campaign.pk}/audit"
    page = _client(organiser).get(url).json()
    assert page["count"] == 57 and len(page["items"]) == 50
    assert page["items"][0]["action"] == "campaign.test" and page["items"][0]["data"] == {"n": 54}
    assert page["items"][0]["actor"] == organiser.email
    assert len(_client(organiser).get(url, {"page": 2}).json()["items"]) == 7
    mine = _client(scoped).get(url, {"action": "enrolment.test"}).json()
    assert [e["target_id"] for e in mine["items"]] == [str(in_lyon.pk)]
    today = date.today().isoformat()
    assert _client(organiser).get(url, {"date_from": today, "actor": organiser.email}).json()["count"] == 57
    assert _client(organiser).get(url, {"date_to": "2000-01-01"}).json()["count"] == 0
    assert _client(organiser).get("/api/v1/audit/").status_code == 404
    admin = UserFactory(is_superuser=True, is_staff=True)
    everything = _client(admin).get("/api/v1/audit/", {"target_type": "campaigns.enrolment"}).json()
    assert {e["target_id"] for e in everything["items"]} >= {str(in_lyon.pk), str(in_nice.pk)}
