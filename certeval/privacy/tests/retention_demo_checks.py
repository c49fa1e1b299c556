"""The retention job on the whole demo: the dry run reports what it would notify and remove and changes
nothing; the real run, ten years on (notices, then removal after the grace period), leaves the seed 004
§5.1 statistics of every campaign unchanged. Building the demo takes minutes, so this check runs on the
demo that ``certeval/core/tests/test_demo_command.py`` builds, at its end; the factory-based tests of
``test_retention_job.py`` cover each step in detail."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from certeval.accounts.tests.matrix import fingerprint
from certeval.campaigns.models import Campaign
from certeval.privacy.retention_models import AnonymisedPerson, RetentionNotice
from certeval.privacy.retention_services import retention_run
from certeval.results.stats_selectors import campaign_statistics, statistics_csv


def _all_stats() -> dict[int, str]:
    return {c.pk: statistics_csv(campaign_statistics(c)) for c in Campaign.objects.order_by("pk")}


def assert_retention_on_the_demo_reports_then_keeps_the_statistics() -> None:
    later = timezone.now() + timedelta(days=10 * 365)
    stats = _all_stats()
    before = fingerprint()
    report = retention_run(apply=False, now=later)
    totals = report.totals()
    # The demo's published and archived campaigns hold dossiers and non-holders; its answered
    # questions all belong to campaigns still under way (nothing due there).
    for category in ("dossiers", "enrolments"):
        assert totals[category]["notify"] > 0, (category, totals)
    assert totals["test_responses"]["notify"] == 0
    assert "Pix+ Édu" in report.text() and fingerprint() == before
    notified = retention_run(apply=True, now=later)
    assert notified.run is not None and notified.run.notified == RetentionNotice.objects.count() > 0
    removal = retention_run(apply=True, now=later + timedelta(days=31))
    assert removal.run is not None and removal.run.removed > 0
    assert AnonymisedPerson.objects.exists()
    assert _all_stats() == stats
