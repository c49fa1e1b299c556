"""Serving and answering one question: one answer per served question, scored with the served version."""

from __future__ import annotations

import pytest
from django.db import transaction

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import CandidateFactory
from certeval.domain.items.content import Response
from certeval.testing.answer_services import record_answer, serve
from certeval.testing.errors import TestingError
from certeval.testing.models import ItemVersion, Run
from certeval.testing.tests.calibration_factories import BANK, make_items

pytestmark = pytest.mark.django_db


def served(status: str = Run.Status.IN_PROGRESS):
    candidate = CandidateFactory()
    item = make_items(1)[0]
    run = Run.objects.create(
        candidate=candidate, kind=Run.Kind.TRAINING, bank=BANK, bank_version=1, status=status
    )
    with transaction.atomic():
        question = serve(run, item.current)
    return candidate.user, question


def test_a_served_question_gets_the_next_position_and_a_key():
    _user, first = served()
    with transaction.atomic():
        second = serve(first.run, first.item_version)
    assert (first.position, second.position) == (1, 2)
    assert first.idempotency_key and first.idempotency_key != second.idempotency_key


def test_the_answer_is_scored_with_the_served_version_even_after_an_edit():
    user, question = served()
    item = question.item_version.item
    # A new version swaps the right option; the served question keeps its version.
    edited = ItemVersion.objects.create(
        item=item,
        number=2,
        kind="single",
        stem="Question modifiée",
        options=[{"text": "Oui", "correct": False}, {"text": "Non", "correct": True}],
        explanation="",
        a=1.0,
        b=0.0,
    )
    item.current = edited
    item.save()
    stored = record_answer(
        user, question, Response(choices=frozenset({"a"})), idempotency_key=question.idempotency_key
    )
    assert stored.correct is True
    assert stored.response == {"choices": ["a"], "texts": []}
    assert AuditEvent.objects.filter(action="testing.answer", actor=user).count() == 1


def test_a_retry_with_the_same_key_stores_one_answer_and_calls_the_hook_once():
    user, question = served()
    calls = []
    for choice in ("a", "b"):
        stored = record_answer(
            user,
            question,
            Response(choices=frozenset({choice})),
            idempotency_key=question.idempotency_key,
            seconds=12,
            on_answer=calls.append,
        )
    assert stored.response == {"choices": ["a"], "texts": []}
    assert len(calls) == 1
    assert AuditEvent.objects.filter(action="testing.answer").count() == 1


@pytest.mark.parametrize("key", ["", "autre-clé"])
def test_a_stale_or_missing_key_is_refused(key):
    user, question = served()
    with pytest.raises(TestingError, match="plus à jour"):
        record_answer(user, question, Response(choices=frozenset({"a"})), idempotency_key=key)
    question.refresh_from_db()
    assert question.answered_at is None


def test_another_person_cannot_answer():
    _, question = served()
    other = CandidateFactory().user
    with pytest.raises(TestingError, match="introuvable"):
        record_answer(
            other, question, Response(choices=frozenset({"a"})), idempotency_key=question.idempotency_key
        )


def test_an_answer_that_does_not_fit_the_question_is_refused_in_french():
    user, question = served()
    with pytest.raises(TestingError, match="ne correspond pas"):
        record_answer(
            user, question, Response(choices=frozenset({"z"})), idempotency_key=question.idempotency_key
        )


def test_a_finished_run_takes_no_answer():
    user, question = served(status=Run.Status.FINISHED)
    with pytest.raises(TestingError, match="terminée"):
        record_answer(
            user, question, Response(choices=frozenset({"a"})), idempotency_key=question.idempotency_key
        )


def test_durations_are_kept_within_bounds():
    user, question = served()
    stored = record_answer(user, question, Response(), idempotency_key=question.idempotency_key, seconds=-5)
    assert stored.seconds == 0.0 and stored.correct is False
