"""The placement run (« parcours bilan ») through its services and its pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from certeval.testing.models import Question, Run
from certeval.testing.tests.run_factories import SMALL, enrolled, make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small(settings: Any) -> None:
    settings.CERTEVAL_PLACEMENT = dict(SMALL)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answer_all(client: Client, run: Run, choice: str = "a", limit: int = 200) -> None:
    for _ in range(limit):
        run.refresh_from_db()
        if run.status == Run.Status.FINISHED:
            return
        question = Question.objects.filter(run=run, answered_at__isnull=True).get()
        response = client.post(
            f"/tests-en-ligne/parcours-bilan/{run.pk}/", {"key": question.idempotency_key, "choice": choice}
        )
        assert response.status_code == 302, response.content[:500]
    raise AssertionError("the run did not finish")


def test_a_placement_run_from_start_to_result() -> None:
    make_bank()
    enrolment = enrolled()
    client = _client(enrolment.candidate.user)
    assert client.get("/tests-en-ligne/").status_code == 200
    response = client.post("/tests-en-ligne/parcours-bilan/pix-plus-edu/commencer/")
    run = Run.objects.get()
    assert response["Location"] == f"/tests-en-ligne/parcours-bilan/{run.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Question 1 sur 10" in page.content.decode()
    _answer_all(client, run)
    run.refresh_from_db()
    assert run.proposed_level == "expert"
    assert run.questions.count() == 10
    enrolment.refresh_from_db()
    assert enrolment.target_level == "expert"
    result = client.get(f"/tests-en-ligne/parcours-bilan/{run.pk}/resultat/")
    assert result.status_code == 200
    assert "Expert" in result.content.decode()
