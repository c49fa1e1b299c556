"""A candidate's proctored test through the API: a whole test, retries that store one answer, a second
tab taking over, and every bad input answered with a 4xx and a message (never a 500)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certeval.testing import console_services as console
from certeval.testing.models import Question, Sitting
from certeval.testing.sitting_api import SALT, token_for
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db

API = "/api/v1/testing/sitting"


@pytest.fixture(autouse=True)
def short_tests(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "min_answered": 4}


def _join(client: Client, ps: ProctoredSession, index: int = 0) -> dict[str, Any]:
    candidate = ps.enrolments[index].candidate
    response = client.post(
        f"{API}/join",
        {
            "access_code": ps.delivery.access_code.lower(),
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def _authorise(ps: ProctoredSession, sitting_id: int) -> None:
    who = ps.invigilator
    console.mark_present(delivery=ps.delivery, sitting_id=sitting_id, who=who)
    console.check_identity(delivery=ps.delivery, sitting_id=sitting_id, document="passport", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=sitting_id, who=who)


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client: Client, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}/{path}", body or {}, content_type="application/json", **_bearer(token))


def _started(client: Client, ps: ProctoredSession, index: int = 0) -> tuple[str, dict[str, Any]]:
    joined = _join(client, ps, index)
    _authorise(ps, joined["sitting"])
    response = _post(client, "start", joined["token"])
    assert response.status_code == 200, response.content
    return joined["token"], response.json()


def _right(question: dict[str, Any]) -> list[str]:
    stored = Question.objects.select_related("item_version").get(pk=question["id"])
    return [
        o["id"]
        for o, raw in zip(question["options"], stored.item_version.options, strict=True)
        if raw["correct"]
    ]


def _answer_body(question: dict[str, Any], *, right: bool = True, client_key: str = "") -> dict[str, Any]:
    choices = _right(question)
    if not right:
        choices = [next(o["id"] for o in question["options"] if o["id"] not in choices)]
    return {
        "question_id": question["id"],
        "key": question["key"],
        "client_key": client_key or f"page-{question['id']}",
        "choices": choices,
        "seconds": 12.5,
    }


def test_a_whole_test_through_the_api() -> None:
    ps = proctored_session(1)
    client = Client()
    joined = _join(client, ps)
    assert joined["state"]["status"] == "not-arrived" and joined["state"]["question"] is None
    assert joined["state"]["status_label"] == "Non arrivé" and joined["state"]["remaining_seconds"] is None
    token = joined["token"]
    refused = _post(client, "start", token)
    assert refused.status_code == 409 and "autorisé" in refused.json()["detail"]
    _authorise(ps, joined["sitting"])
    state = _post(client, "start", token).json()
    assert state["status"] == "in-progress" and state["status_label"] == "En cours"
    assert state["remaining_seconds"] == pytest.approx(150 * 60, abs=3)
    assert state["number"] == 1 and state["total"] >= 4 and state["clock_running"]
    first = state["question"]
    assert first["key"] and first["options"] and "correct" not in str(first["options"])
    assert client.get(f"{API}/state", **_bearer(token)).json()["question"]["id"] == first["id"]
    answered = 0
    while state["question"] is not None:
        reply = _post(client, "answer", token, _answer_body(state["question"]))
        assert reply.status_code == 200, reply.content
        body = reply.json()
        assert body["acknowledged"] and not body["repeated"]
        answered += 1
        state = body["state"]
        assert state["answered"] == answered
        if state["question"] is not None:
            assert state["number"] == answered + 1
    assert state["status"] == "finished" and state["finish"] == "completed"
    assert state["finish_label"] == "Toutes les questions répondues"
    sitting = Sitting.objects.get(pk=joined["sitting"])
    assert sitting.outcome["answered"] == answered and sitting.outcome["level"] == "confirme"
    assert Question.objects.filter(run=sitting.run, answered_at__isnull=False).count() == answered
    assert set(Question.objects.filter(run=sitting.run).values_list("client_key", flat=True)) == {
        f"page-{q}" for q in Question.objects.filter(run=sitting.run).values_list("pk", flat=True)
    }
    # Nothing more once finished.
    late = _post(client, "answer", token, _answer_body(first))
    assert late.status_code == 200 and late.json()["repeated"]  # the same submission, already stored


def test_retries_store_one_answer_and_answer_the_same_next_question() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    body = _answer_body(state["question"])
    first = _post(client, "answer", token, body).json()
    again = _post(client, "answer", token, body).json()
    assert again["acknowledged"] and again["repeated"] and not first["repeated"]
    assert again["state"]["question"]["id"] == first["state"]["question"]["id"]
    assert again["state"]["answered"] == 1
    sitting = Sitting.objects.get(pk=state["sitting"])
    assert Question.objects.filter(run=sitting.run, answered_at__isnull=False).count() == 1
    # A retry with another answer does not change the stored one either.
    other = _post(
        client, "answer", token, {**body, "choices": _answer_body(state["question"], right=False)["choices"]}
    )
    assert other.status_code == 200 and other.json()["repeated"]
    assert Question.objects.get(pk=state["question"]["id"]).correct is True


def test_a_second_tab_takes_over_with_a_clear_message() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    again = _join(client, ps)  # the same candidate on another computer
    assert again["sitting"] == state["sitting"]
    assert again["state"]["question"]["id"] == state["question"]["id"]  # resumes at the same question
    for response in (
        client.get(f"{API}/state", **_bearer(token)),
        _post(client, "answer", token, _answer_body(state["question"])),
        _post(client, "heartbeat", token),
    ):
        assert response.status_code == 409
        assert "autre onglet" in response.json()["detail"]
    assert (
        _post(client, "answer", again["token"], _answer_body(again["state"]["question"])).status_code == 200
    )
    assert Sitting.objects.get(pk=state["sitting"]).events.filter(kind="takeover").exists()


def test_a_resume_keeps_the_question_and_the_remaining_time() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    Sitting.objects.filter(pk=state["sitting"]).update(
        running_since=timezone.now() - timedelta(minutes=10), last_seen_at=timezone.now()
    )
    resumed = Client().get(f"{API}/state", **_bearer(token)).json()
    assert resumed["question"]["id"] == state["question"]["id"]
    assert resumed["question"]["key"] == state["question"]["key"]
    assert resumed["remaining_seconds"] == pytest.approx(140 * 60, abs=3)


def test_bad_tokens_are_401_with_a_message() -> None:
    ps = proctored_session(1)
    client = Client()
    joined = _join(client, ps)
    sitting_id = joined["sitting"]
    forged = signing.dumps({"s": sitting_id, "t": "x"}, salt="another-salt")
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Basic abc"},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "Bearer not-a-token"},
        {"HTTP_AUTHORIZATION": f"Bearer {forged}"},
        {"HTTP_AUTHORIZATION": f"Bearer {signing.dumps([1, 2], salt=SALT)}"},
        {"HTTP_AUTHORIZATION": f"Bearer {token_for(999999, 'x')}"},
    ):
        response = client.get(f"{API}/state", **headers)
        assert response.status_code == 401, (headers, response.content)
        assert "token" in response.json()["detail"]
    # A token whose tab is not the sitting's current one: another tab took over.
    response = client.get(f"{API}/state", **_bearer(token_for(sitting_id, "stale-tab")))
    assert response.status_code == 409


def test_joining_refuses_a_wrong_identity_and_a_closed_session() -> None:
    ps = proctored_session(1)
    candidate = ps.enrolments[0].candidate
    client = Client()
    for code, name, born in (
        ("WRONGCODE", candidate.birth_name, candidate.birth_date.isoformat()),
        (ps.delivery.access_code, "Quelqu'un", candidate.birth_date.isoformat()),
        (ps.delivery.access_code, candidate.birth_name, "1901-01-01"),
    ):
        response = client.post(
            f"{API}/join",
            {"access_code": code, "name": name, "birth_date": born},
            content_type="application/json",
        )
        assert response.status_code == 403 and "incorrect" in response.json()["detail"]
    bad_date = client.post(
        f"{API}/join",
        {"access_code": "X", "name": "Y", "birth_date": "31/02/1980"},
        content_type="application/json",
    )
    assert bad_date.status_code == 422
    console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    closed = client.post(
        f"{API}/join",
        {
            "access_code": ps.delivery.access_code,
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.isoformat(),
        },
        content_type="application/json",
    )
    assert closed.status_code == 409 and "close" in closed.json()["detail"]


def test_bad_answers_are_4xx_and_change_nothing() -> None:
    ps = proctored_session(2)
    client = Client()
    token, state = _started(client, ps)
    other_token, other_state = _started(client, ps, 1)
    question = state["question"]
    good = _answer_body(question)
    cases = [
        ({**good, "key": "stale"}, 409),
        ({**good, "key": ""}, 409),
        ({**good, "question_id": other_state["question"]["id"], "key": other_state["question"]["key"]}, 404),
        ({**good, "question_id": 10**12}, 404),
        ({**good, "question_id": 2**70}, 404),  # beyond 64 bits: no such question
        ({**good, "choices": ["zz"]}, 422),
        ({**good, "choices": [], "texts": []}, 422),
        ({**good, "choices": [], "texts": ["du texte"]}, 422),
        ({"key": question["key"]}, 422),
        ({**good, "seconds": "soon"}, 422),
    ]
    for body, status in cases:
        response = _post(client, "answer", token, body)
        assert response.status_code == status, (body, response.content)
        assert response.json()["detail"]
    unreadable = client.post(f"{API}/answer", "{not json", content_type="application/json", **_bearer(token))
    assert unreadable.status_code in (400, 422)
    assert not Question.objects.filter(answered_at__isnull=False).exists()
    assert _post(client, "answer", other_token, _answer_body(other_state["question"])).status_code == 200


def test_paused_blocked_and_time_up_are_409_with_a_message() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    sitting_id = state["sitting"]
    body = _answer_body(state["question"])
    console.pause(delivery=ps.delivery, sitting_id=sitting_id, who=ps.invigilator)
    paused = _post(client, "answer", token, body)
    assert paused.status_code == 409 and "pause" in paused.json()["detail"]
    assert client.get(f"{API}/state", **_bearer(token)).json()["clock_running"] is False
    console.resume(delivery=ps.delivery, sitting_id=sitting_id, who=ps.invigilator)
    problem = _post(client, "report-problem", token, {"message": "L'image ne s'affiche pas"})
    assert problem.status_code == 200 and problem.json()["state"]["blocked"]
    assert problem.json()["status_label"] == "En attente"
    blocked = _post(client, "answer", token, body)
    assert blocked.status_code == 409 and "signalement" in blocked.json()["detail"]
    assert _post(client, "heartbeat", token).json()["blocked"] is True
    alert = Sitting.objects.get(pk=sitting_id).alerts.get()
    console.handle_alert(delivery=ps.delivery, alert_id=alert.pk, validate=False, who=ps.invigilator)
    state = client.get(f"{API}/state", **_bearer(token)).json()
    assert not state["blocked"]
    Sitting.objects.filter(pk=sitting_id).update(
        running_since=timezone.now() - timedelta(hours=3), last_seen_at=timezone.now()
    )
    late = _post(client, "answer", token, _answer_body(state["question"]))
    assert late.status_code == 409 and "temps est écoulé" in late.json()["detail"].lower()
    after = client.get(f"{API}/state", **_bearer(token)).json()
    assert after["status"] == "finished" and after["finish"] == "time-up" and after["question"] is None
    assert after["remaining_seconds"] == 0
    assert _post(client, "abandon", token).status_code == 409


def test_a_validated_problem_serves_another_question_and_the_count_follows() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    state = _post(client, "answer", token, _answer_body(state["question"])).json()["state"]
    assert (state["number"], state["answered"]) == (2, 1)
    reported = state["question"]
    assert _post(client, "report-problem", token, {"message": "Deux réponses justes"}).status_code == 200
    alert = Sitting.objects.get(pk=state["sitting"]).alerts.get()
    console.handle_alert(delivery=ps.delivery, alert_id=alert.pk, validate=True, who=ps.invigilator)
    after = client.get(f"{API}/state", **_bearer(token)).json()
    assert after["question"]["id"] != reported["id"] and not after["blocked"]
    # The excluded question counts as passed: the replacement is the third one shown.
    assert (after["number"], after["answered"]) == (3, 2)
    stale = _post(client, "answer", token, _answer_body(reported))
    assert stale.status_code == 200 and stale.json()["repeated"]  # already closed: nothing stored
    assert Question.objects.get(pk=reported["id"]).response is None


def test_abandon_and_heartbeat() -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    beat = _post(client, "heartbeat", token).json()
    assert beat["status"] == "in-progress" and beat["remaining_seconds"] > 0
    stopped = _post(client, "abandon", token).json()
    assert stopped["status"] == "finished" and stopped["finish"] == "abandoned"
    assert stopped["question"] is None
    refused = _post(client, "answer", token, _answer_body(state["question"]))
    assert refused.status_code == 409


def test_an_answer_costs_few_queries(django_assert_max_num_queries: Any) -> None:
    ps = proctored_session(1)
    client = Client()
    token, state = _started(client, ps)
    for _ in range(2):  # warm the bank cache and the service pulse
        state = _post(client, "answer", token, _answer_body(state["question"])).json()["state"]
    body = _answer_body(state["question"])
    # Measured: 17, four of them the savepoints of the service's nested transactions (docs/testing.md).
    with django_assert_max_num_queries(17):
        reply = _post(client, "answer", token, body)
    assert reply.status_code == 200
    with django_assert_max_num_queries(8):  # a retry: nothing written, the same next question
        assert _post(client, "answer", token, body).json()["repeated"]


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    bodies=st.lists(
        st.fixed_dictionaries(
            {
                "which": st.sampled_from(["current", "previous", "random"]),
                "key": st.sampled_from(["served", "stale", ""]),
                "choices": st.lists(st.sampled_from(["a", "b", "c", "zz", ""]), max_size=3),
                "texts": st.lists(st.text(max_size=5), max_size=2),
                "skip": st.booleans(),
                "seconds": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
            }
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_sequence_of_answers_is_4xx_or_stored_once(bodies: list[dict[str, Any]]) -> None:
    """Property: whatever a client sends, the answer is a 200 or a 4xx with a message; each question
    holds at most one answer, and every acknowledged question is stored."""
    from django.db import transaction

    with transaction.atomic():
        ps = proctored_session(1)
        client = Client()
        token, state = _started(client, ps)
        served: list[dict[str, Any]] = [state["question"]]
        acknowledged: set[int] = set()
        for body in bodies:
            current = served[-1]
            target = {"current": current, "previous": served[0], "random": {"id": 4242, "key": "k"}}[
                body["which"]
            ]
            key = {"served": target["key"], "stale": "stale", "": ""}[body["key"]]
            response = _post(
                client,
                "answer",
                token,
                {
                    "question_id": target["id"],
                    "key": key,
                    "choices": body["choices"],
                    "texts": body["texts"],
                    "skip": body["skip"],
                    "seconds": body["seconds"],
                },
            )
            assert response.status_code in (200, 404, 409, 422), response.content
            if response.status_code == 200:
                acknowledged.add(target["id"])
                following = response.json()["state"]["question"]
                if following is not None and following["id"] != current["id"]:
                    served.append(following)
            else:
                assert response.json()["detail"]
        sitting = Sitting.objects.get(pk=state["sitting"])
        stored = set(
            Question.objects.filter(run=sitting.run, answered_at__isnull=False).values_list("pk", flat=True)
        )
        assert acknowledged == stored
        transaction.set_rollback(True)
