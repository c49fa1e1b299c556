"""Inter-rater agreement for jury harmonisation.

* :func:`krippendorff_alpha` — Krippendorff's alpha for nominal, ordinal, interval or ratio data,
  with missing values, computed from the coincidence matrix as in K. Krippendorff, *Computing
  Krippendorff's Alpha-Reliability* (2011), https://repository.upenn.edu/asc_papers/43 :
  ``α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck``, where ``o_ck`` counts the pairs of
  values ``(c, k)`` found in the same unit, each unit with ``m_u ≥ 2`` values weighing
  ``1 / (m_u − 1)``, ``n_c = Σ_k o_ck`` and ``n = Σ_c n_c``.
* :func:`rater_severity` — each rater's mean signed deviation from the other raters' mean on the
  units they share (positive: more generous than the others), in level steps.
* :func:`disagreements` — units where the raters' values span at least ``threshold`` levels.

A unit is a mapping rater → value, ``None`` meaning "not observed" (e.g. a criterion marked "non
observable"): missing values are ignored, and a unit with fewer than two values is not pairable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

Unit = Mapping[str, float | None]
"""One rated item (e.g. one criterion of one candidate): rater id → value, None when missing."""


class Metric(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


def _pairable(units: Iterable[Unit]) -> list[list[float]]:
    values = [[v for v in unit.values() if v is not None] for unit in units]
    return [v for v in values if len(v) >= 2]


def _delta(
    metric: Metric, c: float, k: float, counts: Mapping[float, float], order: Sequence[float]
) -> float:
    if metric is Metric.NOMINAL:
        return 0.0 if c == k else 1.0
    if metric is Metric.INTERVAL:
        return (c - k) ** 2
    if metric is Metric.RATIO:
        return 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2
    low, high = (c, k) if c <= k else (k, c)
    between = sum(counts[g] for g in order if low <= g <= high)
    return (between - (counts[c] + counts[k]) / 2) ** 2


def krippendorff_alpha(units: Iterable[Unit], metric: Metric = Metric.ORDINAL) -> float | None:
    """Krippendorff's alpha of ``units``; None when undefined (no pairable value, or a single
    value observed throughout, so that no disagreement is expected)."""
    coincidences: dict[tuple[float, float], float] = defaultdict(float)
    for values in _pairable(units):
        weight = 1.0 / (len(values) - 1)
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[(c, k)] += weight
    counts: dict[float, float] = defaultdict(float)
    for (c, _), o in coincidences.items():
        counts[c] += o
    n = sum(counts.values())
    order = sorted(counts)
    if len(order) < 2:
        return None
    observed = sum(o * _delta(metric, c, k, counts, order) for (c, k), o in coincidences.items())
    expected = sum(counts[c] * counts[k] * _delta(metric, c, k, counts, order) for c in order for k in order)
    return 1.0 - (n - 1) * observed / expected


@dataclass(frozen=True)
class Severity:
    """``mean_deviation`` is the mean of (own value − mean of the others' values) over ``units``
    shared units; positive means more generous than the other raters."""

    rater: str
    mean_deviation: float
    units: int


def rater_severity(units: Iterable[Unit]) -> list[Severity]:
    """Each rater's severity against the group, sorted by rater id; raters who never share a
    unit with another rater are left out."""
    deviations: dict[str, list[float]] = defaultdict(list)
    for unit in units:
        observed = {rater: v for rater, v in unit.items() if v is not None}
        if len(observed) < 2:
            continue
        total = sum(observed.values())
        for rater, value in observed.items():
            others = (total - value) / (len(observed) - 1)
            deviations[rater].append(value - others)
    return [
        Severity(rater, sum(values) / len(values), len(values))
        for rater, values in sorted(deviations.items())
    ]


@dataclass(frozen=True)
class Disagreement:
    unit: str
    spread: float
    values: Mapping[str, float]


def disagreements(units: Mapping[str, Unit], threshold: float = 2) -> list[Disagreement]:
    """Units (by key) whose observed values differ by at least ``threshold`` levels, widest first."""
    found: list[Disagreement] = []
    for key, unit in units.items():
        observed = {rater: v for rater, v in unit.items() if v is not None}
        if len(observed) < 2:
            continue
        spread = max(observed.values()) - min(observed.values())
        if spread >= threshold:
            found.append(Disagreement(key, spread, observed))
    return sorted(found, key=lambda d: (-d.spread, d.unit))


@dataclass(frozen=True)
class AgreementReport:
    """Alpha per jury and pooled over all juries (units of different juries never pair)."""

    per_jury: Mapping[str, float | None]
    pooled: float | None


def agreement_report(
    juries: Mapping[str, Iterable[Unit]], metric: Metric = Metric.ORDINAL
) -> AgreementReport:
    materialised = {jury: list(units) for jury, units in juries.items()}
    return AgreementReport(
        per_jury={jury: krippendorff_alpha(units, metric) for jury, units in materialised.items()},
        pooled=krippendorff_alpha((u for units in materialised.values() for u in units), metric),
    )
