"""Retention: the proctoring events and messages of a session are deleted once its results have been
recorded for the campaign's retention period (default 30 days), with one audit row per session purged;
a session whose results are not recorded keeps them. Time travels by moving Django's clock."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate
from certeval.testing.models import ProctoringEvent, SessionDelivery, SittingMessage
from certeval.testing.retention_services import proctoring_purge_due
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db


@contextmanager
def travel(to: datetime) -> Iterator[None]:
    """Django's clock (``timezone.now``, hence ``auto_now_add`` too) reads ``to``."""
    with mock.patch("django.utils.timezone.now", return_value=to):
        yield


def _session_with_traces(ps: ProctoredSession, finalise: bool = True) -> SessionDelivery:
    """A candidate joins and writes, the invigilator answers and marks them present; the session is
    finalised without any test taken (the candidate is absent), so its results are recorded."""
    e = ps.enrolments[0]
    sitting = candidate.join(
        access_code=ps.delivery.access_code, name=e.candidate.birth_name, birth_date=e.candidate.birth_date
    )
    tab = candidate.claim_tab(sitting.pk)
    candidate.send_message(sitting_id=sitting.pk, tab=tab, text="Je n'entends pas le surveillant.")
    console.send_message(
        delivery=ps.delivery, sitting_id=sitting.pk, text="Je vous appelle.", who=ps.invigilator
    )
    console.mark_present(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    if finalise:
        console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    ps.delivery.refresh_from_db()
    return ps.delivery


def _traces(delivery: SessionDelivery) -> tuple[int, int]:
    return (
        ProctoringEvent.objects.filter(sitting__session=delivery).count(),
        SittingMessage.objects.filter(sitting__session=delivery).count(),
    )


def test_events_and_messages_go_after_the_retention_period_once() -> None:
    start = timezone.now()
    with travel(start):
        delivery = _session_with_traces(proctored_session(1))
    assert delivery.results_recorded_at == start
    events, messages = _traces(delivery)
    assert events >= 2 and messages == 2

    with travel(start + timedelta(days=29, hours=23)):
        report = proctoring_purge_due()
    assert report.sessions == [] and _traces(delivery) == (events, messages)

    with travel(start + timedelta(days=30, minutes=1)):
        report = proctoring_purge_due()
    assert report.sessions == [delivery.pk]
    assert (report.events, report.messages) == (events, messages)
    assert _traces(delivery) == (0, 0)
    audit = AuditEvent.objects.get(action="testing.proctoring_purge")
    assert audit.data["events"] == events and audit.data["messages"] == 2
    assert audit.data["retention_days"] == 30 and audit.actor_id is None
    assert audit.campaign_id == delivery.session.campaign_id
    # The sittings and their results stay; running again changes nothing.
    assert delivery.sittings.count() == 1
    with travel(start + timedelta(days=40)):
        assert proctoring_purge_due().sessions == []
    assert AuditEvent.objects.filter(action="testing.proctoring_purge").count() == 1


def test_each_campaign_keeps_them_for_its_own_period_and_unrecorded_results_keep_them() -> None:
    start = timezone.now()
    with travel(start):
        short = _session_with_traces(proctored_session(1))
        long_ps = proctored_session(1, bank=False)
        settings = candidate.campaign_delivery(long_ps.session.campaign_id)
        settings.retention_days = 60
        settings.save()
        long = _session_with_traces(long_ps)
        open_ps = proctored_session(1, bank=False)
        still_open = _session_with_traces(open_ps, finalise=False)
    assert still_open.results_recorded_at is None
    with travel(start + timedelta(days=31)):
        assert proctoring_purge_due().sessions == [short.pk]
    with travel(start + timedelta(days=365)):
        assert proctoring_purge_due().sessions == [long.pk]
    assert _traces(still_open) != (0, 0)


def test_the_command_purges_and_says_how_much() -> None:
    start = timezone.now()
    with travel(start):
        delivery = _session_with_traces(proctored_session(1))
    events, _messages = _traces(delivery)
    out = io.StringIO()
    with travel(start + timedelta(days=31)):
        call_command("testing_purge", stdout=out)
    assert out.getvalue().strip() == (
        f"1 session(s) purged: {events} proctoring event(s) and 2 message(s) deleted."
    )
    out = io.StringIO()
    with travel(start + timedelta(days=32)):
        call_command("testing_purge", stdout=out)
    assert out.getvalue().startswith("0 session(s) purged")
