"""Reads for item calibration (the caller has checked that the user manages the bank with
``certeval.testing.permissions.banks_managed``).

What a calibration uses (docs/testing.md, « Calibration »): every answer given (``correct`` set) in a
run of the bank that is not training — placement runs, scored or not, so that the unscored pilot
items collect the responses they are served for; training answers come after the feedback and the
replays and would flatter the items — to an item of the bank that is in pilot or active. A person
who answered an item several times counts once, with their first answer. An item is calibrated
when at least ``CERTEVAL_CALIBRATION_MIN_RESPONSES`` people (default 200) answered it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, QuerySet

from certeval.domain.cat.irt import FloatArray
from certeval.testing.models import Calibration, Item, Question, Run
from certeval.testing.models.items import ItemStatus
from certeval.testing.selectors import bank_version_of as bank_version_of  # the callers read it here

DEFAULT_MIN_RESPONSES = 200
CALIBRATED_STATUSES = (ItemStatus.PILOT, ItemStatus.ACTIVE)
IN_PROGRESS = (Calibration.Status.QUEUED, Calibration.Status.RUNNING)
FLAGS = ("misfit", "low-discrimination", "extreme-difficulty", "high-se")


def min_responses() -> int:
    """The fewest people who must have answered an item for it to be calibrated."""
    return int(getattr(settings, "CERTEVAL_CALIBRATION_MIN_RESPONSES", DEFAULT_MIN_RESPONSES))


def calibrations_of(bank: str) -> QuerySet[Calibration]:
    """The bank's calibrations, newest first."""
    return Calibration.objects.filter(bank=bank).select_related("started_by").order_by("-created_at", "-pk")


def in_progress(bank: str) -> Calibration | None:
    """The bank's calibration waiting or running, if any (at most one: see ``calibration_start``)."""
    return Calibration.objects.filter(bank=bank, status__in=IN_PROGRESS).order_by("pk").first()


def calibration_answers(bank: str) -> QuerySet[Question]:
    """The answers a calibration of the bank uses (the rule above), before de-duplication."""
    return Question.objects.filter(
        run__bank=bank,
        correct__isnull=False,
        item_version__item__bank=bank,
        item_version__item__status__in=CALIBRATED_STATUSES,
    ).exclude(run__kind=Run.Kind.TRAINING)


def respondents_per_item(bank: str) -> dict[int, int]:
    """Item id → number of people whose answer a calibration would use."""
    rows = (
        calibration_answers(bank)
        .values("item_version__item")
        .annotate(people=Count("run__candidate", distinct=True))
        .values_list("item_version__item", "people")
    )
    return {int(item): int(people) for item, people in rows}


@dataclass(frozen=True)
class ResponseData:
    """The response matrix of a calibration: one row per person, one column per calibrated item."""

    items: tuple[Item, ...]  # the calibrated items, in column order, with their current version
    matrix: FloatArray  # 1 right, 0 wrong, NaN not answered
    counts: dict[int, int]  # item id → people who answered it (every pilot or active item)
    skipped: tuple[Item, ...]  # pilot or active items answered by fewer people than the minimum

    @property
    def respondents(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def responses(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.matrix)))


def response_matrix(bank: str, minimum: int) -> ResponseData:
    """Build the matrix from the stored answers: first answer of each person to each item; items
    answered by at least ``minimum`` people are columns, people who answered none of them are left
    out."""
    first: dict[tuple[int, int], bool] = {}
    rows = (
        calibration_answers(bank)
        .order_by("answered_at", "pk")
        .values_list("run__candidate_id", "item_version__item_id", "correct")
    )
    for person, item, correct in rows.iterator(chunk_size=5000):
        first.setdefault((person, item), bool(correct))
    counts: dict[int, int] = {}
    for _person, item in first:
        counts[item] = counts.get(item, 0) + 1
    candidates = Item.objects.filter(bank=bank, status__in=CALIBRATED_STATUSES, current__isnull=False)
    items = list(candidates.select_related("current").order_by("code"))
    kept = tuple(i for i in items if counts.get(i.pk, 0) >= minimum)
    skipped = tuple(i for i in items if counts.get(i.pk, 0) < minimum)
    column = {item.pk: j for j, item in enumerate(kept)}
    people = sorted({person for person, item in first if item in column})
    row = {person: i for i, person in enumerate(people)}
    matrix = np.full((len(people), len(kept)), np.nan)
    for (person, item), correct in first.items():
        if item in column:
            matrix[row[person], column[item]] = 1.0 if correct else 0.0
    return ResponseData(
        items=kept, matrix=matrix, counts={i.pk: counts.get(i.pk, 0) for i in items}, skipped=skipped
    )


def review_rows(calibration: Calibration, *, show: str = "", sort: str = "code") -> list[dict[str, Any]]:
    """The calibrated items of a finished calibration, filtered (``show``: "" every item, ``flagged``
    any flag, or one flag) and sorted (``code``, ``responses``, ``change`` of b, ``se`` of b, ``fit``
    p-value)."""
    rows: list[dict[str, Any]] = list((calibration.result or {}).get("items", []))
    if show == "flagged":
        rows = [r for r in rows if r["flags"]]
    elif show in FLAGS:
        rows = [r for r in rows if show in r["flags"]]

    def largest(value: float | None) -> float:
        return -math.inf if value is None else -value  # an unknown value (not finite) comes first

    keys = {
        "code": lambda r: (r["code"],),
        "responses": lambda r: (-r["responses"], r["code"]),
        "change": lambda r: (-abs(r["new"]["b"] - r["old"]["b"]), r["code"]),
        "se": lambda r: (largest(r["se"]["b"]), r["code"]),
        "fit": lambda r: (-math.inf if r["fit_p"] is None else r["fit_p"], r["code"]),
    }
    return sorted(rows, key=keys.get(sort, keys["code"]))


def skipped_rows(calibration: Calibration) -> list[dict[str, Any]]:
    """Items left out for too few responses, the most answered first."""
    rows: list[dict[str, Any]] = list((calibration.result or {}).get("skipped", []))
    return sorted(rows, key=lambda r: (-r["responses"], r["code"]))
