"""Freeze immutability, receipts whose hashes match the stored bytes, closing at the deadline."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from certeval.audit.models import AuditEvent
from certeval.campaigns.services import campaign_transition
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.core.tests import upload_samples
from certeval.dossiers.models import Dossier, DossierFile, DossierState, FrozenDossierError, Receipt
from certeval.dossiers.services import (
    DepositRefused,
    dossier_file_upload,
    dossier_file_withdraw,
    dossier_submit,
)

pytestmark = pytest.mark.django_db(transaction=True)


def upload(enrolment, data: bytes, name: str = "dossier.pdf", **kw):  # type: ignore[no-untyped-def]
    return dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name=name,
        size=len(data),
        kind=kw.pop("kind", "document"),
        title=kw.pop("title", "Dossier"),
        **kw,
    )


def test_versions_are_kept_and_freeze_issues_a_receipt_matching_the_stored_bytes() -> None:
    enrolment = EnrolmentFactory()
    first = upload(enrolment, pdf_bytes(2, "v1"))
    second = upload(enrolment, pdf_bytes(3, "v2"), replaces=first)
    trace = upload(
        enrolment,
        upload_samples.png(),
        "capture.png",
        kind="trace",
        title="Capture",
        link_url="https://exemple.fr/ressource",
    )
    dossier_file_withdraw(file=trace, by=enrolment.candidate.user)
    first.refresh_from_db()
    assert first.superseded_at is not None and second.replaces == first
    assert DossierFile.objects.filter(dossier__enrolment=enrolment).count() == 3  # nothing deleted

    dossier = dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    assert dossier.state == DossierState.SUBMITTED and dossier.frozen_at is not None

    receipt = Receipt.objects.get(dossier=dossier)  # issued by the task after commit
    with default_storage.open(receipt.storage_name, "rb") as stored_pdf:
        pdf = stored_pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == receipt.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    for current in dossier.files.current():
        with default_storage.open(current.storage_name, "rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == current.sha256
        assert current.sha256 in text
        assert str(current.size) in text
    assert first.sha256 not in text  # a replaced version is not part of the deposit

    email = mail.outbox[-1]
    assert email.to == [enrolment.candidate.email] and "Récépissé" in email.subject
    assert second.sha256 in email.body and email.attachments[0][2] == "application/pdf"


def test_nothing_changes_a_frozen_dossier_and_attempts_are_logged() -> None:
    enrolment = EnrolmentFactory()
    stored = upload(enrolment, pdf_bytes(2))
    dossier = dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)

    with pytest.raises(DepositRefused, match="figé"):
        upload(enrolment, pdf_bytes(4))
    with pytest.raises(DepositRefused, match="figé"):
        dossier_file_withdraw(file=stored, by=enrolment.candidate.user)
    with pytest.raises(DepositRefused, match="figé"):
        dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    refused = AuditEvent.objects.filter(outcome="refused").values_list("action", flat=True)
    assert sorted(refused) == ["dossier.submit", "dossier.upload", "dossier.withdraw"]

    stored.refresh_from_db()
    stored.title = "changé"
    with pytest.raises(FrozenDossierError):
        stored.save()
    with pytest.raises(FrozenDossierError):
        stored.delete()
    with pytest.raises(FrozenDossierError):
        DossierFile.objects.filter(pk=stored.pk).update(title="changé")
    with pytest.raises(FrozenDossierError):
        DossierFile.objects.filter(pk=stored.pk).delete()
    dossier.refresh_from_db()
    dossier.state = DossierState.DRAFT
    with pytest.raises(FrozenDossierError):
        dossier.save()
    with pytest.raises(FrozenDossierError):
        Dossier.objects.filter(pk=dossier.pk).update(state="draft", frozen_at=None)
    receipt = Receipt.objects.get(dossier=dossier)
    with pytest.raises(FrozenDossierError):
        receipt.save()
    assert DossierFile.objects.get(pk=stored.pk).title == "Dossier"


def test_a_changed_stored_file_blocks_the_freeze() -> None:
    enrolment = EnrolmentFactory()
    stored = upload(enrolment, pdf_bytes(2))
    default_storage.delete(stored.storage_name)
    default_storage.save(stored.storage_name, io.BytesIO(b"tampered"))
    with pytest.raises(DepositRefused, match="empreinte"):
        dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)


def test_closing_the_deposit_freezes_drafts_and_eliminates_empty_dossiers() -> None:
    deposited = EnrolmentFactory()
    campaign = deposited.campaign
    empty = EnrolmentFactory(campaign=campaign)
    upload(deposited, pdf_bytes(2))
    campaign.deposit_deadline = timezone.now() - timedelta(seconds=1)
    campaign.save()
    campaign_transition(campaign=campaign, to_state="deposit_closed", by=None)
    deposited.dossier.refresh_from_db()
    empty.dossier.refresh_from_db()
    empty.refresh_from_db()
    assert deposited.dossier.state == DossierState.SUBMITTED
    assert deposited.dossier.frozen_reason == "Date limite de dépôt atteinte"
    assert empty.dossier.state == DossierState.NOT_DEPOSITED
    assert empty.status == "eliminated"
    assert campaign.transitions.get().to_state == "deposit_closed"


def test_my_certifications_shows_the_deadline_until_the_dossier_is_frozen(client) -> None:  # type: ignore[no-untyped-def]
    enrolment = EnrolmentFactory(campaign__deposit_deadline=datetime(2031, 6, 15, 21, 59, 59, tzinfo=UTC))
    client.force_login(enrolment.candidate.user)
    html = client.get("/mes-certifications/").content.decode()
    assert "Date limite de dépôt : 15/06/2031 à 23:59:59 (heure de Paris)" in html
    upload(enrolment, pdf_bytes())
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    assert "Date limite de dépôt" not in client.get("/mes-certifications/").content.decode()
