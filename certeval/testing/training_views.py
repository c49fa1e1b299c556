"""Training pages, under ``tests-en-ligne/entrainement/`` (certeval/urls.py): the home page (competences
with their counts, « à revoir aujourd'hui », progress chart and table), a session's question, the feedback
after each answer, the session's summary. Only people with a candidate record get in (anyone else
signed in gets 404, anonymous visitors are sent to sign in); a session of another person answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing import training_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import Question, Run
from certeval.testing.question_forms import QuestionForm
from certeval.testing.training_feedback import feedback_of
from certeval.testing.training_services import (
    nothing_left_message,
    own_run,
    training_answer,
    training_finish,
    training_next,
    training_start,
)

CHART_WIDTH = 24  # width of one week's bar in the progress chart (SVG units)
CHART_HEIGHT = 80


def _trainee(request: AuthenticatedHttpRequest) -> selectors.Trainee:
    return selectors.trainee_or_404(request.user)


def _run(request: AuthenticatedHttpRequest, run_id: int) -> Run:
    try:
        return own_run(request.user, run_id)
    except TestingError as error:
        raise Http404("No such training session.") from error


def _online_tests_url() -> str:
    try:
        return reverse("runs:home")
    except NoReverseMatch:
        return ""


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [(_("Tests en ligne"), _online_tests_url())] if _online_tests_url() else []
    return [*crumbs, (_("Entraînement"), reverse("training:home")), *more]


def _title(trainee: selectors.Trainee, run: Run) -> str:
    part = str(run.settings.get("part", ""))
    row = selectors.competence_row(trainee, part, run.competence)
    label = dict(selectors.Part.choices).get(part, part)
    if row is not None and row.title:
        return _("%(part)s %(competence)s — %(title)s") % {
            "part": label,
            "competence": run.competence,
            "title": row.title,
        }
    return f"{label} {run.competence}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _chart(rows: list[selectors.Progress]) -> list[dict[str, Any]]:
    """The geometry of each competence's weekly bars (SVG), with the text of each bar."""
    charts = []
    for row in rows:
        bars = []
        for index, week in enumerate(row.weeks):
            share = week.share
            height = 0 if share is None else max(2, round(share * CHART_HEIGHT))
            label = (
                _("Semaine du %(day)s : aucune réponse") % {"day": f"{week.start:%d/%m}"}
                if share is None
                else _("Semaine du %(day)s : %(percent)s de réponses justes (%(right)s sur %(answered)s)")
                % {
                    "day": f"{week.start:%d/%m}",
                    "percent": _percent(share),
                    "right": week.right,
                    "answered": week.answered,
                }
            )
            bars.append(
                {
                    "x": 40 + index * (CHART_WIDTH + 8),
                    "y": 10 + CHART_HEIGHT - height,
                    "height": height,
                    "width": CHART_WIDTH,
                    "label": label,
                    "day": f"{week.start:%d/%m}",
                    "empty": share is None,
                }
            )
        charts.append(
            {
                "row": row,
                "part_label": dict(selectors.Part.choices).get(row.part, row.part),
                "bars": bars,
                "width": 40 + len(row.weeks) * (CHART_WIDTH + 8),
                "retrievability": _percent(row.retrievability),
                "share": _percent(row.right / row.answered if row.answered else None),
            }
        )
    return charts


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = _trainee(request)
    now = timezone.now()
    groups = selectors.competences_with_counts(trainee, now)
    titles = selectors.competence_titles(trainee)
    due = selectors.due_cards(trainee, until=selectors.end_of_day(now), now=now)
    due_groups: dict[tuple[str, str], dict[str, Any]] = {}
    for card in due:
        key = (card.item.part, card.item.competence)
        group = due_groups.setdefault(
            key,
            {
                "part": key[0],
                "competence": key[1],
                "part_label": dict(selectors.Part.choices).get(key[0], key[0]),
                "title": titles.get(key, ""),
                "cards": [],
                "ready": 0,
            },
        )
        group["cards"].append(card)
        group["ready"] += int(card.ready)
    progress = selectors.progress(trainee, now)
    return render(
        request,
        "testing/training/home.html",
        {
            "trainee": trainee,
            "groups": groups,
            "due_groups": list(due_groups.values()),
            "due_count": len(due),
            "charts": _chart(progress),
            "weeks": progress[0].weeks if progress else [],
            "chart_height": CHART_HEIGHT,
            "per_session": selectors.training_settings()["questions_per_session"],
            "crumbs": _crumbs(),
        },
    )


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, part: str, competence: str) -> HttpResponse:
    _trainee(request)
    try:
        run = training_start(request.user, part=part, competence=competence)
    except TestingError as error:
        messages.error(request, str(error))
        return redirect("training:home")
    return redirect("training:session", run.pk)


def _question_page(
    request: AuthenticatedHttpRequest,
    trainee: selectors.Trainee,
    run: Run,
    question: Question,
    form: QuestionForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    version = question.item_version
    limit = int(run.settings.get("questions_per_session") or 0)
    return render(
        request,
        "testing/training/question.html",
        {
            "run": run,
            "title": _title(trainee, run),
            "question": question,
            "form": form,
            "error": error,
            "heading": _("Question %(n)s sur %(total)s de la séance")
            % {"n": question.position, "total": limit}
            if limit
            else _("Question %(n)s") % {"n": question.position},
            "action": reverse("training:answer", args=[run.pk, question.position]),
            "key": question.idempotency_key,
            "text_size": trainee.text_size,
            "image_url": reverse("item_files:image", args=[version.pk]) if version.image else "",
            "attachment_url": reverse("item_files:attachment", args=[version.pk])
            if version.attachment
            else "",
            "allow_skip": True,
            "submit_label": _("Valider ma réponse"),
            "crumbs": _crumbs((_title(trainee, run), "")),
        },
        status=status,
    )


@login_required
def session(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    """The session's current question (served now if needed), or its summary once it is over."""
    trainee = _trainee(request)
    run = _run(request, run_id)
    question = training_next(request.user, run.pk)
    if question is None:
        return redirect("training:summary", run.pk)
    run.refresh_from_db()
    form = QuestionForm(question.item_version.content(), prefix="q")
    return _question_page(request, trainee, run, question, form)


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, run_id: int, position: int) -> HttpResponse:
    trainee = _trainee(request)
    run = _run(request, run_id)
    question = run.questions.select_related("item_version__item").filter(position=position).first()
    if question is None:
        raise Http404("No such question.")
    form = QuestionForm(question.item_version.content(), request.POST, prefix="q")
    if not form.is_valid():
        return _question_page(request, trainee, run, question, form)
    try:
        training_answer(request.user, run.pk, position, form.response(), key=request.POST.get("key", ""))
    except TestingError as error:
        current = run.questions.filter(answered_at__isnull=True).order_by("position").first()
        if current is None or current.pk != question.pk:
            messages.error(request, str(error))
            return redirect("training:session", run.pk)
        return _question_page(request, trainee, run, question, form, error=str(error))
    return redirect("training:feedback", run.pk, position)


@login_required
def feedback(request: AuthenticatedHttpRequest, run_id: int, position: int) -> HttpResponse:
    trainee = _trainee(request)
    run = _run(request, run_id)
    question = run.questions.select_related("item_version__item", "run").filter(position=position).first()
    if question is None:
        raise Http404("No such question.")
    if question.answered_at is None:
        return redirect("training:session", run.pk)
    return render(
        request,
        "testing/training/feedback.html",
        {
            "run": run,
            "title": _title(trainee, run),
            "feedback": feedback_of(question),
            "text_size": trainee.text_size,
            "over": run.status != Run.Status.IN_PROGRESS,
            "crumbs": _crumbs(
                (_title(trainee, run), reverse("training:session", args=[run.pk])), (_("Correction"), "")
            ),
        },
    )


@login_required
def summary(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    trainee = _trainee(request)
    run = _run(request, run_id)
    result = selectors.session_summary(trainee, run)
    part = str(run.settings.get("part", ""))
    ends = {
        "complete": _("Vous avez répondu aux %(n)s questions de la séance.") % {"n": result.answered},
        "exhausted": nothing_left_message(trainee, part, run.competence),
        "stopped": _("Vous avez terminé la séance."),
    }
    return render(
        request,
        "testing/training/summary.html",
        {
            "run": run,
            "title": _title(trainee, run),
            "summary": result,
            "end_message": ends.get(result.end, ""),
            "share": _percent(result.right / result.answered if result.answered else None),
            "in_progress": run.status == Run.Status.IN_PROGRESS,
            "crumbs": _crumbs((_title(trainee, run), ""), (_("Bilan de la séance"), "")),
        },
    )


@login_required
@require_POST
def finish(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    _trainee(request)
    run = _run(request, run_id)
    training_finish(request.user, run.pk)
    return redirect("training:summary", run.pk)
