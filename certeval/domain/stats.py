"""Statistics of a campaign as the jury report presents them (seed 004, §5.1 and §5.2).

Input: one plain :class:`CohortRow` per candidate — their training (``initiale`` or ``continue``),
their status (``premier`` or ``second`` degré), the level proposed by their placement run, their
automated result (level and day obtained) and the final level of their certification.

Output (:func:`cohort_report`): for each training and status, the number of candidates per level at
each stage, with totals and rates:

- ``bilan`` — the placement run (« parcours bilan »): every row with a placement level;
- ``auto`` — the automated part obtained **during the campaign year**: a result obtained in an
  earlier year still serves the certification (it stays valid ``validity_years`` years) but it is not
  counted again here;
- ``cert`` — the certification, both parts validated: every row with a final level, whatever the
  year of its automated result (seed 004 §5.1: continuing training, premier degré, 16 automated
  results and 18 certifications).

:func:`row_problems` checks one row of a past cohort before it is stored, and
:func:`satisfaction` computes the shares of the jurors' questionnaire (§5.2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from certeval.domain.rules.dates import valid_until

FORMATIONS: tuple[str, ...] = ("initiale", "continue")
DEGRES: tuple[str, ...] = ("premier", "second")
STAGES: tuple[str, ...] = ("bilan", "auto", "cert")
ROUNDINGS: tuple[str, ...] = ("half_up", "floor")

Counts = dict[str, dict[str, dict[str, dict[str, int]]]]


@dataclass(frozen=True)
class SchoolYear:
    """A campaign year: from ``start`` to ``end`` inclusive (by default 1 September – 31 August)."""

    start: date
    end: date

    @classmethod
    def starting(cls, year: int, month: int = 9) -> SchoolYear:
        start = date(year, month, 1)
        following = date(year + 1, month, 1)
        return cls(start, date.fromordinal(following.toordinal() - 1))

    @classmethod
    def of_day(cls, day: date, month: int = 9) -> SchoolYear:
        """The school year that contains ``day``."""
        return cls.starting(day.year if day.month >= month else day.year - 1, month)

    @classmethod
    def parse(cls, label: str, month: int = 9) -> SchoolYear:
        """``"2022-2023"`` → the year from September 2022 to August 2023; ValueError otherwise."""
        first, sep, second = label.strip().partition("-")
        if not (sep and first.isdigit() and second.isdigit() and len(first) == len(second) == 4):
            raise ValueError(f"a school year is written YYYY-YYYY (e.g. 2022-2023), not {label!r}")
        if int(second) != int(first) + 1:
            raise ValueError(f"the two years of {label!r} must follow each other")
        return cls.starting(int(first), month)

    @property
    def label(self) -> str:
        return (
            f"{self.start.year}-{self.end.year}" if self.end.year != self.start.year else str(self.start.year)
        )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class CohortRow:
    formation: str
    degre: str
    placement_level: str | None = None
    automated_level: str | None = None
    automated_obtained_on: date | None = None
    final_level: str | None = None


def stage_levels(row: CohortRow, year: SchoolYear) -> dict[str, str]:
    """The level at which the row counts at each stage it reaches (the earlier-year rule)."""
    reached: dict[str, str] = {}
    if row.placement_level:
        reached["bilan"] = row.placement_level
    if row.automated_level and row.automated_obtained_on in year:
        reached["auto"] = row.automated_level
    if row.final_level:
        reached["cert"] = row.final_level
    return reached


def cohort_counts(rows: Iterable[CohortRow], year: SchoolYear, levels: Sequence[str]) -> Counts:
    """``{formation: {degre: {stage: {level: count}}}}``: every formation, status and stage, the levels
    with at least one candidate in the référentiel's order (unknown levels after them)."""
    raw: dict[tuple[str, str, str], dict[str, int]] = {}
    for row in rows:
        for stage, level in stage_levels(row, year).items():
            cell = raw.setdefault((row.formation, row.degre, stage), {})
            cell[level] = cell.get(level, 0) + 1
    order = {level: i for i, level in enumerate(levels)}
    formations = [*FORMATIONS, *sorted({f for f, _, _ in raw} - set(FORMATIONS))]
    degres = [*DEGRES, *sorted({d for _, d, _ in raw} - set(DEGRES))]
    counts: Counts = {}
    for formation in formations:
        counts[formation] = {}
        for degre in degres:
            counts[formation][degre] = {}
            for stage in STAGES:
                cell = raw.get((formation, degre, stage), {})
                ranked = sorted(cell, key=lambda lv: (order.get(lv, len(order)), lv))
                counts[formation][degre][stage] = {level: cell[level] for level in ranked}
    return counts


def percent(part: int, whole: int, rounding: str = "half_up") -> int | None:
    """``part / whole`` as a whole percentage (None when ``whole`` is 0): ``half_up`` rounds to the
    nearest (237 / 913 → 26), ``floor`` truncates (11 / 14 → 78)."""
    if whole <= 0:
        return None
    value = Fraction(100 * part, whole)
    if rounding == "floor":
        return math.floor(value)
    if rounding == "half_up":
        return math.floor(value + Fraction(1, 2))
    raise ValueError(f"unknown rounding {rounding!r} (one of {', '.join(ROUNDINGS)})")


@dataclass(frozen=True)
class StageTable:
    """One table of the report: a stage of one formation, a row per status, a column per level."""

    formation: str
    stage: str
    levels: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...], int, int | None], ...]  # degre, per level, total, rate
    totals: tuple[int, ...]
    total: int
    rate: int | None  # the stage's total over the placement run's total (None for the run itself)


@dataclass(frozen=True)
class FormationReport:
    formation: str
    levels: tuple[str, ...]
    tables: tuple[StageTable, ...]

    def table(self, stage: str) -> StageTable:
        return next(t for t in self.tables if t.stage == stage)


@dataclass(frozen=True)
class CohortReport:
    year: SchoolYear
    counts: Counts
    formations: tuple[FormationReport, ...]


def cohort_report(
    rows: Iterable[CohortRow], year: SchoolYear, levels: Sequence[str], rounding: str = "half_up"
) -> CohortReport:
    """The counts and, per formation, the report's three tables with totals and rates.

    A formation's columns are the levels with at least one candidate at any of its stages (seed 004:
    initié and confirmé in initial training; confirmé, avancé and expert in continuing training).
    The rate of a row is its total over the same status' placement-run total."""
    counts = cohort_counts(rows, year, levels)
    formations = []
    for formation, by_degre in counts.items():
        used = {lv for stages in by_degre.values() for cell in stages.values() for lv in cell}
        if not used:
            continue
        columns = tuple(lv for lv in [*levels, *sorted(used - set(levels))] if lv in used)
        tables = []
        for stage in STAGES:
            table_rows = []
            for degre, stages in by_degre.items():
                values = tuple(stages[stage].get(lv, 0) for lv in columns)
                base = sum(stages["bilan"].values())
                rate = None if stage == "bilan" else percent(sum(values), base, rounding)
                table_rows.append((degre, values, sum(values), rate))
            totals = tuple(sum(r[1][i] for r in table_rows) for i in range(len(columns)))
            base_total = sum(sum(s["bilan"].values()) for s in by_degre.values())
            tables.append(
                StageTable(
                    formation=formation,
                    stage=stage,
                    levels=columns,
                    rows=tuple(table_rows),
                    totals=totals,
                    total=sum(totals),
                    rate=None if stage == "bilan" else percent(sum(totals), base_total, rounding),
                )
            )
        formations.append(FormationReport(formation, columns, tuple(tables)))
    return CohortReport(year, counts, tuple(formations))


def row_problems(
    row: CohortRow, year: SchoolYear, levels: Sequence[str], validity_years: int | None
) -> list[str]:
    """Why a row of a past cohort cannot be stored (empty when it can; English, for the CLI)."""
    problems = []
    if row.formation not in FORMATIONS:
        problems.append(f"formation {row.formation!r} unknown (initiale or continue)")
    if row.degre not in DEGRES:
        problems.append(f"degre {row.degre!r} unknown (premier or second)")
    known = ", ".join(levels)
    for name, level in (
        ("placement_level", row.placement_level),
        ("automated_level", row.automated_level),
        ("final_level", row.final_level),
    ):
        if level and level not in levels:
            problems.append(f"{name}: level {level!r} unknown ({known})")
    if bool(row.automated_level) != (row.automated_obtained_on is not None):
        problems.append("automated_level and automated_obtained_on go together (both or neither)")
    if row.automated_obtained_on is not None:
        if row.automated_obtained_on > year.end:
            problems.append(
                f"automated part obtained on {row.automated_obtained_on.isoformat()}, "
                f"after the end of the year {year.label} ({year.end.isoformat()})"
            )
        elif row.final_level and validity_years is not None:
            until = valid_until(row.automated_obtained_on, validity_years)
            if until < year.start:
                problems.append(
                    f"automated part obtained on {row.automated_obtained_on.isoformat()}, valid until "
                    f"{until.isoformat()}: expired before the year {year.label}, it cannot serve a certification"
                )
    if row.final_level and not row.automated_level:
        problems.append("final_level without an automated part: the certification needs both parts")
    if (
        row.final_level in levels
        and row.automated_level in levels
        and levels.index(row.final_level) > levels.index(row.automated_level or "")
    ):
        problems.append(f"final_level {row.final_level!r} above automated_level {row.automated_level!r}")
    return problems


@dataclass(frozen=True)
class Share:
    satisfied: int
    answered: int

    def percent(self, rounding: str = "floor") -> int | None:
        return percent(self.satisfied, self.answered, rounding)


def satisfaction(
    answers: Iterable[Mapping[str, int | None]], topics: Sequence[str], satisfied_from: int = 3
) -> dict[str, Share]:
    """Per topic, how many answers are at least ``satisfied_from`` on the 1–4 scale (3 « Satisfait »,
    4 « Très satisfait ») among the answers given (an empty answer counts in neither)."""
    answers = list(answers)
    shares = {}
    for topic in topics:
        given = [a[topic] for a in answers if a.get(topic) is not None]
        shares[topic] = Share(sum(1 for v in given if v is not None and v >= satisfied_from), len(given))
    return shares
