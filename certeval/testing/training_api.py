"""Training through the API, with the pages' rules: only a person with a candidate record trains (anyone
else gets 404), and only on their own sessions (another person's session: 404). The question is sent
without its answers; the answer returns the feedback (right answers, explanation, resources, next replay).
Errors: 404 unknown competence or session, 409 nothing left to answer or a stale key (another question
is on screen), 422 an empty answer (send ``skip: true`` to pass) or one that does not fit the question."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing import training_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import Question, Run
from certeval.testing.models.items import Part
from certeval.testing.online_api import QuestionContentOut, fitting_response, question_content
from certeval.testing.training_feedback import feedback_of
from certeval.testing.training_services import (
    own_run,
    training_answer,
    training_finish,
    training_next,
    training_start,
)

router = Router(tags=["training"])


class TrainingCompetenceOut(Schema):
    part: str
    part_label: str
    domain: str
    domain_title: str
    competence: str
    title: str
    available: int
    new: int
    trained: int
    due: int
    session: int | None


class StartIn(Schema):
    part: str
    competence: str


class TrainingSessionOut(Schema):
    id: int
    part: str
    competence: str
    status: str
    status_label: str
    end: str
    answered: int
    right: int
    questions_per_session: int
    url: str


class TrainingQuestionOut(QuestionContentOut):
    position: int


class CurrentOut(Schema):
    session: TrainingSessionOut
    question: TrainingQuestionOut | None


class TrainingAnswerIn(Schema):
    key: str
    choices: list[str] = []
    texts: list[str] = []
    skip: bool = False


class ResourceOut(Schema):
    label: str
    url: str


class FeedbackOut(Schema):
    position: int
    correct: bool
    passed: bool
    given: list[str]
    expected: list[str]
    explanation: str
    resources: list[ResourceOut]
    next_due: datetime | None
    session: TrainingSessionOut


class DueOut(Schema):
    part: str
    competence: str
    title: str
    item: str
    stem: str
    due: datetime
    ready: bool
    last_correct: bool


class WeekOut(Schema):
    start: date
    answered: int
    right: int
    share: float | None


class ProgressOut(Schema):
    part: str
    competence: str
    title: str
    answered: int
    right: int
    retrievability: float | None
    cards: int
    weeks: list[WeekOut]


def _trainee(request: AuthenticatedHttpRequest) -> selectors.Trainee:
    return selectors.trainee_or_404(request.user)


def _run(request: AuthenticatedHttpRequest, run_id: int) -> Run:
    _trainee(request)
    try:
        return own_run(request.user, run_id)
    except TestingError as error:
        raise Http404("No such training session.") from error


def _session(run: Run) -> dict[str, Any]:
    answered = run.questions.filter(answered_at__isnull=False)
    return {
        "id": run.pk,
        "part": run.settings.get("part", ""),
        "competence": run.competence,
        "status": run.status,
        "status_label": run.get_status_display(),
        "end": (run.outcome or {}).get("end", ""),
        "answered": answered.count(),
        "right": answered.filter(correct=True).count(),
        "questions_per_session": int(run.settings.get("questions_per_session") or 0),
        "url": reverse("training:session", args=[run.pk]),
    }


def _question(run: Run, question: Question) -> dict[str, Any]:
    return {"position": question.position, **question_content(question)}


@router.get(
    "/training/competences",
    response=list[TrainingCompetenceOut],
    summary="The competences a candidate trains on, with items available, new, trained and due",
)
def competences(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    trainee = _trainee(request)
    labels = dict(Part.choices)
    return [
        {
            "part": group.part,
            "part_label": str(labels.get(group.part, group.part)),
            "domain": domain.id,
            "domain_title": domain.title,
            "competence": row.competence,
            "title": row.title,
            "available": row.available,
            "new": row.new,
            "trained": row.trained,
            "due": row.due,
            "session": row.in_progress.pk if row.in_progress is not None else None,
        }
        for group in selectors.competences_with_counts(trainee)
        for domain in group.domains
        for row in domain.competences
    ]


@router.post(
    "/training/sessions",
    response=TrainingSessionOut,
    summary="Start a training session on a competence, or resume the one in progress",
)
def start(request: AuthenticatedHttpRequest, payload: StartIn) -> dict[str, Any]:
    trainee = _trainee(request)
    if selectors.competence_row(trainee, payload.part, payload.competence) is None:
        raise HttpError(404, "Cette compétence n'existe pas dans votre certification.")
    try:
        run = training_start(request.user, part=payload.part, competence=payload.competence)
    except TestingError as error:
        raise HttpError(409, str(error)) from error
    return _session(run)


@router.get("/training/sessions/{run_id}", response=TrainingSessionOut, summary="A training session")
def session(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    return _session(_run(request, run_id))


@router.get(
    "/training/sessions/{run_id}/question",
    response=CurrentOut,
    summary="The session's current question, served now if needed, without its answers (null once over)",
)
def current_question(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    run = _run(request, run_id)
    question = training_next(request.user, run.pk)
    run.refresh_from_db()
    return {"session": _session(run), "question": _question(run, question) if question is not None else None}


@router.post(
    "/training/sessions/{run_id}/questions/{position}/answer",
    response=FeedbackOut,
    summary="Answer a question (the served key); returns the feedback. The same key again returns it unchanged",
)
def answer(
    request: AuthenticatedHttpRequest, run_id: int, position: int, payload: TrainingAnswerIn
) -> dict[str, Any]:
    run = _run(request, run_id)
    question = run.questions.select_related("item_version").filter(position=position).first()
    if question is None:
        raise Http404("No such question.")
    response = fitting_response(
        question.item_version.content(),
        skip=payload.skip,
        choices=payload.choices,
        texts=payload.texts,
        empty="Empty answer: choose an option or type an answer, or send skip: true.",
    )
    try:
        stored = training_answer(request.user, run.pk, position, response, key=payload.key)
    except TestingError as error:
        raise HttpError(409, str(error)) from error
    run.refresh_from_db()
    feedback = feedback_of(stored)
    return {
        "position": stored.position,
        "correct": feedback.correct,
        "passed": feedback.passed,
        "given": feedback.given,
        "expected": feedback.expected,
        "explanation": feedback.explanation,
        "resources": [{"label": r.label, "url": r.url} for r in feedback.resources],
        "next_due": feedback.next_due,
        "session": _session(run),
    }


@router.post(
    "/training/sessions/{run_id}/finish", response=TrainingSessionOut, summary="End a training session"
)
def finish(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    run = _run(request, run_id)
    return _session(training_finish(request.user, run.pk))


@router.get(
    "/training/due",
    response=list[DueOut],
    summary="The candidate's questions to review today (« à revoir aujourd'hui »), earliest first",
)
def due(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    trainee = _trainee(request)
    now = timezone.now()
    titles = selectors.competence_titles(trainee)
    return [
        {
            "part": card.item.part,
            "competence": card.item.competence,
            "title": titles.get((card.item.part, card.item.competence), ""),
            "item": card.item.code,
            "stem": card.card.item.current.stem if card.card.item.current else "",
            "due": card.card.due,
            "ready": card.ready,
            "last_correct": card.card.last_correct,
        }
        for card in selectors.due_cards(trainee, until=selectors.end_of_day(now), now=now)
    ]


@router.get(
    "/training/progress",
    response=list[ProgressOut],
    summary="Progress per competence: right answers per week and the mean FSRS retrievability",
)
def progress(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    trainee = _trainee(request)
    return [
        {
            "part": row.part,
            "competence": row.competence,
            "title": row.title,
            "answered": row.answered,
            "right": row.right,
            "retrievability": row.retrievability,
            "cards": row.cards,
            "weeks": [
                {"start": w.start, "answered": w.answered, "right": w.right, "share": w.share}
                for w in row.weeks
            ],
        }
        for row in selectors.progress(trainee)
    ]
