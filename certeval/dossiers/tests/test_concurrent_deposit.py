"""Simultaneous requests on one dossier (issue 9, defect 12): five first downloads of a receipt
record one receipt and leave one stored PDF; the same upload sent several times is stored once."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.dossiers import services
from certeval.dossiers.models import DossierFile, Receipt
from certeval.dossiers.services import dossier_file_upload, dossier_submit, receipt_issue

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as error:  # reported by the caller's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def upload(enrolment: Enrolment, data: bytes, **kw: Any) -> DossierFile:
    return dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="dossier.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
        **kw,
    )


def stored(prefix: str) -> list[str]:
    try:
        return default_storage.listdir(prefix)[1]
    except FileNotFoundError:
        return []


def test_five_simultaneous_first_receipt_downloads_record_one_receipt_and_one_pdf() -> None:
    enrolment = EnrolmentFactory()
    upload(enrolment, pdf_bytes(3))
    with mock.patch("certeval.dossiers.tasks.issue_receipt"):  # no worker has run yet
        dossier = dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    assert not Receipt.objects.exists()
    rendered = threading.Barrier(5, timeout=30)

    def slow_pdf(_dossier: Any) -> bytes:
        rendered.wait()  # every request has looked for a receipt and found none
        return b"%PDF-1.7 receipt"

    with mock.patch("certeval.dossiers.receipts.receipt_pdf", side_effect=slow_pdf):
        results, errors = run_together(5, lambda: receipt_issue(dossier_id=dossier.pk))

    assert errors == []
    receipt = Receipt.objects.get()
    assert {r.pk for r in results} == {receipt.pk}
    assert stored(f"recepisses/{enrolment.campaign_id}") == [receipt.storage_name.rsplit("/", 1)[1]]
    assert AuditEvent.objects.filter(action="dossier.receipt").count() == 1


def test_the_same_upload_sent_four_times_at_once_is_stored_once() -> None:
    enrolment = EnrolmentFactory()
    data = pdf_bytes(3)
    inspected = threading.Barrier(4, timeout=30)
    real = services.inspect_upload

    def inspect_then_wait(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        inspected.wait()  # all four are read and stored before any transaction starts
        return found

    with mock.patch.object(services, "inspect_upload", side_effect=inspect_then_wait):
        results, errors = run_together(4, lambda: upload(enrolment, data))

    assert errors == []
    current = list(DossierFile.objects.filter(dossier__enrolment=enrolment).current())
    assert len(current) == 1 and {r.pk for r in results} == {current[0].pk}
    assert DossierFile.objects.filter(dossier__enrolment=enrolment).count() == 1
    assert stored(f"dossiers/{enrolment.campaign_id}/{enrolment.pk}") == [
        current[0].storage_name.rsplit("/", 1)[1]
    ]


def test_an_upload_repeated_later_returns_the_current_file() -> None:
    enrolment = EnrolmentFactory()
    data = pdf_bytes(3)
    first = upload(enrolment, data)
    assert upload(enrolment, data).pk == first.pk
    assert upload(enrolment, data, replaces=first).pk == first.pk  # same bytes: no new version
    first.refresh_from_db()
    assert first.is_current
    other = upload(enrolment, pdf_bytes(4))
    assert other.pk != first.pk
    assert DossierFile.objects.filter(dossier__enrolment=enrolment).count() == 2
    assert len(stored(f"dossiers/{enrolment.campaign_id}/{enrolment.pk}")) == 2
