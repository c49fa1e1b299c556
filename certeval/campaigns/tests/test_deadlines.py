from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest

from certeval.campaigns.deadlines import is_on_time, paris_instant
from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.dossiers.models import DossierState
from certeval.dossiers.services import DepositRefused, dossier_file_upload


def test_wall_clock_deadlines_across_daylight_saving() -> None:
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST; 25 October 2026: from 03:00 CEST back to 02:00 CET.
    assert paris_instant(date(2026, 3, 28), time(23, 59, 59)) == datetime(2026, 3, 28, 22, 59, 59, tzinfo=UTC)
    assert paris_instant(date(2026, 3, 29), time(23, 59, 59)) == datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)
    assert paris_instant(date(2026, 10, 25), time(23, 59, 59)) == datetime(
        2026, 10, 25, 22, 59, 59, tzinfo=UTC
    )
    assert paris_instant(date(2026, 10, 24), time(23, 59, 59)) == datetime(
        2026, 10, 24, 21, 59, 59, tzinfo=UTC
    )
    # A time that does not exist lands one hour later; an ambiguous one is the later instant.
    assert paris_instant(date(2026, 3, 29), time(2, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert paris_instant(date(2026, 10, 25), time(2, 30)) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 29), date(2026, 10, 25), date(2026, 6, 15)],
    ids=["spring-forward", "fall-back", "ordinary"],
)
@pytest.mark.parametrize("clock", [time(23, 59, 59), time(2, 30), time(12, 0)])
def test_on_time_is_strictly_before_the_deadline(day: date, clock: time) -> None:
    deadline = paris_instant(day, clock)
    assert is_on_time(now=deadline - timedelta(seconds=1), deadline=deadline)
    assert not is_on_time(now=deadline, deadline=deadline)
    assert not is_on_time(now=deadline + timedelta(seconds=1), deadline=deadline)


def _upload(enrolment: Enrolment, now: datetime) -> None:
    data = pdf_bytes(3)
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


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)], ids=["spring-forward", "fall-back"])
def test_deposit_one_second_before_and_after_on_dst_days(day: date) -> None:
    deadline = paris_instant(day, time(23, 59, 59))
    on_time = EnrolmentFactory(campaign__deposit_deadline=deadline)
    _upload(on_time, deadline - timedelta(seconds=1))
    assert on_time.dossier.files.count() == 1

    late = EnrolmentFactory(campaign__deposit_deadline=deadline)
    with pytest.raises(DepositRefused, match="dossier non déposé, éliminatoire"):
        _upload(late, deadline + timedelta(seconds=1))
    late.refresh_from_db()
    late.dossier.refresh_from_db()
    assert late.dossier.state == DossierState.NOT_DEPOSITED
    assert late.status == Enrolment.Status.ELIMINATED
    assert late.status_reason == "Dossier non déposé (éliminatoire)"
    assert late.dossier.files.count() == 0
