"""French wording shared by the reasons: counts, shares, dates, quotes."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

NBSP = "\u00a0"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "critère")`` → ``1 critère``; French keeps 0 and 1 singular."""
    word = singular if n < 2 else (plural or singular + "s")
    return f"{n} {word}"


def percent(share: Fraction) -> str:
    """``Fraction(5, 8)`` → ``62,5 %``: one decimal at most, French comma, no-break space."""
    value = round(float(share) * 100, 1)
    text = f"{value:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}{NBSP}%"


def day(value: date) -> str:
    """``date(2026, 5, 9)`` → ``09/05/2026``."""
    return value.strftime("%d/%m/%Y")


def quoted(text: str) -> str:
    return f"«{NBSP}{text}{NBSP}»"


def enumerate_fr(items: list[str]) -> str:
    """``["1", "2", "3"]`` → ``1, 2 et 3``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
