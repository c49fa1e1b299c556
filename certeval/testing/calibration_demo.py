"""Demo data for item calibration: simulated pilot respondents and their placement-run answers.

``seed_pilot_answers`` gives a bank without any answer enough of them for an organiser to run a real
calibration in the demo: ``candidates`` demo people (« Répondant pilote 0001 »,
``pilote.<bank>.0001@demo.certeval.fr``, no password: nobody signs in as them), each with one
finished placement run marked ``{"demo": "pilot"}`` in its settings. Each person answers
``per_person`` items of the bank (pilot and active items; pilot items unscored, as they are served),
chosen in rotation over the shuffled bank so that every item gets about 1.25 × the calibration
minimum of answers; abilities are drawn from N(0, 1) and answers from the items' current (provisional)
parameters, P = c + (1 − c) / (1 + exp(−a(θ − b))). People and runs are written with ``bulk_create``,
the answers as plain rows (docs/testing.md gives the time it takes).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TextIO

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Candidate
from certeval.testing import calibration_selectors as selectors
from certeval.testing.models import Item, Question, Run
from certeval.testing.models.items import ItemStatus

COVERAGE = 1.25  # answers per item, as a multiple of the calibration minimum
MIN_LENGTH = 40  # the shortest placement run simulated


def bank_items(bank: str) -> list[Item]:
    """The bank's pilot and active items that have a current version, in a stable order."""
    return list(
        Item.objects.filter(bank=bank, status__in=selectors.CALIBRATED_STATUSES, current__isnull=False)
        .select_related("current")
        .order_by("code")
    )


def seed_pilot_answers(bank: str, stdout: TextIO, candidates: int = 1000) -> int:
    """Simulated pilot respondents for a bank with active items and no answer yet; returns the number
    of answers written (0 when there is nothing to do: no active item, or answers already stored)."""
    items = bank_items(bank)
    if not any(item.status == ItemStatus.ACTIVE for item in items):
        stdout.write(f"Banque {bank} : aucune question active, pas de répondants pilotes simulés.\n")
        return 0
    if selectors.calibration_answers(bank).exists():
        stdout.write(f"Banque {bank} : des réponses sont déjà enregistrées, rien n'est ajouté.\n")
        return 0
    wanted = COVERAGE * selectors.min_responses() * len(items) / candidates
    per_person = min(len(items), max(MIN_LENGTH, math.ceil(wanted)))
    started = time.perf_counter()
    parameters = {item.pk: (item.current.a, item.current.b, item.current.c) for item in items if item.current}
    answers = simulate_answers(
        bank, items, parameters, candidates=candidates, per_person=per_person, seed=2026, prefix="pilote"
    )
    stdout.write(
        f"Banque {bank} : {candidates} répondants pilotes simulés, {answers} réponses "
        f"({per_person} questions chacun) en {time.perf_counter() - started:.1f} s.\n"
    )
    return answers


@transaction.atomic
def simulate_answers(
    bank: str,
    items: Sequence[Item],
    parameters: Mapping[int, tuple[float, float, float]],
    *,
    candidates: int,
    per_person: int,
    seed: int,
    prefix: str,
) -> int:
    """Create ``candidates`` demo people, each with a finished placement run answering ``per_person``
    of ``items`` (in rotation over the shuffled items), answers drawn from ``parameters`` (item id →
    a, b, c) with abilities from N(0, 1). Returns the number of answers."""
    rng = np.random.default_rng(seed)
    now = timezone.now()
    version = selectors.bank_version_of(bank)
    emails = [f"{prefix}.{bank}.{i:04d}@demo.certeval.fr" for i in range(1, candidates + 1)]
    password = make_password(None)  # unusable: nobody signs in as a simulated respondent
    User.objects.bulk_create(
        [
            User(email=email, first_name="Répondant", last_name=f"Pilote {i:04d}", password=password)
            for i, email in enumerate(emails, start=1)
        ]
    )
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    Candidate.objects.bulk_create(
        [
            Candidate(
                user_id=users[email],
                email=email,
                birth_name=f"Pilote {i:04d}",
                first_names="Répondant",
                birth_date=date(1970, 1, 1) + timedelta(days=int(rng.integers(0, 30 * 365))),
            )
            for i, email in enumerate(emails, start=1)
        ]
    )
    people = list(Candidate.objects.filter(email__in=emails).order_by("email").values_list("pk", flat=True))
    finished = [
        now - timedelta(days=int(d), minutes=int(m))
        for d, m in zip(rng.integers(1, 60, len(people)), rng.integers(0, 600, len(people)), strict=True)
    ]
    Run.objects.bulk_create(
        [
            Run(
                candidate_id=person,
                kind=Run.Kind.PLACEMENT,
                bank=bank,
                bank_version=version,
                status=Run.Status.FINISHED,
                settings={"demo": "pilot"},
                seed=int(rng.integers(0, 2**31)),
                finished_at=end,
            )
            for person, end in zip(people, finished, strict=True)
        ]
    )
    runs = dict(
        Run.objects.filter(candidate_id__in=people, bank=bank, kind=Run.Kind.PLACEMENT).values_list(
            "candidate_id", "pk"
        )
    )
    order = rng.permutation(len(items))
    a = np.array([parameters[items[j].pk][0] for j in order])
    b = np.array([parameters[items[j].pk][1] for j in order])
    c = np.array([parameters[items[j].pk][2] for j in order])
    versions = [items[j].current_id for j in order]
    scored = [items[j].status == ItemStatus.ACTIVE for j in order]
    thetas = rng.normal(size=len(people))
    adapt = connection.ops.adapt_datetimefield_value
    rows: list[tuple[Any, ...]] = []
    for index, person in enumerate(people):
        columns = (index * per_person + np.arange(per_person)) % len(items)
        p = c[columns] + (1 - c[columns]) / (1 + np.exp(-a[columns] * (thetas[index] - b[columns])))
        right = (rng.random(per_person) < p).tolist()
        seconds = np.round(rng.uniform(20, 90, per_person), 1).tolist()
        moment = finished[index] - timedelta(seconds=sum(seconds))
        for position, (column, correct, spent) in enumerate(
            zip(columns.tolist(), right, seconds, strict=True), start=1
        ):
            served = adapt(moment)
            moment += timedelta(seconds=spent)
            rows.append(
                (
                    runs[person],
                    position,
                    versions[column],
                    scored[column],
                    served,
                    correct,
                    spent,
                    adapt(moment),
                    "",
                    "",
                )
            )
    _insert_questions(rows)
    first = Question.objects.filter(run=OuterRef("pk"), position=1).values("served_at")[:1]
    Run.objects.filter(pk__in=runs.values()).update(started_at=Subquery(first))
    return len(rows)


QUESTION_FIELDS = (
    "run",
    "position",
    "item_version",
    "scored",
    "served_at",
    "correct",
    "seconds",
    "answered_at",
    "idempotency_key",
    "client_key",
)


def _insert_questions(rows: list[tuple[Any, ...]]) -> None:
    """Insert answered questions in batches of plain rows: ``bulk_create`` spends most of its time
    preparing each field of each object (about 25 s instead of 3 s for 150,000 answers)."""
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in Question._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in QUESTION_FIELDS)
    marks = ", ".join(["%s"] * len(QUESTION_FIELDS))
    sql = f"INSERT INTO {quote(Question._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - no input
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10000):
            cursor.executemany(sql, rows[start : start + 10000])
