"""Rules of a proctored test that are not about items: the server's clock, the time given back after a
service outage, and the overall level of a test from its parts.

Pure Python: the web app (``certeval.testing.sitting_services``) and the load benchmark use the same
functions, so they always count the same time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Clock:
    """A candidate's clock: what was allowed, added, used while stopped, and since when it runs."""

    allowed_seconds: float
    added_seconds: float
    used_seconds: float
    running_since: datetime | None

    def elapsed(self, now: datetime) -> float:
        running = 0.0 if self.running_since is None else max((now - self.running_since).total_seconds(), 0.0)
        return self.used_seconds + running

    def remaining(self, now: datetime) -> float:
        """Seconds left (never negative)."""
        return max(self.allowed_seconds + self.added_seconds - self.elapsed(now), 0.0)

    def expired(self, now: datetime) -> bool:
        return self.remaining(now) <= 0.0


def allowed_seconds(duration_minutes: int, extra_time_percent: int) -> int:
    """The test's duration with the candidate's extra time (an accommodation), in whole seconds; the
    set-up time (15 minutes on site, 30 remote) comes before and is not part of it."""
    if duration_minutes <= 0:
        raise ValueError("the test needs a positive duration")
    if extra_time_percent < 0:
        raise ValueError("extra time cannot be negative")
    return math.ceil(duration_minutes * 60 * (100 + extra_time_percent) / 100)


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def outage_seconds(
    last_contact: datetime, now: datetime, pulses: Iterable[datetime], threshold_seconds: float
) -> float:
    """Time to give back to a candidate whose clock ran from ``last_contact`` to ``now`` without a word
    from them: the whole gap when it is longer than ``threshold_seconds`` **and** the service answered
    nobody during it (no pulse in any whole minute strictly inside the gap) — the service was down. A
    gap during which the service answered others is the candidate's own connection: nothing is given
    back (the invigilator can add time, with a reason)."""
    gap = (now - last_contact).total_seconds()
    if gap <= threshold_seconds:
        return 0.0
    first = minute_of(last_contact) + timedelta(minutes=1)
    last = minute_of(now) - timedelta(minutes=1)
    if first > last:
        return 0.0  # no whole minute inside the gap: it cannot be told from a slow network
    if any(first <= minute_of(p) <= last for p in pulses):
        return 0.0
    return gap


class Combination(StrEnum):
    LOWEST = "lowest"  # the level every part reached (the default)
    FIRST_PART = "first-part"  # the level of the first part only (the others are informative)


@dataclass(frozen=True, slots=True)
class OverallLevel:
    level: str | None
    reasons: tuple[str, ...]


def overall_level(
    part_levels: Mapping[str, str | None],
    ladder: Sequence[str],
    labels: Mapping[str, str],
    combination: Combination = Combination.LOWEST,
    cap: str | None = None,
) -> OverallLevel:
    """The test's level from its parts' levels (``ladder``: lowest level first), never above ``cap``
    (a level form drawn at the target level cannot show a level above it)."""
    if not part_levels:
        return OverallLevel(None, ("Aucune partie n'a de réponse : aucun niveau n'est attribué",))
    rank = {level: i for i, level in enumerate(ladder)}
    reasons: list[str] = []
    if combination is Combination.FIRST_PART:
        first = next(iter(part_levels))
        level = part_levels[first]
        reasons.append(f"Le niveau de l'épreuve est celui de la partie « {first} » (réglage)")
    else:
        levels = list(part_levels.values())
        level = None if any(lv is None for lv in levels) else min(levels, key=lambda lv: rank[lv or ""])
        listed = ", ".join(
            f"{part} : {labels.get(lv, lv) if lv else 'aucun niveau'}" for part, lv in part_levels.items()
        )
        reasons.append(f"Niveau reconnu par toutes les parties ({listed})")
    if level is not None and cap is not None and rank[level] > rank[cap]:
        reasons.append(
            f"L'épreuve était tirée au niveau visé {labels.get(cap, cap)} : elle ne peut attester "
            f"un niveau supérieur"
        )
        level = cap
    reasons.append(f"Niveau obtenu : {labels.get(level, level)}" if level else "Aucun niveau n'est attribué")
    return OverallLevel(level, tuple(reasons))
