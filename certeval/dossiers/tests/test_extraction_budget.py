"""A file's checks run before the write transaction, within a work and time budget (issue 9,
defect 10): a 3 KB PDF of 16 pages sharing one stream of 20,000 text operators is refused by the
budget instead of holding SQLite's write lock for half a minute."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.core import uploads
from certeval.core.uploads import ExtractionBudget, OverBudget, inspect_upload
from certeval.dossiers.models import DossierFile
from certeval.dossiers.services import DepositRefused, dossier_file_upload
from certeval.dossiers.tests.pdfs import shared_stream_pdf, text_pdf

PAGES, OPERATORS = 16, 20_000


def inspect(data: bytes, budget: ExtractionBudget | None = None) -> uploads.Inspected:
    return inspect_upload(io.BytesIO(data), size=len(data), budget=budget)


def test_the_default_budget_is_below_the_work_of_the_pathological_pdf() -> None:
    data = shared_stream_pdf(PAGES, OPERATORS)
    assert len(data) < 4 * 1024
    # Every page interprets the shared stream again: 16 × 20,000 operators for a 3 KB file.
    assert settings.CERTEVAL_PDF_TEXT_MAX_OPERATORS < PAGES * OPERATORS


def test_the_pathological_pdf_is_refused_when_the_operator_budget_is_spent() -> None:
    budget = ExtractionBudget(max_operators=5_000, max_content_bytes=10**9, max_seconds=3600)
    with pytest.raises(OverBudget) as refused:
        inspect(shared_stream_pdf(PAGES, OPERATORS), budget)
    assert refused.value.reason == "operators"
    assert budget.operators == 5_001  # stopped at once, not after the 320,000 operators
    assert "trop complexe" in str(refused.value) and "n'a pas été modifié" in str(refused.value)


def test_the_time_budget_refuses_a_slow_file() -> None:
    ticks = iter(range(10**6))  # a clock advancing one second at each reading

    def clock() -> float:
        return float(next(ticks))

    budget = ExtractionBudget(max_operators=10**9, max_content_bytes=10**9, max_seconds=5, clock=clock)
    with pytest.raises(OverBudget) as refused:
        inspect(shared_stream_pdf(PAGES, 2_000), budget)
    assert refused.value.reason == "time"
    assert budget.operators < PAGES * 2_000


def test_the_content_budget_is_checked_before_a_page_is_parsed() -> None:
    budget = ExtractionBudget(max_operators=10**9, max_content_bytes=50_000, max_seconds=3600)
    with pytest.raises(OverBudget) as refused:
        inspect(shared_stream_pdf(PAGES, OPERATORS), budget)
    assert refused.value.reason == "content" and budget.operators == 0


def test_an_ordinary_pdf_is_read_within_the_default_budget() -> None:
    inspected = inspect(text_pdf(5, 300))
    assert (inspected.page_count, inspected.char_count) == (5, 1500)


@pytest.mark.django_db
@override_settings(CERTEVAL_PDF_TEXT_MAX_OPERATORS=5_000)
def test_an_over_budget_replacement_is_refused_and_the_previous_version_stays() -> None:
    enrolment = EnrolmentFactory()
    user = enrolment.candidate.user
    first_bytes = pdf_bytes(3)
    first = dossier_file_upload(
        enrolment=enrolment,
        by=user,
        fileobj=io.BytesIO(first_bytes),
        original_name="dossier.pdf",
        size=len(first_bytes),
        kind="document",
        title="Dossier",
    )
    stored_before = set(default_storage.listdir(f"dossiers/{enrolment.campaign_id}/{enrolment.pk}")[1])
    data = shared_stream_pdf(PAGES, OPERATORS)
    with pytest.raises(DepositRefused, match="trop complexe"):
        dossier_file_upload(
            enrolment=enrolment,
            by=user,
            fileobj=io.BytesIO(data),
            original_name="piege.pdf",
            size=len(data),
            kind="document",
            title="Dossier v2",
            replaces=first,
        )
    first.refresh_from_db()
    assert first.is_current
    assert list(DossierFile.objects.filter(dossier__enrolment=enrolment)) == [first]
    assert (
        set(default_storage.listdir(f"dossiers/{enrolment.campaign_id}/{enrolment.pk}")[1]) == stored_before
    )
    refusal = AuditEvent.objects.filter(action="dossier.upload", outcome="refused").get()
    assert "trop complexe" in refusal.message


@pytest.fixture
def extraction_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Record, at each PDF text extraction, whether a database transaction is open."""
    seen: list[bool] = []
    real = uploads._pdf_counts

    def spy(*args: Any, **kwargs: Any) -> tuple[int, int]:
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "_pdf_counts", spy)
    yield seen


@pytest.mark.django_db(transaction=True)
def test_the_extraction_runs_outside_any_transaction(extraction_spy: list[bool]) -> None:
    enrolment = EnrolmentFactory()
    data = text_pdf(3, 200)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="dossier.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
    )
    assert extraction_spy == [False]
    assert (stored.page_count, stored.char_count) == (3, 600)
