"""The legal deadlines of a person's request (RGPD art. 12(3)): an answer within one month of receipt,
extendable by two further months where necessary, the person being told why within the first month.
A month ends on the same day number of the following month, or on that month's last day when it is
shorter (31 January + 1 month = 28 or 29 February). Pure Python."""

from __future__ import annotations

import calendar
from datetime import date

FIRST_MONTHS = 1
EXTENSION_MONTHS = 2


def add_months(day: date, months: int) -> date:
    """The same day number ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_deadline(received: date) -> date:
    return add_months(received, FIRST_MONTHS)


def extended_deadline(received: date) -> date:
    """One month plus the two of the extension, from the receipt."""
    return add_months(received, FIRST_MONTHS + EXTENSION_MONTHS)


def days_left(deadline: date, today: date) -> int:
    """Negative once overdue."""
    return (deadline - today).days
