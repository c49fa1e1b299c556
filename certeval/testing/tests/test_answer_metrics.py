"""A stored answer is counted once for /metrics (certeval_answers_stored_total), after the commit;
a retry with the same key is not counted again."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from certeval.domain.items.content import Response
from certeval.testing.answer_services import record_answer
from certeval.testing.tests.test_answer_services import served

pytestmark = pytest.mark.django_db


def counted() -> float:
    return REGISTRY.get_sample_value("certeval_answers_stored_total", {"kind": "training"}) or 0.0


def test_an_answer_is_counted_once_after_the_commit(django_capture_on_commit_callbacks) -> None:
    user, question = served()
    before = counted()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_answer(
            user, question, Response(choices=frozenset({"a"})), idempotency_key=question.idempotency_key
        )
    assert counted() == before  # not before the commit
    for callback in callbacks:
        callback()
    assert counted() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        record_answer(
            user, question, Response(choices=frozenset({"b"})), idempotency_key=question.idempotency_key
        )
    assert counted() == before + 1
