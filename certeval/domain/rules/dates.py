"""Validity periods counted in years.

A result obtained on day D and valid N years stays valid up to and including the same day
N years later, like a legal delay (Code de procédure civile, art. 641 and 642). When that day
does not exist — a result obtained on 29 February, N not a multiple of 4 — the period ends on
the last day of February, 28 February.
"""

from __future__ import annotations

from datetime import date


def valid_until(obtained_on: date, years: int) -> date:
    """Last day (inclusive) on which a result obtained on ``obtained_on`` is still valid."""
    year = obtained_on.year + years
    try:
        return obtained_on.replace(year=year)
    except ValueError:  # 29 February in a non-leap year
        return date(year, 2, 28)
