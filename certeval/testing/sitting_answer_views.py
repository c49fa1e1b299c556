"""The writes of a candidate's test in progress (``epreuve/passage/…``, docs/testing.md, « Proctored
sessions »): the answer, the heartbeat, leaving the page, « Signaler un problème », the messages with
the invigilator, « Terminer mon épreuve », and the question's image or file.

Nothing is lost: each displayed question carries its served key (idempotency) and a key the page
generated (``client_key``); a repeated submission stores one answer and goes on. A stale page, a tab
that another one took over, a paused or blocked test or the end of time each get their page with a
clear French message — never an error page.
"""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from certeval.testing import sitting_selectors as selectors
from certeval.testing import sitting_services as services
from certeval.testing.errors import TakeoverError, TestingError
from certeval.testing.file_views import file_response
from certeval.testing.models import Sitting
from certeval.testing.question_forms import QuestionForm
from certeval.testing.sitting_views import (
    MessageForm,
    abandonment_voids,
    act,
    go,
    htmx,
    page_context,
    page_url,
    remaining_of,
    render_question,
    takeover_url,
    with_sitting,
)

STALE = gettext_lazy(
    "Cette page n'était plus à jour : la question affichée avait changé. Voici la question en cours."
)


def _tab(request: HttpRequest) -> str:
    return str(request.POST.get("tab") or request.GET.get("onglet") or "")


def _elsewhere(sitting: Sitting, tab: str) -> bool:
    """Another tab (or computer) holds the test."""
    return selectors.stage_of(sitting) != "ended" and tab != sitting.tab


def _to_stage(request: HttpRequest, sitting: Sitting, tab: str) -> HttpResponse:
    """The page of the sitting's stage: with htmx, the next question in place of the answered one."""
    if selectors.stage_of(sitting) == "ended":
        return go(request, reverse("sitting:end"))
    if selectors.stage_of(sitting) == "question" and htmx(request):
        return render_question(request, sitting, tab)
    return go(request, page_url(tab))


def _reloaded(sitting: Sitting) -> Sitting:
    found = selectors.sitting_of_id(sitting.pk)
    assert found is not None
    return found


@require_POST
@with_sitting
def answer(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    tab = _tab(request)
    key = str(request.POST.get("key", ""))[:64]
    if _elsewhere(sitting, tab):
        return go(request, takeover_url(lost_answer=True))
    question = selectors.question_with_key(sitting, key)
    if question is not None and question.answered_at is not None:
        # A double submission or a retry: the answer is stored once; go on.
        return _to_stage(request, sitting, tab)
    if selectors.stage_of(sitting) != "question":
        return _to_stage(request, sitting, tab)
    if question is None:
        return render_question(request, sitting, tab, notice=str(STALE))
    form = QuestionForm(question.item_version.content(), request.POST)
    if not form.is_valid():
        return render_question(request, sitting, tab, question=question, form=form)
    try:
        services.answer(
            sitting_id=sitting.pk,
            question=question,
            response=form.response(),
            idempotency_key=key,
            client_key=str(request.POST.get("client_key", ""))[:64],
            tab=tab,
            seconds=(timezone.now() - question.served_at).total_seconds(),
        )
    except TakeoverError:
        return go(request, takeover_url(lost_answer=True))
    except TestingError as error:
        # A contact commits what the refusal found (a test whose time is up is closed).
        try:
            sitting = services.heartbeat(sitting_id=sitting.pk, tab=tab)
        except TakeoverError:
            return go(request, takeover_url(lost_answer=True))
        if selectors.stage_of(sitting) == "question":
            form.add_error(None, str(error))
            return render_question(request, sitting, tab, question=question, form=form)
        messages.error(request, str(error))
        return _to_stage(request, sitting, tab)
    return _to_stage(request, _reloaded(sitting), tab)


@require_POST
@with_sitting
def heartbeat(request: HttpRequest, sitting: Sitting) -> JsonResponse:
    """Every 20 seconds from the test page: the remaining time by the server's clock and where the page
    should be (``url``) when it is no longer the question."""
    tab = _tab(request)
    try:
        sitting = services.heartbeat(sitting_id=sitting.pk, tab=tab)
    except TakeoverError as error:
        return JsonResponse({"state": "takeover", "url": takeover_url(), "message": str(error)}, status=409)
    stage = selectors.stage_of(sitting)
    url = reverse("sitting:end") if stage == "ended" else page_url(tab)
    return JsonResponse({"state": stage, "remaining": remaining_of(sitting), "url": url})


@require_POST
@with_sitting
def page_event(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """The candidate left the page or came back: recorded, never a sanction."""
    # A page closing late, after its sitting was removed, has nothing left to record.
    with contextlib.suppress(Sitting.DoesNotExist):
        services.page_event(sitting_id=sitting.pk, tab=_tab(request), left=request.POST.get("left") == "1")
    return HttpResponse(status=204)


class ReportForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Décrivez le problème (facultatif)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Par exemple : l'image ne s'affiche pas, deux propositions semblent justes, l'énoncé est coupé."
        ),
        error_messages={
            "max_length": gettext_lazy("Le message tient en %(limit_value)d caractères au plus.")
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_http_methods(["GET", "POST"])
@with_sitting
def report(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """« Signaler un problème »: a live alert to the invigilator; the time stops until it is handled."""
    tab = _tab(request)
    if _elsewhere(sitting, tab):
        return go(request, takeover_url())
    if selectors.stage_of(sitting) != "question":
        return _to_stage(request, sitting, tab)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        message = form.cleaned_data["message"]
        return act(
            request,
            tab,
            lambda: services.report_problem(sitting_id=sitting.pk, tab=tab, message=message),
            page_url(tab),
        )
    context = page_context(request, sitting, tab)
    context.update({"form": form, "position": selectors.position_of(sitting)})
    return render(request, "testing/sitting/report.html", context)


@require_http_methods(["GET", "POST"])
@with_sitting
def sitting_messages(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """The message panel (remote sessions): read the invigilator's replies (polled), write to them."""
    tab = _tab(request)
    error = ""
    if request.method == "POST":
        form = MessageForm(request.POST)
        try:
            if not form.is_valid():
                raise TestingError(" ".join(str(e) for e in form.errors.get("text", [])))
            services.send_message(sitting_id=sitting.pk, tab=tab, text=form.cleaned_data["text"])
        except TakeoverError:
            return go(request, takeover_url())
        except TestingError as refused:
            error = str(refused)
        if not htmx(request):
            if error:
                messages.error(request, error)
            else:
                messages.success(request, _("Votre message est envoyé au surveillant."))
            return redirect(
                page_url(tab) if selectors.stage_of(sitting) != "ended" else reverse("sitting:end")
            )
    elif not htmx(request):
        return redirect("sitting:page")
    found = selectors.messages_of(sitting)
    shown = request.GET.get("n", "")
    if request.method == "GET" and shown == str(len(found)):
        return HttpResponse(status=204)
    announce = ""
    if request.method == "GET" and shown.isdigit():
        replies = [m for m in found[int(shown) :] if not m.from_candidate]
        if replies:
            announce = _("Nouveau message du surveillant : %(text)s") % {"text": replies[-1].text}
    return render(
        request,
        "testing/sitting/_messages_list.html",
        {"sitting_messages": found, "tab": tab, "message_error": error, "announce": announce},
    )


@require_http_methods(["GET", "POST"])
@with_sitting
def abandon(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """« Terminer mon épreuve »: a confirmation (unanswered questions will not count), then the end."""
    tab = _tab(request)
    if selectors.stage_of(sitting) == "ended":
        return redirect("sitting:end")
    if sitting.status not in selectors.OPEN:
        return redirect("sitting:page")
    if _elsewhere(sitting, tab):
        return go(request, takeover_url())
    if request.method == "POST":
        return act(
            request, tab, lambda: services.abandon(sitting_id=sitting.pk, tab=tab), reverse("sitting:end")
        )
    context = page_context(request, sitting, tab)
    context.update(
        {
            "answered": selectors.answers_recorded(sitting),
            "position": selectors.position_of(sitting),
            "remaining_label": selectors.seconds_label(remaining_of(sitting)),
            "voids": abandonment_voids(sitting),
        }
    )
    return render(request, "testing/sitting/abandon.html", context)


@require_http_methods(["GET"])
@with_sitting
def question_file(request: HttpRequest, sitting: Sitting, position: int, which: str) -> FileResponse:
    """The image or attached file of a question of this sitting, while the test is open."""
    question = selectors.question_at(sitting, position) if sitting.status in selectors.OPEN else None
    if question is None:
        raise Http404("No such file.")
    return file_response(question.item_version, which)
