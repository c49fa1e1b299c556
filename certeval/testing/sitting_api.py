"""A candidate's proctored test through the API (docs/testing.md, « Proctored sessions », « Candidate API »).

``POST /sitting/join`` with the session's access code and the candidate's identity answers a token: a
signed value (``django.core.signing``, its own salt) holding the sitting and the tab that
``sitting_services.claim_tab`` gave this client. Every other call sends it as
``Authorization: Bearer <token>``; joining again (another tab or computer) takes the test over, and the
previous token then gets 409 with a clear message.

Answering: send the served question's ``id`` and ``key`` (from ``question`` in the state), a key of your
own per displayed question (``client_key``) and the choices or texts. The answer is committed before
the next question is sent (one transaction, ``sitting_services.answer``); the same submission again (a
retry after a network error or a server restart) stores nothing more and answers with the same next
question. Every refusal is a 4xx with a message: 401 for a missing, forged or expired token, 404 for a
question that is not in the test, 409 for the test's state (another tab took over, not authorised yet,
paused, blocked by a reported problem, time up, a stale key), 422 for an answer that does not fit the
question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.core import signing
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from certeval.core.api_schemas import ErrorOut
from certeval.testing import sitting_services as services
from certeval.testing.errors import TestingError
from certeval.testing.models import LiveAlert, Question, SessionDelivery, Sitting
from certeval.testing.online_api import QuestionContentOut, fitting_response, question_content, response_of

SALT = "certeval.testing.sitting-api"
# A token outlives the longest test (2 h 30, extra time, set-up, a pause): a day, then join again.
TOKEN_MAX_AGE_SECONDS = 24 * 3600
EXPIRED = "Invalid or expired token: join the session again."

router = Router(tags=["proctored test (candidate)"])


@dataclass(frozen=True)
class SittingClaim:
    sitting_id: int
    tab: str


def token_for(sitting_id: int, tab: str) -> str:
    return signing.dumps({"s": sitting_id, "t": tab}, salt=SALT)


def claim_of(token: str) -> SittingClaim | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    sitting_id, tab = data.get("s"), data.get("t")
    if not isinstance(sitting_id, int) or not isinstance(tab, str) or not tab:
        return None
    return SittingClaim(sitting_id, tab)


class SittingToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``/sitting/join``; a missing, forged or expired token is
    401 with a message that says what to do."""

    def __call__(self, request: HttpRequest) -> SittingClaim | None:
        value = request.headers.get(self.header) or ""
        scheme, _space, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise HttpError(401, "Missing token: send 'Authorization: Bearer <token>' (from /sitting/join).")
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> SittingClaim | None:
        claim = claim_of(token)
        if claim is None:
            raise HttpError(401, EXPIRED)
        return claim


bearer = SittingToken()


# --- schemas ---------------------------------------------------------------------------------------


class JoinIn(Schema):
    access_code: str
    name: str
    birth_date: date


class SittingQuestionOut(QuestionContentOut):
    id: int
    number: int


class StateOut(Schema):
    sitting: int
    status: str
    status_label: str
    finish: str
    finish_label: str
    remaining_seconds: float | None
    allowed_seconds: int
    clock_running: bool
    blocked: bool
    number: int | None
    total: int | None
    answered: int
    question: SittingQuestionOut | None


class JoinOut(Schema):
    token: str
    sitting: int
    state: StateOut


class AnswerIn(Schema):
    question_id: int
    key: str
    client_key: str = ""
    choices: list[str] = []
    texts: list[str] = []
    skip: bool = False
    seconds: float | None = None


class AnswerOut(Schema):
    acknowledged: bool
    question_id: int
    repeated: bool
    state: StateOut


class ProblemIn(Schema):
    message: str = ""


class ProblemOut(Schema):
    alert: int
    status: str
    status_label: str
    state: StateOut


class HeartbeatOut(Schema):
    status: str
    status_label: str
    remaining_seconds: float | None
    clock_running: bool
    blocked: bool


# --- reading the state ------------------------------------------------------------------------------


def _sitting(claim: SittingClaim) -> Sitting:
    sitting = Sitting.objects.select_related("run").filter(pk=claim.sitting_id).first()
    if sitting is None:
        raise HttpError(401, EXPIRED)
    return sitting


def _blocked(sitting: Sitting) -> bool:
    return LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).exists()


def _question_out(question: Question, number: int) -> dict[str, Any]:
    content = question_content(question)
    version = question.item_version
    content["image_url"] = (
        reverse("api:sitting_question_file", args=[question.pk, "image"]) if version.image else None
    )
    content["attachment_url"] = (
        reverse("api:sitting_question_file", args=[question.pk, "attachment"]) if version.attachment else None
    )
    return {"id": question.pk, "number": number, **content}


def _remaining(sitting: Sitting) -> float | None:
    """The server's remaining time, or None before the test started (its duration is set then)."""
    if sitting.started_at is None:
        return None
    return round(max(services.remaining_seconds(sitting), 0.0), 1)


def state_of(sitting: Sitting, *, blocked: bool) -> dict[str, Any]:
    """What the candidate's page shows: the state, the server's remaining time, question k of N and the
    current question (its content and served key, never its answers)."""
    run = sitting.run
    number = total = None
    answered = 0
    question = None
    if run is not None:
        # A question is served once the previous one is answered (or excluded, which counts as
        # answered): only the last one may wait for its answer, and its position tells the progress.
        last = Question.objects.select_related("item_version").filter(run=run).order_by("-position").first()
        total = int(run.settings.get("max_items", 0))
        if last is not None:
            waiting = last.answered_at is None
            answered = last.position - 1 if waiting else last.position
            if waiting and sitting.status in services.OPEN:
                number, total = last.position, max(total, last.position)
                question = _question_out(last, number)
    return {
        "sitting": sitting.pk,
        "status": sitting.status,
        "status_label": sitting.get_status_display(),
        "finish": sitting.finish,
        "finish_label": sitting.get_finish_display() if sitting.finish else "",
        "remaining_seconds": _remaining(sitting),
        "allowed_seconds": sitting.allowed_seconds + sitting.added_seconds,
        "clock_running": sitting.running_since is not None,
        "blocked": blocked,
        "number": number,
        "total": total,
        "answered": answered,
        "question": question,
    }


def _call[T](action: Callable[[], T]) -> T:
    """Run a service: its refusal (another tab took over, or the test's state forbids it) is 409 with
    its message; a token whose sitting no longer exists is 401."""
    try:
        return action()
    except Sitting.DoesNotExist as error:
        raise HttpError(401, EXPIRED) from error
    except TestingError as error:
        raise HttpError(409, str(error)) from error


def _claim(request: HttpRequest) -> SittingClaim:
    """What the bearer token holds (``SittingToken`` set it on the request)."""
    claim: SittingClaim = request.auth  # type: ignore[attr-defined]
    return claim


def _act(request: HttpRequest, service: Callable[..., Sitting]) -> Sitting:
    """One of the candidate's writes on their sitting, with the tab their token holds."""
    claim = _claim(request)
    return _call(lambda: service(sitting_id=claim.sitting_id, tab=claim.tab))


# --- endpoints --------------------------------------------------------------------------------------


@router.post(
    "/sitting/join",
    auth=None,
    response={200: JoinOut, 403: ErrorOut, 409: ErrorOut},
    summary="Join a proctored session: access code, name and birth date; answers the token",
)
def join(request: HttpRequest, payload: JoinIn) -> dict[str, Any]:
    try:
        sitting = services.join(
            access_code=payload.access_code, name=payload.name, birth_date=payload.birth_date
        )
    except TestingError as error:
        closed = SessionDelivery.objects.filter(
            access_code=services.normalise_code(payload.access_code), finalised_at__isnull=False
        ).exists()
        raise HttpError(409 if closed else 403, str(error)) from error
    tab = services.claim_tab(sitting.pk)
    sitting = _sitting(SittingClaim(sitting.pk, tab))
    return {
        "token": token_for(sitting.pk, tab),
        "sitting": sitting.pk,
        "state": state_of(sitting, blocked=False),
    }


@router.get(
    "/sitting/state",
    auth=bearer,
    response={200: StateOut, 409: ErrorOut},
    summary="The test's state, the remaining time and the current question (resume here after a reload)",
)
def state(request: HttpRequest) -> dict[str, Any]:
    sitting = _act(request, services.heartbeat)  # reading the state is a contact
    return state_of(sitting, blocked=_blocked(sitting))


@router.post(
    "/sitting/start",
    auth=bearer,
    response={200: StateOut},
    summary="Start the test once the invigilator authorised it (or resume the test in progress)",
)
def start(request: HttpRequest) -> dict[str, Any]:
    sitting = _act(request, services.start)
    return state_of(sitting, blocked=_blocked(sitting))


@router.post(
    "/sitting/answer",
    auth=bearer,
    response={200: AnswerOut},
    summary="Answer the current question (its id and key); the answer is stored before the next question",
)
def answer(request: HttpRequest, payload: AnswerIn) -> dict[str, Any]:
    claim = _claim(request)
    question = (
        Question.objects.select_related("item_version")
        .filter(pk=payload.question_id, run__sitting__pk=claim.sitting_id)
        .first()
    )
    if question is None:
        raise HttpError(404, "No such question in your test: get the state and answer its current question.")
    if not payload.key or payload.key != question.idempotency_key:
        raise HttpError(409, "Stale or unknown key: get the state and send its current question's key.")
    repeated = question.answered_at is not None
    content = question.item_version.content()
    # A retry of a stored answer is acknowledged whatever it holds: it changes nothing.
    response = (response_of if repeated else fitting_response)(
        content,
        skip=payload.skip,
        choices=payload.choices,
        texts=payload.texts,
        empty="Empty answer: give choices or texts, or send skip=true to pass the question.",
    )
    sitting = _call(
        lambda: services.answer(
            sitting_id=claim.sitting_id,
            question=question,
            response=response,
            idempotency_key=payload.key,
            client_key=payload.client_key,
            tab=claim.tab,
            seconds=payload.seconds,
        )
    )
    return {
        "acknowledged": True,
        "question_id": question.pk,
        "repeated": repeated,
        "state": state_of(sitting, blocked=_blocked(sitting) if repeated else False),
    }


@router.post(
    "/sitting/heartbeat",
    auth=bearer,
    response={200: HeartbeatOut},
    summary="Tell the server the page is still open; answers the state and the remaining time",
)
def heartbeat(request: HttpRequest) -> dict[str, Any]:
    sitting = _act(request, services.heartbeat)
    return {
        "status": sitting.status,
        "status_label": sitting.get_status_display(),
        "remaining_seconds": _remaining(sitting),
        "clock_running": sitting.running_since is not None,
        "blocked": _blocked(sitting),
    }


@router.post(
    "/sitting/report-problem",
    auth=bearer,
    response={200: ProblemOut},
    summary="« Signaler un problème »: a live alert to the invigilator; the clock stops until it is handled",
)
def report_problem(request: HttpRequest, payload: ProblemIn) -> dict[str, Any]:
    claim = _claim(request)
    alert = _call(
        lambda: services.report_problem(sitting_id=claim.sitting_id, tab=claim.tab, message=payload.message)
    )
    sitting = _sitting(claim)
    return {
        "alert": alert.pk,
        "status": alert.status,
        "status_label": alert.get_status_display(),
        "state": state_of(sitting, blocked=alert.status == LiveAlert.Status.PENDING),
    }


@router.post(
    "/sitting/abandon",
    auth=bearer,
    response={200: StateOut},
    summary="Stop the test before the end of time (what was answered counts, per the campaign's rule)",
)
def abandon(request: HttpRequest) -> dict[str, Any]:
    return state_of(_act(request, services.abandon), blocked=False)


@router.get(
    "/sitting/questions/{question_id}/{which}",
    auth=bearer,
    url_name="sitting_question_file",
    summary="The image or the attached file of a question of the test (which: image or attachment)",
)
def question_file(request: HttpRequest, question_id: int, which: str) -> FileResponse:
    claim = _claim(request)
    question = (
        Question.objects.select_related("item_version")
        .filter(pk=question_id, run__sitting__pk=claim.sitting_id)
        .first()
    )
    stored: FieldFile | None = None
    if question is not None and which in ("image", "attachment"):
        stored = getattr(question.item_version, which)
    if stored is None or not stored.name:
        raise HttpError(404, "No such file.")
    name = PurePosixPath(stored.name).name
    response = FileResponse(stored.open("rb"), as_attachment=which == "attachment", filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    if name.lower().endswith(".svg"):
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
