"""Reading a past campaign's cohort and jurors' answers from CSV (``certeval stats import``).

Cohort: one row per candidate, ``id,formation,degre,placement_level,automated_level,
automated_obtained_on,final_level`` (levels empty when the stage was not reached, the date ISO
``YYYY-MM-DD``). Jurors' questionnaire: one row per juror, ``id,dossiers,traces,analyses,organisation``
(1 to 4, empty when not answered). Every problem is reported with its line; nothing is returned as
valid while any row is wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from certeval.domain.stats import CohortRow, SchoolYear, row_problems

COHORT_COLUMNS: tuple[str, ...] = (
    "id",
    "formation",
    "degre",
    "placement_level",
    "automated_level",
    "automated_obtained_on",
    "final_level",
)
FEEDBACK_TOPICS: tuple[str, ...] = ("dossiers", "traces", "analyses", "organisation")
FEEDBACK_COLUMNS: tuple[str, ...] = ("id", *FEEDBACK_TOPICS)
MAX_ROWS = 200_000


@dataclass(frozen=True)
class IdentifiedRow:
    ref: str
    row: CohortRow


@dataclass(frozen=True)
class FeedbackRow:
    ref: str
    answers: dict[str, int | None]


class CsvRefused(Exception):
    """The file cannot be imported; ``errors`` lists every problem, each with its line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


def _records(text: str, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"line 1: missing column(s) {', '.join(missing)} (expected {','.join(columns)})")
        if unknown:
            problems.append(f"line 1: unknown column(s) {', '.join(unknown)}")
        raise CsvRefused(problems)
    reader.fieldnames = header
    records: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        if len(records) >= MAX_ROWS:
            raise CsvRefused([f"more than {MAX_ROWS} rows"])
        if None in record:
            raise CsvRefused([f"line {reader.line_num}: more values than columns"])
        records.append((reader.line_num, {k: (v or "").strip() for k, v in record.items()}))
    if not records:
        raise CsvRefused(["no row after the header"])
    return records


def _identified(
    text: str, columns: Sequence[str], errors: list[str]
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """Each record with its id and where it is (``line N (id)``); an empty or repeated id is an error."""
    seen: dict[str, int] = {}
    for line, record in _records(text, columns):
        ref = record["id"]
        where = f"line {line} ({ref})" if ref else f"line {line}"
        if not ref:
            errors.append(f"{where}: id is empty")
        elif ref in seen:
            errors.append(f"{where}: id already on line {seen[ref]}")
        else:
            seen[ref] = line
        yield ref, where, record


def _day(value: str) -> date:
    if len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def parse_cohort(
    text: str, year: SchoolYear, levels: Sequence[str], validity_years: int | None
) -> list[IdentifiedRow]:
    """The rows of a cohort CSV, or :class:`CsvRefused` with every problem (``line N (id): …``)."""
    errors: list[str] = []
    rows: list[IdentifiedRow] = []
    for ref, where, record in _identified(text, COHORT_COLUMNS, errors):
        obtained: date | None = None
        if record["automated_obtained_on"]:
            try:
                obtained = _day(record["automated_obtained_on"])
            except ValueError:
                errors.append(
                    f"{where}: automated_obtained_on « {record['automated_obtained_on']} » "
                    "is not a date YYYY-MM-DD"
                )
                continue
        row = CohortRow(
            formation=record["formation"],
            degre=record["degre"],
            placement_level=record["placement_level"] or None,
            automated_level=record["automated_level"] or None,
            automated_obtained_on=obtained,
            final_level=record["final_level"] or None,
        )
        errors.extend(f"{where}: {problem}" for problem in row_problems(row, year, levels, validity_years))
        if not any((row.placement_level, row.automated_level, row.final_level)):
            errors.append(
                f"{where}: no stage reached (placement_level, automated_level and final_level empty)"
            )
        rows.append(IdentifiedRow(ref, row))
    if errors:
        raise CsvRefused(errors)
    return rows


def parse_feedback(text: str) -> list[FeedbackRow]:
    """The jurors' answers of a questionnaire CSV, or :class:`CsvRefused` with every problem."""
    errors: list[str] = []
    rows: list[FeedbackRow] = []
    for ref, where, record in _identified(text, FEEDBACK_COLUMNS, errors):
        answers: dict[str, int | None] = {}
        for topic in FEEDBACK_TOPICS:
            value = record[topic]
            if not value:
                answers[topic] = None
            elif value in {"1", "2", "3", "4"}:
                answers[topic] = int(value)
            else:
                errors.append(f"{where}: {topic} « {value} » is not 1, 2, 3, 4 or empty")
        if all(v is None for v in answers.values()):
            errors.append(f"{where}: no answer")
        rows.append(FeedbackRow(ref, answers))
    if errors:
        raise CsvRefused(errors)
    return rows
