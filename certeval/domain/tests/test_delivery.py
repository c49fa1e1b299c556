"""The proctored test's clock, the time given back after a service outage, and the overall level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certeval.domain.delivery import Clock, Combination, allowed_seconds, outage_seconds, overall_level

T0 = datetime(2026, 12, 7, 9, 0, 12, tzinfo=UTC)
LADDER = ("initie", "confirme", "avance", "expert")
LABELS = {"initie": "Initié", "confirme": "Confirmé", "avance": "Avancé", "expert": "Expert"}


def test_extra_time_is_a_share_of_the_duration_and_set_up_is_not_counted() -> None:
    assert allowed_seconds(150, 0) == 9000
    assert allowed_seconds(150, 33) == 11970
    assert allowed_seconds(1, 10) == 66
    with pytest.raises(ValueError):
        allowed_seconds(0, 0)
    with pytest.raises(ValueError):
        allowed_seconds(150, -5)


@given(
    used=st.floats(0, 20000),
    ran=st.floats(0, 20000),
    allowed=st.integers(1, 20000),
    added=st.integers(0, 7200),
)
def test_the_clock_never_goes_negative_and_only_runs_when_started(
    used: float, ran: float, allowed: int, added: int
) -> None:
    running = Clock(allowed, added, used, T0)
    stopped = Clock(allowed, added, used, None)
    later = T0 + timedelta(seconds=ran)
    assert running.remaining(later) >= 0
    assert running.remaining(later) == pytest.approx(max(allowed + added - used - ran, 0), abs=1e-6)
    assert stopped.remaining(later) == stopped.remaining(T0)  # paused: time does not pass
    assert running.expired(later) == (allowed + added - used - ran <= 0)


def test_a_clock_read_before_it_started_counts_nothing() -> None:
    assert Clock(100, 0, 0, T0).remaining(T0 - timedelta(seconds=30)) == 100


def test_a_service_outage_gives_the_whole_gap_back() -> None:
    now = T0 + timedelta(minutes=10)
    assert outage_seconds(T0, now, [], 60) == pytest.approx(600)


def test_nothing_is_given_back_when_the_service_answered_others_during_the_gap() -> None:
    now = T0 + timedelta(minutes=10)
    assert outage_seconds(T0, now, [T0 + timedelta(minutes=4)], 60) == 0


def test_pulses_at_the_edges_of_the_gap_do_not_hide_an_outage() -> None:
    # The minute of the last contact and the minute of the return are served anyway.
    now = T0 + timedelta(minutes=10)
    assert outage_seconds(T0, now, [T0, now], 60) == pytest.approx(600)


def test_a_short_silence_is_a_slow_network_not_an_outage() -> None:
    assert outage_seconds(T0, T0 + timedelta(seconds=59), [], 60) == 0
    # Longer than the threshold but without a whole minute inside: cannot be told apart.
    start = T0.replace(second=50)
    assert outage_seconds(start, start + timedelta(seconds=65), [], 60) == 0


def test_the_overall_level_is_the_one_every_part_reached() -> None:
    result = overall_level({"crcn-edu": "avance", "crcn": "confirme"}, LADDER, LABELS)
    assert result.level == "confirme"
    assert "crcn-edu : Avancé" in result.reasons[0]
    assert overall_level({"crcn-edu": "avance", "crcn": None}, LADDER, LABELS).level is None
    assert overall_level({}, LADDER, LABELS).level is None


def test_the_first_part_setting_and_the_cap_of_a_level_form() -> None:
    first = overall_level({"crcn-edu": "expert", "crcn": "initie"}, LADDER, LABELS, Combination.FIRST_PART)
    assert first.level == "expert"
    capped = overall_level({"crcn-edu": "expert"}, LADDER, LABELS, cap="avance")
    assert capped.level == "avance"
    assert any("niveau visé Avancé" in r for r in capped.reasons)
