"""The legal deadlines of a request (RGPD art. 12(3)): one month, extended by two, month ends clamped."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from certeval.privacy.requests_deadlines import add_months, days_left, extended_deadline, first_deadline

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_known_dates() -> None:
    assert first_deadline(date(2026, 3, 15)) == date(2026, 4, 15)
    assert first_deadline(date(2026, 1, 31)) == date(2026, 2, 28)
    assert first_deadline(date(2028, 1, 31)) == date(2028, 2, 29)
    assert first_deadline(date(2026, 12, 20)) == date(2027, 1, 20)
    assert extended_deadline(date(2026, 11, 30)) == date(2027, 2, 28)
    assert days_left(date(2026, 4, 15), date(2026, 4, 17)) == -2


@given(DAYS)
def test_first_deadline_is_one_calendar_month_later(day: date) -> None:
    deadline = first_deadline(day)
    assert 28 <= (deadline - day).days <= 31
    assert (deadline.year * 12 + deadline.month) - (day.year * 12 + day.month) == 1
    assert deadline.day == day.day or (deadline.day < day.day and (deadline + timedelta(days=1)).day == 1)


@given(DAYS)
def test_extension_adds_two_months_to_the_first_deadline(day: date) -> None:
    extended = extended_deadline(day)
    assert extended > first_deadline(day)
    assert 89 <= (extended - day).days <= 92
    assert (extended.year * 12 + extended.month) - (day.year * 12 + day.month) == 3


@given(DAYS, st.integers(min_value=0, max_value=36), st.integers(min_value=0, max_value=36))
def test_adding_months_is_monotonic(day: date, a: int, b: int) -> None:
    if a <= b:
        assert add_months(day, a) <= add_months(day, b)
