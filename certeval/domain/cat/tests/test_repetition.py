from __future__ import annotations

from datetime import UTC, datetime, timedelta

from certeval.domain.cat.repetition import ReplayPlan


def test_wrong_answers_come_back_sooner_and_are_due_first() -> None:
    plan = ReplayPlan()
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    right = plan.record("q-right", True, start)
    wrong = plan.record("q-wrong", False, start)
    assert wrong < right
    assert plan.due(start) == []
    assert plan.due(start + timedelta(days=60)) == ["q-wrong", "q-right"]
    assert plan.due(start + timedelta(days=60), limit=1) == ["q-wrong"]
    assert 0 < plan.retrievability("q-right", start + timedelta(days=1)) <= 1


def test_repeated_success_spaces_replays_out_and_fast_answers_count_as_easy() -> None:
    plan = ReplayPlan(easy_seconds=10)
    when = datetime(2026, 1, 5, tzinfo=UTC)
    intervals = []
    for _ in range(4):
        due = plan.record("q", True, when)
        intervals.append(due - when)
        when = due
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=3)
    fast = ReplayPlan(easy_seconds=10)
    slow = ReplayPlan(easy_seconds=10)
    assert fast.record("q", True, when, seconds=4) > slow.record("q", True, when, seconds=40)
