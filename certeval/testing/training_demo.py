"""Demo training history for candidat@demo.certeval.fr, so that the training home of ``make demo`` shows a
non-empty « à revoir aujourd'hui » list and progress chart.

``seed_training_history(stdout)`` is called by the testing demo once the demo item bank is loaded. It
replays, over the last five weeks, a few finished training sessions on four competences (CRCN-Édu 1.1
and 3.1, CRCN 1.1 and 3.1): each session first replays the cards due at that moment, then takes new
items (lowest level first), the person answering more often right as weeks go by; each answer updates
the FSRS card exactly as a real answer would (``training_selectors.replay_plan``) at the answer's date.
The last session, yesterday, has wrong answers whose replays are due today. Only a few items per
competence are used, so that the placement run keeps almost all of its items. Nothing is written when
the person, their enrolment or the items are missing, or when they already have a training history.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from fsrs import Card

from certeval.campaigns.models import Candidate
from certeval.domain.items.content import Content, Kind, Response
from certeval.testing import training_selectors as selectors
from certeval.testing.models import ItemVersion, Question, ReviewCard, Run

DEMO_EMAIL = "candidat@demo.certeval.fr"
# (days ago, hour, part, competence, new items)
SESSIONS = [
    (33, 18, "crcn", "1.1", 3),
    (26, 17, "crcn-edu", "1.1", 2),
    (19, 20, "crcn", "1.1", 1),
    (12, 18, "crcn-edu", "3.1", 2),
    (6, 19, "crcn", "3.1", 3),
    (3, 18, "crcn-edu", "1.1", 1),
    (1, 20, "crcn", "3.1", 0),
    (1, 21, "crcn-edu", "3.1", 1),
]


def seed_training_history(stdout: TextIO) -> int:
    """Write the demo history; returns the number of answers written (0: nothing to do)."""
    candidate = Candidate.objects.filter(email=DEMO_EMAIL).first()
    if candidate is None:
        stdout.write(f"Entraînement : pas de candidat {DEMO_EMAIL}, pas d'historique.\n")
        return 0
    if Run.objects.filter(candidate=candidate, kind=Run.Kind.TRAINING).exists():
        stdout.write("Entraînement : un historique existe déjà, rien n'est ajouté.\n")
        return 0
    trainee = selectors.trainee_of(candidate)
    if trainee.bank is None or not selectors.servable_items(trainee):
        stdout.write("Entraînement : aucune question d'entraînement disponible, pas d'historique.\n")
        return 0
    answers = _write(trainee, timezone.now())
    stdout.write(f"Entraînement : historique de {DEMO_EMAIL}, {answers} réponses sur 5 semaines.\n")
    return answers


def plausible_response(content: Content, correct: bool) -> Response:
    """A plausible answer: the right one, or a wrong option (or a passed short answer)."""
    if content.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if correct:
            return Response(choices=content.right_options())
        wrong = [oid for oid in content.option_ids if oid not in content.right_options()]
        return Response(choices=frozenset(wrong[:1]))
    if correct:
        return Response(texts=tuple(str(blank.answers[0]) for blank in content.blanks))
    return Response(texts=("",) * len(content.blanks))


@transaction.atomic
def _write(trainee: selectors.Trainee, now: datetime) -> int:
    rng = random.Random(2026)
    assert trainee.bank is not None
    seen = selectors.seen_items(trainee.candidate)
    cards: dict[int, Card] = {}
    rows: dict[int, ReviewCard] = {}
    version_of = {s.item_id: s for s in selectors.servable_items(trainee)}
    versions = ItemVersion.objects.in_bulk([s.version_id for s in version_of.values()])
    total = 0
    for index, (days, hour, part, competence, new_count) in enumerate(SESSIONS):
        local = timezone.localtime(now - timedelta(days=days))
        moment = local.replace(hour=hour, minute=5, second=0, microsecond=0).astimezone(UTC)
        competence_items = selectors.servable_items(replace(trainee), part, competence)
        ids = {s.item_id for s in competence_items}
        due = sorted((card.due, item) for item, card in cards.items() if item in ids and card.due <= moment)
        chosen = [version_of[item] for _due, item in due]
        fresh = sorted(
            (s for s in competence_items if s.item_id not in seen and s.item_id not in cards),
            key=lambda s: (selectors.LEVEL_RANK.get(s.level, 0), s.code),
        )
        chosen += fresh[:new_count]
        if not chosen:
            continue
        run = Run.objects.create(
            candidate=trainee.candidate,
            kind=Run.Kind.TRAINING,
            bank=trainee.bank,
            bank_version=selectors.bank_version_of(trainee.bank),
            status=Run.Status.FINISHED,
            audience=trainee.audience,
            needs=list(trainee.needs),
            competence=competence,
            campaign=trainee.enrolment.campaign if trainee.enrolment else None,
            enrolment=trainee.enrolment,
            settings={"part": part, "questions_per_session": len(chosen), "demo": "training"},
            seed=rng.randrange(2**31),
        )
        right_count = 0
        for position, servable in enumerate(chosen, start=1):
            replay = servable.item_id in cards
            chance = (0.8 if replay else 0.5) + 0.04 * index
            correct = rng.random() < min(chance, 0.95)
            if index == len(SESSIONS) - 1 and position == 1:
                correct = False  # yesterday's mistake: due again today
            seconds = round(rng.uniform(15, 80), 1)
            served = moment + timedelta(minutes=2 * position)
            answered = served + timedelta(seconds=seconds)
            question = Question.objects.create(
                run=run,
                position=position,
                item_version_id=servable.version_id,
                scored=False,
                response=plausible_response(versions[servable.version_id].content(), correct).as_json(),
                correct=correct,
                seconds=seconds,
                answered_at=answered,
            )
            Question.objects.filter(pk=question.pk).update(served_at=served)
            plan = selectors.replay_plan(versions[servable.version_id].expected_seconds)
            plan.cards = {str(servable.item_id): cards[servable.item_id]} if replay else {}
            due_at = plan.record(str(servable.item_id), correct, when=answered, seconds=seconds)
            cards[servable.item_id] = plan.cards[str(servable.item_id)]
            row = rows.get(servable.item_id) or ReviewCard(
                candidate=trainee.candidate, item_id=servable.item_id, reviews=0
            )
            row.card = dict(cards[servable.item_id].to_dict())
            row.due = due_at
            row.reviews += 1
            row.last_correct = correct
            row.save()
            rows[servable.item_id] = row
            right_count += int(correct)
            total += 1
        end = moment + timedelta(minutes=2 * len(chosen) + 2)
        Run.objects.filter(pk=run.pk).update(
            started_at=moment,
            finished_at=end,
            outcome={"end": "complete", "answered": len(chosen), "right": right_count},
        )
    return total
