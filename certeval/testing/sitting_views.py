"""The candidate's pages of a proctored test (« épreuve surveillée »), under ``epreuve/``
(docs/testing.md, « Proctored sessions », « Candidate »).

A candidate joins on a shared room computer without signing in: the session's access code, their
birth (or usual) name and birth date. The browser's Django session then holds the sitting's id — never
a URL — and each page says which tab is the active one (its token, ``onglet`` in links and ``tab`` in
forms): a page opened without the active token takes the test over (``claim_tab``), and the other tab,
at its next answer, heartbeat or refresh, says so and offers « Reprendre ici ».

``passage/`` shows what the sitting needs: the welcome page (remote sessions) and the waiting room
before the start, the question, the « problem reported » page, the pause, or the end page. Pages that
wait poll ``passage/etat/`` every 3 seconds with htmx (204 while nothing changed). This module holds the
pages around the test; the answers, the heartbeat and the other writes of a test in progress are in
``sitting_answer_views``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from certeval.testing import sitting_engine
from certeval.testing import sitting_selectors as selectors
from certeval.testing import sitting_services as services
from certeval.testing.errors import TakeoverError, TestingError
from certeval.testing.models import CampaignDelivery, Question, Sitting
from certeval.testing.models.sessions import Abandonment
from certeval.testing.question_forms import QuestionForm

SittingView = Callable[..., HttpResponseBase]

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]


# --- shared pieces ----------------------------------------------------------------------------------


def htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; for an htmx request, a full-page one (the page changes, not a part of it)."""
    if htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def page_url(tab: str) -> str:
    return reverse("sitting:page") + "?" + urlencode({"onglet": tab})


def takeover_url(lost_answer: bool = False) -> str:
    url = reverse("sitting:takeover")
    return url + "?reponse=1" if lost_answer else url


def with_sitting(view: SittingView) -> SittingView:
    """The view receives the sitting this browser joined; without one, back to « Rejoindre une
    épreuve » (another candidate's sitting can never be named: no URL carries its id)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        sitting = selectors.sitting_of(request.session)
        if sitting is None:
            return go(request, reverse("sitting:join"))
        return view(request, sitting, *args, **kwargs)

    return wrapper


class MessageForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Votre message au surveillant"),
        required=False,
        max_length=1000,
        error_messages={
            "max_length": gettext_lazy("Le message tient en %(limit_value)d caractères au plus.")
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def act(request: HttpRequest, tab: str, write: Callable[[], object], done: str) -> HttpResponse:
    """Run one of the candidate's writes, then go to ``done``: the takeover page when another tab holds
    the test, the sitting's page with the French refusal when the service refuses."""
    try:
        write()
    except TakeoverError:
        return go(request, takeover_url())
    except TestingError as error:
        messages.error(request, str(error))
        return go(request, page_url(tab))
    return go(request, done)


def page_context(request: HttpRequest, sitting: Sitting, tab: str) -> dict[str, Any]:
    """What every page of a sitting shows: who, which session, the message panel (remote)."""
    remote = selectors.is_remote(sitting)
    context: dict[str, Any] = {
        "sitting": sitting,
        "tab": tab,
        "candidate": sitting.enrolment.candidate,
        "campaign": sitting.enrolment.campaign,
        "place": sitting.session.session,
        "remote": remote,
    }
    if remote:
        context["sitting_messages"] = selectors.messages_of(sitting)
        context["message_form"] = MessageForm(auto_id="sitting-message-%s")
    return context


def remaining_of(sitting: Sitting) -> float:
    return max(round(services.remaining_seconds(sitting), 1), 0.0)


# --- joining -----------------------------------------------------------------------------------------


class JoinForm(forms.Form):
    access_code = forms.CharField(
        label=gettext_lazy("Code d'accès de la session"),
        max_length=40,
        help_text=gettext_lazy("Le code donné par le surveillant ou sur votre convocation."),
        error_messages={"required": gettext_lazy("Indiquez le code d'accès de la session.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    name = forms.CharField(
        label=gettext_lazy("Nom de naissance ou nom d'usage"),
        max_length=150,
        error_messages={"required": gettext_lazy("Indiquez votre nom de naissance ou votre nom d'usage.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date de naissance"),
        input_formats=DATE_FORMATS,
        help_text=gettext_lazy("Au format JJ/MM/AAAA, par exemple 14/07/1990."),
        error_messages={
            "required": gettext_lazy("Indiquez votre date de naissance."),
            "invalid": gettext_lazy("Écrivez la date au format JJ/MM/AAAA, par exemple 14/07/1990."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


def _attempts_key(request: HttpRequest) -> str:
    return "sitting-join:" + str(request.META.get("REMOTE_ADDR", ""))


def _join_limits() -> tuple[int, int]:
    config = sitting_engine.delivery_settings()
    return int(config["join_attempts"]), int(config["join_window_seconds"])


def _too_many_attempts(request: HttpRequest) -> bool:
    limit, _window = _join_limits()
    return int(cache.get(_attempts_key(request), 0)) >= limit


def _count_refusal(request: HttpRequest) -> None:
    _limit, window = _join_limits()
    key = _attempts_key(request)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=window)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """« Rejoindre une épreuve »: public (shared room computers); refused attempts are limited per
    client address, since a name and a birth date are weak secrets."""
    form = JoinForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _too_many_attempts(request):
            _limit, window = _join_limits()
            form.add_error(
                None,
                _(
                    "Trop de tentatives refusées depuis ce poste : attendez %(minutes)s minutes avant de "
                    "réessayer, ou appelez le surveillant."
                )
                % {"minutes": max(round(window / 60), 1)},
            )
            status = 429
        elif form.is_valid():
            try:
                sitting = services.join(
                    access_code=form.cleaned_data["access_code"],
                    name=form.cleaned_data["name"],
                    birth_date=form.cleaned_data["birth_date"],
                )
            except TestingError as error:
                _count_refusal(request)
                form.add_error(None, str(error))
            else:
                request.session.cycle_key()
                request.session[selectors.SESSION_KEY] = sitting.pk
                request.session.pop(selectors.WELCOME_KEY, None)
                return redirect(page_url(services.claim_tab(sitting.pk)))
    return render(
        request,
        "testing/sitting/join.html",
        {
            "form": form,
            "current": selectors.sitting_of(request.session),
            "crumbs": [(_("Rejoindre une épreuve"), "")],
        },
        status=status,
    )


@require_POST
@with_sitting
def leave(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """« Quitter ce poste »: this browser forgets the sitting (the next candidate can join)."""
    request.session.pop(selectors.SESSION_KEY, None)
    request.session.pop(selectors.WELCOME_KEY, None)
    messages.success(request, _("Vous avez quitté l'épreuve sur ce poste."))
    return redirect("sitting:join")


# --- the sitting's page --------------------------------------------------------------------------------


@require_http_methods(["GET"])
@with_sitting
def page(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """What the sitting needs now. A page opened without the active tab's token takes the test over."""
    stage = selectors.stage_of(sitting)
    if stage == "ended":
        return redirect("sitting:end")
    if stage == "waiting" and selectors.is_remote(sitting) and not request.session.get(selectors.WELCOME_KEY):
        return redirect("sitting:welcome")
    tab = str(request.GET.get("onglet", ""))
    if not tab or tab != sitting.tab:
        return redirect(page_url(services.claim_tab(sitting.pk)))
    if stage == "question":
        # A contact: gives back time lost to an outage, closes the test when its time is up.
        try:
            sitting = services.heartbeat(sitting_id=sitting.pk, tab=tab)
        except TakeoverError:  # another tab took over meanwhile
            return redirect(takeover_url())
        stage = selectors.stage_of(sitting)
        if stage == "ended":
            return redirect("sitting:end")
    if stage == "question":
        return render_question(request, sitting, tab)
    context = page_context(request, sitting, tab)
    context["poll_state"] = selectors.poll_state(sitting)
    context["remaining_label"] = selectors.seconds_label(remaining_of(sitting))
    if stage == "waiting":
        context.update(_waiting_context(sitting))
        context["guide"] = selectors.guide_of(sitting)
        return render(request, "testing/sitting/waiting.html", context)
    if stage == "blocked":
        context["alert"] = selectors.pending_alert(sitting)
        return render(request, "testing/sitting/blocked.html", context)
    return render(request, "testing/sitting/paused.html", context)


def _waiting_context(sitting: Sitting) -> dict[str, Any]:
    return {
        "state_label": selectors.WAITING_LABELS.get(sitting.status, sitting.get_status_display()),
        "state_hint": selectors.WAITING_HINTS.get(sitting.status, ""),
        "authorised": sitting.status == Sitting.Status.AUTHORISED,
    }


def render_question(
    request: HttpRequest,
    sitting: Sitting,
    tab: str,
    *,
    question: Question | None = None,
    form: QuestionForm | None = None,
    notice: str = "",
) -> HttpResponse:
    """The test page: the current question (or ``question`` with its ``form`` in error), the time left
    from the server's clock, « Signaler un problème », the messages (remote), « Terminer mon épreuve »."""
    current = question or services.current_question(sitting)
    if current is None:
        # Nothing to show although the test is open (should not happen): wait for the invigilator.
        context = page_context(request, sitting, tab)
        context.update({"poll_state": "question", "no_question": True})
        context["remaining_label"] = selectors.seconds_label(remaining_of(sitting))
        return render(request, "testing/sitting/paused.html", context)
    form = form or QuestionForm(current.item_version.content())
    position = selectors.position_of(sitting)
    profile = selectors.profile_of_sitting(sitting)
    version = current.item_version
    files = (
        reverse("sitting:image", args=[current.position]),
        reverse("sitting:attachment", args=[current.position]),
    )
    context = page_context(request, sitting, tab)
    remaining = remaining_of(sitting)
    context.update(
        {
            "question": current,
            "form": form,
            "position": position,
            "heading": _("Question %(n)s sur %(total)s") % {"n": position.number, "total": position.total},
            "action": reverse("sitting:answer"),
            "key": current.idempotency_key,
            "hidden_fields": [("tab", tab), ("client_key", "")],
            "text_size": profile.text_size,
            "read_aloud": selectors.reads_aloud(sitting, profile),
            "image_url": files[0] if version.image else "",
            "attachment_url": files[1] if version.attachment else "",
            "allow_skip": True,
            "submit_label": _("Valider et continuer"),
            "remaining": remaining,
            "remaining_label": selectors.seconds_label(remaining),
            "notice": notice,
        }
    )
    return render(request, "testing/sitting/question.html", context)


@require_http_methods(["GET"])
@with_sitting
def poll(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """The waiting pages ask every 3 seconds whether something changed: 204 while nothing did; the
    waiting room's next step in place (announced); otherwise the page to go to."""
    if not htmx(request):
        return redirect("sitting:page")
    tab = str(request.GET.get("onglet", ""))
    shown = str(request.GET.get("etat", ""))
    stage = selectors.stage_of(sitting)
    if stage == "ended":
        return go(request, reverse("sitting:end"))
    if tab != sitting.tab:
        return go(request, takeover_url())
    state = selectors.poll_state(sitting)
    if state == shown:
        return HttpResponse(status=204)
    if stage == "waiting" and shown in selectors.WAITING:
        context = {"sitting": sitting, "tab": tab, "poll_state": state, "announce": True}
        context.update(_waiting_context(sitting))
        return render(request, "testing/sitting/_state.html", context)
    if shown == "blocked":
        alert = selectors.last_handled_alert(sitting)
        if alert is not None and alert.status == alert.Status.VALIDATED:
            messages.info(
                request,
                _(
                    "Le surveillant a validé votre signalement : la question a été remplacée et ne compte "
                    "pas. Votre temps reprend."
                ),
            )
        elif alert is not None:
            messages.info(
                request, _("Le surveillant a traité votre signalement : vous reprenez la même question.")
            )
    elif shown == "paused" and stage == "question":
        messages.info(request, _("Le surveillant a repris votre épreuve : votre temps reprend."))
    return go(request, page_url(tab))


@require_http_methods(["GET", "POST"])
@with_sitting
def welcome(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """Before a remote test: what to expect, how time works, how to report a problem, who to call."""
    if request.method == "POST":
        request.session[selectors.WELCOME_KEY] = True
        return redirect("sitting:page")
    context = page_context(request, sitting, "")
    context["guide"] = selectors.guide_of(sitting)
    context["stage"] = selectors.stage_of(sitting)
    return render(request, "testing/sitting/welcome.html", context)


@require_POST
@with_sitting
def start(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    tab = str(request.POST.get("tab", ""))
    return act(request, tab, lambda: services.start(sitting_id=sitting.pk, tab=tab), page_url(tab))


@require_http_methods(["GET"])
@with_sitting
def takeover(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """This tab is no longer the active one: say so, offer « Reprendre ici »."""
    if selectors.stage_of(sitting) == "ended":
        return redirect("sitting:end")
    context = page_context(request, sitting, "")
    context["lost_answer"] = request.GET.get("reponse") == "1"
    return render(request, "testing/sitting/takeover.html", context)


@require_POST
@with_sitting
def resume_here(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """« Reprendre ici »: this tab takes the test back."""
    return redirect(page_url(services.claim_tab(sitting.pk)))


@require_http_methods(["GET"])
@with_sitting
def end(request: HttpRequest, sitting: Sitting) -> HttpResponse:
    """« Épreuve terminée »: the answers recorded; the result comes once the session is finalised."""
    if selectors.stage_of(sitting) != "ended":
        return redirect("sitting:page")
    context = page_context(request, sitting, "")
    context.update(
        {
            "answered": selectors.answers_recorded(sitting),
            "absent": sitting.status == Sitting.Status.ABSENT,
            "finalised": sitting.session.finalised_at is not None,
            "recorded": sitting.session.results_recorded_at is not None,
            "crumbs": [(_("Épreuve terminée"), "")],
        }
    )
    return render(request, "testing/sitting/end.html", context)


def abandonment_voids(sitting: Sitting) -> bool:
    """Whether the campaign gives no result to a test stopped by its candidate."""
    delivery = CampaignDelivery.objects.filter(campaign_id=sitting.enrolment.campaign_id).first()
    return delivery is not None and delivery.abandonment == Abandonment.VOID
