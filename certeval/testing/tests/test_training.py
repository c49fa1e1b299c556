"""Training: sessions per competence, FSRS replays, feedback, what is served and what is never counted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.domain.items.content import Response
from certeval.testing import training_selectors as selectors
from certeval.testing.calibration_selectors import calibration_answers, respondents_per_item, response_matrix
from certeval.testing.errors import TestingError
from certeval.testing.models import Question, ReviewCard, Run
from certeval.testing.models import TestProfile as Preferences
from certeval.testing.tests.training_factories import BANK, RIGHT, WRONG, learner, make_item
from certeval.testing.training_services import (
    training_answer,
    training_finish,
    training_next,
    training_start,
)

pytestmark = pytest.mark.django_db

HOME = "/tests-en-ligne/entrainement/"
API = "/api/v1/testing/training"


def answer(user, run: Run, choice: str = RIGHT, *, now=None) -> Question:  # type: ignore[no-untyped-def]
    question = training_next(user, run.pk, now=now)
    assert question is not None
    return training_answer(
        user, run.pk, question.position, Response(frozenset({choice})), key=question.idempotency_key
    )


def served_codes(user, part: str = "crcn-edu", competence: str = "1.1") -> list[str]:  # type: ignore[no-untyped-def]
    """Answer every question of sessions on the competence until nothing is left."""
    codes = []
    while True:
        try:
            run = training_start(user, part=part, competence=competence)
        except TestingError:
            return codes
        question = training_next(user, run.pk)
        if question is None:
            continue
        codes.append(question.item_version.item.code)
        training_answer(
            user, run.pk, question.position, Response(frozenset({RIGHT})), key=question.idempotency_key
        )


# --- replays -----------------------------------------------------------------------------------------


def test_a_replay_comes_back_once_due_and_not_before() -> None:
    user = learner().candidate.user
    make_item("seul")
    run = training_start(user, part="crcn-edu", competence="1.1")
    stored = answer(user, run, WRONG)
    assert training_next(user, run.pk) is None  # the only item was answered: the session ends
    run.refresh_from_db()
    assert run.status == Run.Status.FINISHED and run.outcome["end"] == "exhausted"
    card = ReviewCard.objects.get(item=stored.item_version.item)
    assert card.reviews == 1 and card.last_correct is False
    with pytest.raises(TestingError, match="Prochaine révision"):
        training_start(user, part="crcn-edu", competence="1.1", now=card.due - timedelta(seconds=1))
    later = card.due + timedelta(seconds=1)
    replay_run = training_start(user, part="crcn-edu", competence="1.1", now=later)
    replay = training_next(user, replay_run.pk, now=later)
    assert replay is not None and replay.item_version.item.code == "seul"
    assert replay.scored is False
    training_answer(
        user, replay_run.pk, replay.position, Response(frozenset({RIGHT})), key=replay.idempotency_key
    )
    card.refresh_from_db()
    assert card.reviews == 2 and card.last_correct is True and card.due > later


def test_a_due_replay_comes_before_a_new_item() -> None:
    user = learner().candidate.user
    make_item("a-initie")
    make_item("b-confirme", level="confirme")
    make_item("c-confirme", level="confirme")
    run = training_start(user, part="crcn-edu", competence="1.1")
    first = answer(user, run, WRONG)
    assert first.item_version.item.code == "a-initie"  # the lowest level first
    training_finish(user, run.pk)
    due = ReviewCard.objects.get(item=first.item_version.item).due
    later = due + timedelta(seconds=1)
    again = training_start(user, part="crcn-edu", competence="1.1", now=later)
    question = training_next(user, again.pk, now=later)
    assert question is not None and question.item_version.item.code == "a-initie"


def test_a_wrong_answer_is_due_sooner_than_a_right_one_and_a_quick_right_one_later_still() -> None:
    user = learner().candidate.user
    for n in range(3):
        make_item(f"i{n}")
    run = training_start(user, part="crcn-edu", competence="1.1")
    wrong = answer(user, run, WRONG)
    # A right answer in more than half the expected time (60 s) is Good, quicker is Easy.
    slow = training_next(user, run.pk)
    assert slow is not None
    Question.objects.filter(pk=slow.pk).update(served_at=timezone.now() - timedelta(seconds=50))
    slow = training_answer(
        user, run.pk, slow.position, Response(frozenset({RIGHT})), key=slow.idempotency_key
    )
    quick = answer(user, run, RIGHT)
    due = {q.pk: ReviewCard.objects.get(item=q.item_version.item).due for q in (wrong, slow, quick)}
    assert due[wrong.pk] < due[slow.pk] < due[quick.pk]


def test_the_due_list_covers_every_competence_and_today_only() -> None:
    enrolment = learner()
    user = enrolment.candidate.user
    make_item("p1")
    make_item("q1", part="crcn", competence="3.4")
    for part, competence in (("crcn-edu", "1.1"), ("crcn", "3.4")):
        run = training_start(user, part=part, competence=competence)
        answer(user, run, WRONG)
    trainee = selectors.trainee_of(enrolment.candidate)
    now = timezone.now()
    due = selectors.due_cards(trainee, until=selectors.end_of_day(now), now=now)
    assert {d.item.code for d in due} == {"p1", "q1"}
    assert not selectors.due_cards(trainee, until=now - timedelta(days=1), now=now)
    page = Client()
    page.force_login(user)
    html = page.get(HOME).content.decode()
    assert "À revoir aujourd'hui" in html and "Énoncé de la question q1" in html
    assert {row["item"] for row in _api(user, "get", "/due").json()} == {"p1", "q1"}


# --- what is served ------------------------------------------------------------------------------------


def test_new_items_are_active_practice_items_of_the_competence_never_answered_elsewhere() -> None:
    enrolment = learner(school_level="premier")
    user = enrolment.candidate.user
    make_item("ok-both")
    make_item("ok-premier", audience="premier")
    make_item("no-second", audience="second")
    make_item("no-certification", usage="certification")
    make_item("no-pilot", status="pilot")
    make_item("no-retired", status="retired")
    make_item("no-draft", status="draft")
    make_item("no-other-competence", competence="1.2")
    make_item("no-crcn-part", part="crcn")
    seen = make_item("no-seen-in-placement")
    placement = Run.objects.create(
        candidate=enrolment.candidate, kind=Run.Kind.PLACEMENT, bank=BANK, bank_version=1
    )
    Question.objects.create(
        run=placement,
        position=1,
        item_version=seen.current,
        response={"choices": ["a"], "texts": []},
        correct=True,
        answered_at=timezone.now(),
    )
    assert sorted(served_codes(user)) == ["ok-both", "ok-premier"]
    counts = _api(user, "get", "/competences").json()
    row = next(r for r in counts if r["part"] == "crcn-edu" and r["competence"] == "1.1")
    assert (row["available"], row["new"], row["trained"]) == (3, 0, 2)  # the placement item is seen


def test_accessibility_needs_are_respected() -> None:
    enrolment = learner()
    Preferences.objects.create(candidate=enrolment.candidate, needs=["screen-reader", "motor"])
    make_item("ok", accessibility=("screen-reader", "motor", "colour-vision"))
    make_item("no-motor", accessibility=("screen-reader",))
    make_item("no-reader", accessibility=("motor", "colour-vision"))
    assert served_codes(enrolment.candidate.user) == ["ok"]


def test_one_session_in_progress_per_competence_resumes_at_the_same_question() -> None:
    user = learner().candidate.user
    make_item("x1")
    make_item("x2")
    run = training_start(user, part="crcn-edu", competence="1.1")
    shown = training_next(user, run.pk)
    assert training_start(user, part="crcn-edu", competence="1.1") == run
    assert training_next(user, run.pk) == shown
    assert Run.objects.filter(kind=Run.Kind.TRAINING).count() == 1


def test_a_session_ends_after_its_number_of_questions(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_TRAINING = {"questions_per_session": 2}
    user = learner().candidate.user
    for n in range(4):
        make_item(f"x{n}")
    run = training_start(user, part="crcn-edu", competence="1.1")
    answer(user, run)
    answer(user, run)
    run.refresh_from_db()
    assert run.status == Run.Status.FINISHED and run.outcome == {"end": "complete", "answered": 2, "right": 2}
    assert training_next(user, run.pk) is None
    assert AuditEvent.objects.filter(action="testing.training_finish").count() == 1


# --- never counted ---------------------------------------------------------------------------------------


def test_training_answers_are_unscored_and_left_out_of_calibration() -> None:
    enrolment = learner()
    user = enrolment.candidate.user
    item = make_item("x1")
    make_item("x2")
    run = training_start(user, part="crcn-edu", competence="1.1")
    answer(user, run)
    answer(user, run)
    training = Question.objects.filter(run__kind=Run.Kind.TRAINING)
    assert training.count() == 2 and not training.filter(scored=True).exists()
    assert not calibration_answers(BANK).exists()
    assert respondents_per_item(BANK) == {}
    assert response_matrix(BANK, minimum=1).respondents == 0
    # The same item answered in a placement run counts.
    placement = Run.objects.create(
        candidate=enrolment.candidate, kind=Run.Kind.PLACEMENT, bank=BANK, bank_version=1
    )
    Question.objects.create(
        run=placement, position=1, item_version=item.current, correct=True, answered_at=timezone.now()
    )
    assert list(calibration_answers(BANK)) == [placement.questions.get()]


def test_a_double_submission_stores_one_answer_and_schedules_once() -> None:
    user = learner().candidate.user
    make_item("x1")
    make_item("x2")
    run = training_start(user, part="crcn-edu", competence="1.1")
    question = training_next(user, run.pk)
    assert question is not None
    for _ in range(2):
        training_answer(
            user, run.pk, question.position, Response(frozenset({WRONG})), key=question.idempotency_key
        )
    # The page: the same form posted twice gives the same feedback.
    client = Client()
    client.force_login(user)
    url = f"{HOME}seance/{run.pk}/questions/{question.position}/"
    for _ in range(2):
        response = client.post(url, {"key": question.idempotency_key, "q-choice": RIGHT})
        assert response.status_code == 302 and response["Location"].endswith("/correction/")
    assert Question.objects.filter(run=run, answered_at__isnull=False).count() == 1
    question.refresh_from_db()
    assert question.correct is False  # the first answer stays
    assert ReviewCard.objects.get().reviews == 1
    assert AuditEvent.objects.filter(action="testing.answer").count() == 1


# --- pages -------------------------------------------------------------------------------------------------


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user, method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
    client = _client(user)
    if method == "get":
        return client.get(API + path)
    return client.post(API + path, body or {}, content_type="application/json")


def _question_form(html: str) -> tuple[str, str]:
    key = re.search(r'name="key" value="([^"]+)"', html)
    action = re.search(r'action="([^"]*/questions/\d+/)"', html)
    assert key and action
    return action.group(1), key.group(1)


def test_a_session_in_the_browser_feedback_then_summary() -> None:
    enrolment = learner()
    Preferences.objects.create(candidate=enrolment.candidate, text_size="larger")
    user = enrolment.candidate.user
    make_item("x1")
    client = _client(user)
    start = client.post(f"{HOME}competence/crcn-edu/1.1/")
    assert start.status_code == 302
    page = client.get(start["Location"])
    html = page.content.decode()
    assert "question--larger" in html and "Énoncé de la question x1" in html
    assert "Bonne réponse x1" in html  # an option's text, not marked right
    assert "Explication de la question x1" not in html
    action, key = _question_form(html)
    feedback = client.get(client.post(action, {"key": key, "q-choice": WRONG})["Location"])
    text = feedback.content.decode()
    assert 'role="status"' in text and "Mauvaise réponse." in text
    assert "Explication de la question x1." in text
    assert "Bonne réponse x1" in text and "Mauvaise réponse x1" in text  # the right one and the given one
    assert 'href="https://eduscol.education.fr/"' in text and "Ressource x1" in text
    assert "Voir le bilan de la séance" in text  # nothing left: the session is over
    summary = client.get(f"{HOME}seance/{Run.objects.get().pk}/bilan/").content.decode()
    assert "1 question répondue" in summary and "Vous avez répondu à toutes les questions" in summary


def test_a_short_answer_feedback_lists_the_accepted_answers() -> None:
    user = learner().candidate.user
    make_item("court", kind="short")
    run = training_start(user, part="crcn-edu", competence="1.1")
    question = training_next(user, run.pk)
    assert question is not None
    result = _api(
        user,
        "post",
        f"/sessions/{run.pk}/questions/{question.position}/answer",
        {"key": question.idempotency_key, "texts": ["cci"]},
    ).json()
    assert result["correct"] is True
    assert result["expected"] == ["Cci (autres réponses acceptées : copie cachée)"]
    assert result["explanation"] == "Explication de la question court."


def test_bad_input_gives_french_errors_and_no_server_error() -> None:
    user = learner().candidate.user
    make_item("x1")
    make_item("x2")
    client = _client(user)
    # Unknown competence.
    response = client.post(f"{HOME}competence/crcn-edu/9.9/", follow=True)
    assert "Cette compétence n&#x27;existe pas dans votre certification." in response.content.decode()
    assert _api(user, "post", "/sessions", {"part": "crcn-edu", "competence": "9.9"}).status_code == 404
    assert _api(user, "post", "/sessions", {"part": "inconnue", "competence": "1.1"}).status_code == 404
    run = training_start(user, part="crcn-edu", competence="1.1")
    action, key = _question_form(client.get(f"{HOME}seance/{run.pk}/").content.decode())
    # Empty answer.
    response = client.post(action, {"key": key})
    assert response.status_code == 200
    assert "Choisissez une proposition, ou passez la question." in response.content.decode()
    # An option that does not exist.
    response = client.post(action, {"key": key, "q-choice": "z"})
    assert "Cette proposition n&#x27;existe pas pour cette question." in response.content.decode()
    # A stale key.
    response = client.post(action, {"key": "ancienne", "q-choice": RIGHT})
    assert response.status_code == 200
    assert "Cette page n&#x27;est plus à jour" in response.content.decode()
    position = int(action.rstrip("/").rsplit("/", 1)[-1])
    url = f"/sessions/{run.pk}/questions/{position}/answer"
    assert _api(user, "post", url, {"key": key}).status_code == 422
    assert _api(user, "post", url, {"key": key, "choices": ["z"]}).status_code == 422
    assert _api(user, "post", url, {"key": key, "texts": ["x"]}).status_code == 422
    stale = _api(user, "post", url, {"key": "ancienne", "choices": [RIGHT]})
    assert stale.status_code == 409 and "plus à jour" in stale.json()["detail"]
    assert _api(user, "post", f"/sessions/{run.pk}/questions/99/answer", {"key": key}).status_code == 404
    assert client.get(f"{HOME}seance/{run.pk}/questions/99/correction/").status_code == 404
    assert not Question.objects.filter(answered_at__isnull=False).exists()
    # Passing the question is an answer (wrong), not an error.
    result = _api(user, "post", url, {"key": key, "skip": True}).json()
    assert result["correct"] is False and result["passed"] is True


def test_progress_per_week_and_retrievability() -> None:
    enrolment = learner()
    user = enrolment.candidate.user
    for n in range(3):
        make_item(f"x{n}")
    run = training_start(user, part="crcn-edu", competence="1.1")
    first = answer(user, run, WRONG)
    answer(user, run, RIGHT)
    answer(user, run, RIGHT)
    Question.objects.filter(pk=first.pk).update(answered_at=timezone.now() - timedelta(weeks=1))
    rows = selectors.progress(selectors.trainee_of(enrolment.candidate))
    assert len(rows) == 1
    row = rows[0]
    assert (row.answered, row.right, row.cards) == (3, 2, 3)
    assert [(w.answered, w.right) for w in row.weeks[-2:]] == [(1, 0), (2, 2)]
    assert row.retrievability is not None and 0 < row.retrievability <= 1
    html = _client(user).get(HOME).content.decode()
    assert "<svg" in html and 'role="img"' in html and "2/2" in html and "0/1" in html
    api = _api(user, "get", "/progress").json()
    assert api[0]["answered"] == 3 and api[0]["weeks"][-1] == {
        "start": row.weeks[-1].start.isoformat(),
        "answered": 2,
        "right": 2,
        "share": 1.0,
    }


def test_people_without_a_certification_with_an_automated_test_are_told_so() -> None:
    from certeval.testing.tests.factories import campaign_of, enrolment_in

    enrolment = enrolment_in(campaign_of("facilitateur-apprentissage"))
    html = _client(enrolment.candidate.user).get(HOME).content.decode()
    assert "l'entraînement n'est pas disponible" in html
    with pytest.raises(TestingError):
        training_start(enrolment.candidate.user, part="crcn-edu", competence="1.1")
