"""The placement run through the API, for the run's own candidate (anyone else gets the same 404 as for
an absent run): the placement runs the person may take, start or resume one, the current question
(its content without the answers), answer it, the result; and the person's settings.

Answering: send the served question's key (``key`` in the current question) as the
``Idempotency-Key`` header or the ``key`` field. The same key again (a retry after a network error)
stores nothing more and answers with the run's current state; a key that is not the current
question's is refused (409), as is an answer to a finished run. An empty answer needs
``"skip": true`` (the question is then passed, and scored wrong).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Header, Router, Schema
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing import run_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import Question, Run
from certeval.testing.models.items import Accommodation
from certeval.testing.online_api import QuestionContentOut, question_content, response_of
from certeval.testing.run_services import placement_answer, placement_resume, placement_start, profile_update

router = Router(tags=["placement run"])


class OfferOut(Schema):
    bank: str
    title: str
    enrolment: int | None
    campaign: str
    run_in_progress: int | None
    last_finished: int | None


class QuestionOut(QuestionContentOut):
    position: int
    number: int


class RunOut(Schema):
    id: int
    bank: str
    status: str
    status_label: str
    answered: int
    max_questions: int
    adaptive_stop: bool
    started_at: datetime
    finished_at: datetime | None
    question: QuestionOut | None
    result_url: str | None


class PlacementCompetenceOut(Schema):
    part: str
    part_label: str
    competence: str
    title: str
    answered: int
    correct: int
    level: str
    level_label: str
    acquired: bool


class PlacementResultOut(Schema):
    id: int
    proposed_level: str
    proposed_level_label: str
    answered: int
    finished_at: datetime | None
    probabilities: dict[str, float]
    reasons: list[str]
    competences: list[PlacementCompetenceOut]


class PlacementAnswerIn(Schema):
    key: str = ""
    choices: list[str] = []
    texts: list[str] = []
    skip: bool = False
    seconds: float | None = None


class PreferencesIn(Schema):
    text_size: str | None = None
    needs: list[str] | None = None


class PreferencesOut(Schema):
    text_size: str
    text_size_label: str
    needs: list[str]
    needs_labels: list[str]


def _question_out(run: Run, question: Question, number: int) -> dict[str, Any]:
    return {"position": question.position, "number": number, **question_content(question)}


def _run_out(request: AuthenticatedHttpRequest, run: Run) -> dict[str, Any]:
    current = placement_resume(actor=request.user, run=run)
    run.refresh_from_db()
    questions = selectors.questions_of(run)
    progress = selectors.progress_of(run, questions)
    return {
        "id": run.pk,
        "bank": run.bank,
        "status": run.status,
        "status_label": run.get_status_display(),
        "answered": progress.answered,
        "max_questions": progress.total,
        "adaptive_stop": progress.adaptive,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "question": None if current is None else _question_out(run, current, progress.number),
        "result_url": reverse("api:placement_result", args=[run.pk])
        if run.status == Run.Status.FINISHED
        else None,
    }


@router.get("/placement", response=list[OfferOut], summary="The placement runs the person may take")
def offers(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    candidate = selectors.candidate_or_404(request.user)
    return [
        {
            "bank": o.bank,
            "title": o.title,
            "enrolment": o.enrolment.pk if o.enrolment is not None else None,
            "campaign": o.campaign.title,
            "run_in_progress": o.current.pk if o.current else None,
            "last_finished": o.finished.pk if o.finished else None,
        }
        for o in selectors.placement_offers(candidate)
    ]


@router.post(
    "/placement/{bank}/runs",
    response=RunOut,
    summary="Start a placement run, or resume the one in progress (its current question)",
)
def start_run(request: AuthenticatedHttpRequest, bank: str) -> dict[str, Any]:
    candidate = selectors.candidate_or_404(request.user)
    selectors.offer_or_404(candidate, bank)
    try:
        run = placement_start(actor=request.user, bank=bank)
    except TestingError as error:
        raise HttpError(409, str(error)) from error
    return _run_out(request, run)


@router.get(
    "/placement/runs/{run_id}",
    response=RunOut,
    summary="A placement run and its current question (the content, never the answers)",
)
def get_run(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    return _run_out(request, selectors.own_run_or_404(request.user, run_id))


@router.post(
    "/placement/runs/{run_id}/answers",
    response=RunOut,
    summary="Answer the current question (Idempotency-Key header or key field: the question's key)",
)
def answer(
    request: AuthenticatedHttpRequest,
    run_id: int,
    payload: PlacementAnswerIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> dict[str, Any]:
    run = selectors.own_run_or_404(request.user, run_id)
    key = (idempotency_key or payload.key)[:64]
    question = (
        Question.objects.filter(run=run, idempotency_key=key).select_related("item_version__item").first()
        if key
        else None
    )
    if question is None:
        raise HttpError(409, "Stale or unknown key: get the run's current question and send its key.")
    if question.answered_at is not None:
        return _run_out(request, run)  # a retry: the answer is already stored
    response = response_of(
        question.item_version.content(),
        skip=payload.skip,
        choices=payload.choices,
        texts=payload.texts,
        empty="Empty answer: give choices or texts, or send skip=true to pass the question.",
    )
    try:
        placement_answer(
            actor=request.user,
            run=run,
            question=question,
            response=response,
            idempotency_key=key,
            seconds=payload.seconds,
        )
    except TestingError as error:
        run.refresh_from_db()
        status = 409 if run.status != Run.Status.IN_PROGRESS else 422
        raise HttpError(status, str(error)) from error
    return _run_out(request, run)


@router.get(
    "/placement/runs/{run_id}/result",
    response=PlacementResultOut,
    url_name="placement_result",
    summary="The result of a finished placement run: proposed level, reasons, competences",
)
def result(request: AuthenticatedHttpRequest, run_id: int) -> dict[str, Any]:
    run = selectors.own_run_or_404(request.user, run_id)
    if run.status != Run.Status.FINISHED:
        raise HttpError(409, "The placement run is not finished.")
    outcome = run.outcome or {}
    rows = outcome.get("competences", [])
    titles = selectors.competence_titles(run.campaign, sorted({r["part"] for r in rows}))
    parts = dict(selectors.part_choices())
    return {
        "id": run.pk,
        "proposed_level": run.proposed_level,
        "proposed_level_label": selectors.level_label(run.campaign, run.proposed_level),
        "answered": outcome.get("answered", 0),
        "finished_at": run.finished_at,
        "probabilities": outcome.get("probabilities") or {},
        "reasons": outcome.get("reasons", []),
        "competences": [
            {
                "part": r["part"],
                "part_label": parts.get(r["part"], r["part"]),
                "competence": r["competence"],
                "title": titles.get(r["part"], {}).get(r["competence"], ""),
                "answered": r["answered"],
                "correct": r["correct"],
                "level": r["level"],
                "level_label": selectors.level_label(run.campaign, r["level"]),
                "acquired": r["acquired"],
            }
            for r in rows
        ],
    }


def _preferences_out(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    profile = selectors.profile_of(selectors.candidate_or_404(request.user))
    labels = dict(Accommodation.choices)
    return {
        "text_size": profile.text_size,
        "text_size_label": profile.get_text_size_display(),
        "needs": list(profile.needs),
        "needs_labels": [str(labels.get(n, n)) for n in profile.needs],
    }


@router.get("/online-tests/preferences", response=PreferencesOut, summary="The person's text size and needs")
def get_preferences(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    return _preferences_out(request)


@router.put(
    "/online-tests/preferences",
    response=PreferencesOut,
    summary="Change the text size (normal, large, larger) and accessibility needs",
)
def put_preferences(request: AuthenticatedHttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    selectors.candidate_or_404(request.user)
    try:
        profile_update(actor=request.user, needs=payload.needs, text_size=payload.text_size)
    except TestingError as error:
        raise HttpError(422, str(error)) from error
    return _preferences_out(request)
