"""The scheduled freeze (``certeval dossiers freeze-due``, idempotent), the audit log pages (per
campaign, global, a candidate's dossier history) and the read-only admin of frozen records."""

from __future__ import annotations

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import (
    AcademyFactory,
    CampaignFactory,
    EnrolmentFactory,
    UserFactory,
    organiser_of,
    pdf_bytes,
)
from certeval.dossiers.models import DossierState
from certeval.dossiers.services import dossier_file_upload, dossiers_freeze_due

pytestmark = pytest.mark.django_db


def upload(enrolment, *, now=None) -> None:  # type: ignore[no-untyped-def]
    data = pdf_bytes(2)
    dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="dossier.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
        now=now,
    )


def test_freeze_due_closes_past_deadlines_once() -> None:
    now = timezone.now()
    campaign = CampaignFactory(deposit_deadline=now + timedelta(hours=1))
    with_files, empty = EnrolmentFactory(campaign=campaign), EnrolmentFactory(campaign=campaign)
    upload(with_files, now=now)
    later = CampaignFactory(deposit_deadline=now + timedelta(days=3))
    untouched = EnrolmentFactory(campaign=later)

    before = dossiers_freeze_due(now=now + timedelta(hours=1) - timedelta(seconds=1))
    assert (before.frozen, before.not_deposited) == (0, 0)
    result = dossiers_freeze_due(now=now + timedelta(hours=1))  # the deadline instant: closed
    assert (result.frozen, result.not_deposited) == (1, 1)
    with_files.dossier.refresh_from_db()
    empty.dossier.refresh_from_db()
    empty.refresh_from_db()
    untouched.dossier.refresh_from_db()
    assert with_files.dossier.state == DossierState.SUBMITTED
    assert empty.dossier.state == DossierState.NOT_DEPOSITED and empty.status == "eliminated"
    assert untouched.dossier.state == DossierState.DRAFT
    events = AuditEvent.objects.count()
    again = dossiers_freeze_due(now=now + timedelta(hours=2))
    assert (again.frozen, again.not_deposited) == (0, 0) and AuditEvent.objects.count() == events


def test_freeze_due_command() -> None:
    EnrolmentFactory(campaign=CampaignFactory(deposit_deadline=timezone.now() - timedelta(minutes=1)))
    out = StringIO()
    call_command("dossiers", "freeze-due", stdout=out)
    assert "0 dossier(s) frozen, 1 marked not deposited." in out.getvalue()


def test_campaign_audit_log_filters_and_scopes() -> None:
    lyon, versailles = AcademyFactory(code="lyon"), AcademyFactory(code="versailles")
    campaign = CampaignFactory()
    in_lyon = EnrolmentFactory(campaign=campaign, academy=lyon)
    in_versailles = EnrolmentFactory(campaign=campaign, academy=versailles)
    upload(in_lyon)
    upload(in_versailles)
    other = EnrolmentFactory()
    upload(other)
    client = Client()
    client.force_login(organiser_of(campaign))
    url = f"/campagnes/{campaign.pk}/journal/"
    page = client.get(url).content.decode()
    assert page.count("Dépôt d&#x27;un fichier") >= 2 + 1  # two rows and the action filter option
    assert '<option value="dossier.upload">' in page and '<option value="dossiers.dossier">Dossier' in page
    assert f"Dossier de {other.candidate.display_name}<" not in page
    filtered = client.get(url, {"action": "dossier.upload", "target_id": str(in_lyon.dossier.pk)})
    assert "1 événement" in filtered.content.decode()
    today = timezone.localdate()
    assert "0 événement" in client.get(url, {"date_to": str(today - timedelta(days=1))}).content.decode()
    assert "Aucun événement" not in client.get(url, {"date_from": str(today)}).content.decode()
    assert "0 événement" in client.get(url, {"actor": "personne-absente"}).content.decode()

    scoped = Client()
    scoped.force_login(organiser_of(campaign, academy=lyon))
    page = scoped.get(url, {"target_type": "dossiers.dossier"}).content.decode()
    assert f"Dossier de {in_lyon.candidate.display_name}<" in page
    assert f"Dossier de {in_versailles.candidate.display_name}<" not in page


def test_audit_log_is_paginated() -> None:
    enrolment = EnrolmentFactory()
    for _ in range(3):
        upload(enrolment)
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="test.bulk", target_type="campaigns.campaign", target_id="1") for _ in range(60)]
    )
    first = admin.get("/journal/").content.decode()
    assert "Page suivante" in first and "63 événements" in first
    assert admin.get("/journal/", {"action": "test.bulk", "page": "2"}).status_code == 200


def test_candidate_sees_their_dossier_history_but_not_others_downloads() -> None:
    enrolment = EnrolmentFactory()
    upload(enrolment)
    organiser = organiser_of(enrolment.campaign)
    stored = enrolment.dossier.files.get()
    reader = Client()
    reader.force_login(organiser)
    reader.get(f"/dossiers/fichiers/{stored.pk}/")
    client = Client()
    client.force_login(enrolment.candidate.user)
    page = client.get(f"/mes-certifications/{enrolment.pk}/historique/").content.decode()
    assert "Dépôt d&#x27;un fichier" in page and stored.sha256 in page
    assert "Téléchargement d&#x27;un fichier" not in page
    assert organiser.email not in page


def test_admin_is_read_only_for_audit_and_dossiers() -> None:
    enrolment = EnrolmentFactory()
    upload(enrolment)
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    event = AuditEvent.objects.first()
    assert admin.get("/admin/audit/auditevent/").status_code == 200
    assert admin.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert admin.get(f"/admin/dossiers/dossier/{enrolment.dossier.pk}/change/").status_code == 200
    assert admin.post(f"/admin/dossiers/dossier/{enrolment.dossier.pk}/delete/").status_code == 403
    assert admin.get("/admin/campaigns/campaign/").status_code == 200
    assert admin.get(f"/admin/campaigns/enrolment/{enrolment.pk}/change/").status_code == 200
