"""The retention job on a realistic dataset (``retention_fixtures``): the dry run reports and changes
nothing; the real run notifies first, removes nothing before notice + grace, then removes files,
answers, proctoring traces and the identities of non-holders, keeps decisions and holders, and leaves
the seed 004 §5.1 statistics identical."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command

from certeval.accounts.tests.matrix import fingerprint
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Candidate, Enrolment
from certeval.dossiers.models import DossierFile
from certeval.juries.models import Deliberation
from certeval.privacy.retention_anonymise import ERASED_TITLE, PSEUDONYM_BIRTH_NAME
from certeval.privacy.retention_models import AnonymisedPerson, RetentionNotice, RetentionRun
from certeval.privacy.retention_services import retention_run
from certeval.privacy.retention_tasks import retention_daily
from certeval.privacy.tests.retention_fixtures import PUBLISHED_AT, Dataset, build_dataset
from certeval.results.models import Award
from certeval.results.stats_selectors import campaign_statistics, statistics_csv
from certeval.testing.models import ProctoringEvent, Question, SittingMessage

pytestmark = pytest.mark.django_db

# Short periods so that every category is due in the test (identities: from the campaign's closing).
PERIODS = {
    "proctoring_events": {"days": 90, "from": "result_published"},
    "test_responses": {"days": 365, "from": "result_published"},
    "dossiers": {"days": 365, "from": "result_published"},
    "enrolments": {"days": 400, "from": "campaign_closed"},
    "grace_days": 30,
}
FIRST = PUBLISHED_AT + timedelta(days=500)


@pytest.fixture
def data(settings) -> Dataset:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_RETENTION = {**settings.CERTEVAL_RETENTION, **PERIODS}
    return build_dataset()


def _stats(data: Dataset) -> list[str]:
    return [statistics_csv(campaign_statistics(c)) for c in data.campaigns]


def _bytes_present(data: Dataset) -> list[bool]:
    return [default_storage.exists(f.storage_name) for f in data.files]


def test_dry_run_reports_every_category_and_changes_nothing(data: Dataset) -> None:
    before = fingerprint()
    report = retention_run(apply=False, now=FIRST)
    totals = report.totals()
    assert totals["proctoring_events"]["notify"] == 2  # the two candidates of the proctored session
    # Three placement runs, one sitting, and one training run outside any campaign.
    assert totals["test_responses"]["notify"] == 5
    assert totals["dossiers"]["notify"] == 3
    # Non-holders only: the certified candidate keeps their identity.
    assert totals["enrolments"]["notify"] == 4
    text = report.text()
    assert "dry run" in text and data.jc.campaign.title in text
    assert f"removal from {(FIRST + timedelta(days=30)):%Y-%m-%d}" in text
    assert fingerprint() == before and not mail.outbox
    assert all(_bytes_present(data))
    out = io.StringIO()
    call_command("privacy", "retention", "--json", stdout=out)
    assert json.loads(out.getvalue())["applied"] is False
    assert fingerprint() == before


def test_nothing_is_due_before_the_period(data: Dataset) -> None:
    report = retention_run(apply=True, now=PUBLISHED_AT + timedelta(days=30))
    assert report.rows == [] and not RetentionNotice.objects.exists()
    assert RetentionRun.objects.get().notified == 0


def test_notice_then_grace_then_removal_and_statistics_unchanged(
    data: Dataset, django_capture_on_commit_callbacks: Any
) -> None:
    stats = _stats(data)
    holder = data.holder.candidate
    adjourned = data.adjourned.candidate
    # First run: notices only, each person once per category and campaign, e-mailed.
    with django_capture_on_commit_callbacks(execute=True):
        first = retention_run(apply=True, now=FIRST)
    assert first.run is not None and first.run.notified == 14 and first.run.removed == 0
    assert RetentionNotice.objects.count() == 14
    notices = [m for m in mail.outbox if adjourned.email in m.to]
    assert len(notices) == 1 and "suppression prévue le" in notices[0].subject
    assert "Dossiers et leurs fichiers" in notices[0].body
    assert all(_bytes_present(data)) and Question.objects.filter(response__isnull=False).count() == 5
    assert AuditEvent.objects.filter(action="privacy.retention_notice").count() == 14
    # Within the grace period: nothing removed, nobody notified twice.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = retention_run(apply=True, now=FIRST + timedelta(days=29))
    assert waiting.run is not None and waiting.run.removed == 0 and waiting.run.waiting == 14
    assert len(mail.outbox) == sent and RetentionNotice.objects.count() == 14
    assert all(_bytes_present(data)) and not AnonymisedPerson.objects.exists()
    # After notice + grace: removed.
    with django_capture_on_commit_callbacks(execute=True):
        removal = retention_run(apply=True, now=FIRST + timedelta(days=30))
    assert removal.run is not None and removal.run.removed > 0
    assert not any(_bytes_present(data))
    assert set(DossierFile.objects.values_list("title", flat=True)) == {ERASED_TITLE}
    assert not Question.objects.filter(response__isnull=False).exists()
    assert not ProctoringEvent.objects.exists() and not SittingMessage.objects.exists()
    adjourned.refresh_from_db()
    assert adjourned.birth_name == PSEUDONYM_BIRTH_NAME and adjourned.email.endswith(".invalid")
    assert not adjourned.user.is_active and not adjourned.user.has_usable_password()
    assert Enrolment.objects.get(pk=data.adjourned.pk).other_needs == ""
    # Decisions, awards and the holder's identity are kept.
    holder.refresh_from_db()
    assert holder.birth_name.startswith("Durand") and Award.objects.filter(candidate=holder).exists()
    assert Deliberation.objects.count() == 2
    # The month-level statistics compute identically.
    assert _stats(data) == stats
    assert RetentionNotice.objects.filter(done_at__isnull=False).count() == 14
    assert AuditEvent.objects.filter(action="privacy.retention_run").count() == 3
    # A further run finds nothing left.
    again = retention_run(apply=False, now=FIRST + timedelta(days=31))
    assert again.rows == []


def test_daily_task_applies_and_records_a_run(data: Dataset) -> None:
    result = retention_daily.call()
    # The fixture's results were published on 10 January 2026: by today's clock the proctoring
    # events (90 days) may be due, and are notified first; nothing is removed by a first run.
    assert result["removed"] == 0
    assert RetentionRun.objects.filter(applied=True).count() == 1


def test_a_holder_is_never_pseudonymised(data: Dataset) -> None:
    retention_run(apply=True, now=FIRST)
    retention_run(apply=True, now=FIRST + timedelta(days=31))
    holder = Candidate.objects.get(pk=data.holder.candidate_id)
    assert not AnonymisedPerson.objects.filter(candidate=holder).exists()
    assert holder.user.is_active


def test_the_consultation_log_is_kept_for_its_period_then_removed_after_notice_and_grace() -> None:
    from certeval.audit.consult_services import consultation_record
    from certeval.audit.models import Consultation
    from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
    from certeval.privacy.retention_categories import retention_settings

    enrolment = EnrolmentFactory()
    other = EnrolmentFactory()
    juror = UserFactory()
    days = retention_settings()["consultations"]["days"]
    read_at = PUBLISHED_AT
    for who in (enrolment, other):
        consultation_record(
            staff=juror,
            person_id=who.candidate.user_id,
            page="dossier_reading",
            campaign_id=who.campaign_id,
            at=read_at,
        )
    # A later reading of the first candidate's file: not due yet when the older one is.
    consultation_record(
        staff=juror,
        person_id=enrolment.candidate.user_id,
        page="scoring",
        campaign_id=enrolment.campaign_id,
        at=read_at + timedelta(days=200),
    )
    assert Consultation.objects.count() == 3
    due_day = read_at + timedelta(days=days + 1)
    assert (
        retention_run(apply=False, now=read_at + timedelta(days=days - 1)).totals()["consultations"]["notify"]
        == 0
    )
    report = retention_run(apply=False, now=due_day)
    assert report.totals()["consultations"]["notify"] == 2 and Consultation.objects.count() == 3
    retention_run(apply=True, now=due_day)  # the notices
    assert Consultation.objects.count() == 3
    retention_run(apply=True, now=due_day + timedelta(days=retention_settings()["grace_days"]))
    # The two old readings are gone; the later one waits for its own period.
    assert list(Consultation.objects.values_list("page", flat=True)) == ["scoring"]
