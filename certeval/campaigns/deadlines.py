"""Deadlines are instants; organisers state them as a Paris wall-clock date and time.

``paris_instant`` turns a wall-clock time into an aware datetime: on the spring-forward day a
time that does not exist (02:00–02:59) is read with the winter offset, i.e. it lands one hour
later in summer time; on the fall-back day an ambiguous time (02:00–02:59 twice) is the later of
the two instants, in the candidate's favour. A deposit is on time while ``now < deadline``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from certeval.core.dates import PARIS


def paris_instant(day: date, clock: time) -> datetime:
    naive = datetime.combine(day, clock)
    # fold=0/1 pick the two offsets around a change; on ordinary days both are the same instant.
    # The later instant is the right answer for both a gap (one hour later) and an overlap.
    instants = [naive.replace(tzinfo=PARIS, fold=fold).astimezone(UTC) for fold in (0, 1)]
    # Returned in UTC: an aware datetime in an ambiguous hour (fold=1) never compares equal across zones.
    return max(instants)


def is_on_time(*, now: datetime, deadline: datetime) -> bool:
    return now < deadline
