"""The candidate's online tests (« Tests en ligne »): the home page (placement runs to start or resume,
results, training), the question page, the result page and the person's settings (text size,
accessibility needs). Only the run's own candidate opens a run: anyone else gets 404.

The question page works without JavaScript (the form posts, the server answers with a redirect to
the next question: post/redirect/get); with htmx, the same form is submitted in the background and
only the question area is replaced, then the focus moves to the new question's heading.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.domain.items.content import ACCOMMODATIONS
from certeval.testing import hooks
from certeval.testing import run_selectors as selectors
from certeval.testing.automated_section import automated_context
from certeval.testing.errors import TestingError
from certeval.testing.models import Question, Run, TestProfile
from certeval.testing.models.items import Accommodation
from certeval.testing.question_forms import QuestionForm
from certeval.testing.run_services import placement_answer, placement_resume, placement_start, profile_update


def training_url() -> str | None:
    """The training home page (``tests-en-ligne/entrainement/``), once the training pages exist."""
    url = reverse("runs:home") + "entrainement/"
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


class ProfileForm(forms.Form):
    text_size = forms.ChoiceField(
        label=gettext_lazy("Taille du texte des questions"),
        choices=TestProfile.TextSize.choices,
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Adaptations des questions"),
        choices=[(value, label) for value, label in Accommodation.choices if value in ACCOMMODATIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Vous ne recevrez que des questions compatibles avec les adaptations cochées "
            "(par exemple, sans information donnée seulement par la couleur)."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    candidate = selectors.candidate_or_404(request.user)
    offers = selectors.placement_offers(candidate)
    profile = selectors.profile_of(candidate)
    results = [
        {"run": run, "label": selectors.level_label(run.campaign, run.proposed_level)}
        for run in selectors.finished_runs(candidate)
    ]
    automated = [
        {
            **automated_context(request, enrolment),
            "title": _("Volet automatisé — %(campaign)s") % {"campaign": enrolment.campaign.title},
        }
        for enrolment in selectors.open_enrolments(candidate)
    ]
    return render(
        request,
        "testing/runs/home.html",
        {
            "automated": automated,
            "offers": offers,
            "results": results,
            "profile": profile,
            "needs_labels": [label for value, label in Accommodation.choices if value in profile.needs],
            "training_url": training_url(),
            "crumbs": [(_("Tests en ligne"), "")],
        },
    )


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, bank: str) -> HttpResponse:
    candidate = selectors.candidate_or_404(request.user)
    selectors.offer_or_404(candidate, bank)
    try:
        run = placement_start(actor=request.user, bank=bank)
    except TestingError as error:
        messages.error(request, str(error))
        return redirect("runs:home")
    if run.status == Run.Status.FINISHED:
        return redirect("runs:result", run.pk)
    return redirect("runs:question", run.pk)


def _question_context(
    request: AuthenticatedHttpRequest, run: Run, question: Question, form: QuestionForm
) -> dict[str, Any]:
    questions = selectors.questions_of(run)
    progress = selectors.progress_of(run, questions)
    profile = selectors.profile_of(run.candidate)
    version = question.item_version
    if progress.adaptive:
        heading = _("Question %(n)s sur %(total)s au plus") % {"n": progress.number, "total": progress.total}
    else:
        heading = _("Question %(n)s sur %(total)s") % {"n": progress.number, "total": progress.total}
    return {
        "run": run,
        "question": question,
        "form": form,
        "progress": progress,
        "heading": heading,
        "action": reverse("runs:question", args=[run.pk]),
        "key": question.idempotency_key,
        "text_size": profile.text_size,
        "profile": profile,
        "image_url": reverse("item_files:image", args=[version.pk]) if version.image else "",
        "attachment_url": reverse("item_files:attachment", args=[version.pk]) if version.attachment else "",
        "allow_skip": True,
        "submit_label": _("Valider et continuer"),
        "crumbs": [(_("Tests en ligne"), reverse("runs:home")), (_("Parcours bilan"), "")],
    }


def _render_question(
    request: AuthenticatedHttpRequest, run: Run, question: Question, form: QuestionForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "testing/runs/question.html", _question_context(request, run, question, form), status=status
    )


@login_required
def question(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    """GET: the question to answer (the same after a closed tab). POST: its answer."""
    run = selectors.own_run_or_404(request.user, run_id)
    if request.method == "POST":
        return _answer(request, run)
    current = placement_resume(actor=request.user, run=run)
    if current is None:
        return redirect("runs:result", run.pk)
    return _render_question(request, run, current, QuestionForm(current.item_version.content()))


def _htmx(request: AuthenticatedHttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _go_on(request: AuthenticatedHttpRequest, run: Run) -> HttpResponse:
    """After an answer: the next question, or the result once the run is over. With htmx the next
    question is rendered at once (its area replaces the old one); the result is a full page."""
    if run.status == Run.Status.FINISHED:
        url = reverse("runs:result", args=[run.pk])
        return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)
    if _htmx(request):
        current = placement_resume(actor=request.user, run=run)
        if current is not None:
            return _render_question(request, run, current, QuestionForm(current.item_version.content()))
    return redirect("runs:question", run.pk)


def _answer(request: AuthenticatedHttpRequest, run: Run) -> HttpResponse:
    key = str(request.POST.get("key", ""))[:64]
    answered = (
        Question.objects.filter(run=run, idempotency_key=key).select_related("item_version__item").first()
        if key
        else None
    )
    if answered is None:
        messages.error(
            request,
            _("Cette page n'est plus à jour : la question affichée a changé. Voici la question en cours."),
        )
        url = reverse("runs:question", args=[run.pk])
        return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)
    if answered.answered_at is not None:
        # A double submission or a retry: the answer is already stored, go on.
        return _go_on(request, run)
    if run.status != Run.Status.IN_PROGRESS:
        messages.error(request, _("Ce parcours est terminé : il ne reçoit plus de réponse."))
        return _go_on(request, run)
    form = QuestionForm(answered.item_version.content(), request.POST)
    if not form.is_valid():
        return _render_question(request, run, answered, form, status=200)
    seconds = (timezone.now() - answered.served_at).total_seconds()
    try:
        placement_answer(
            actor=request.user,
            run=run,
            question=answered,
            response=form.response(),
            idempotency_key=key,
            seconds=seconds,
        )
    except TestingError as error:
        form.add_error(None, str(error))
        return _render_question(request, run, answered, form, status=200)
    return _go_on(request, run)


@login_required
def result(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.own_run_or_404(request.user, run_id)
    if run.status != Run.Status.FINISHED:
        return redirect("runs:question", run.pk)
    outcome = run.outcome or {}
    parts = sorted({row["part"] for row in outcome.get("competences", [])}, key=lambda p: p != "crcn-edu")
    titles = selectors.competence_titles(run.campaign, parts)
    levels = [value for value, _label in selectors.level_choices_of(run.campaign)]
    part_labels = dict(selectors.part_choices())
    rows = []
    for row in outcome.get("competences", []):
        position = levels.index(row["level"]) if row["level"] in levels else 0
        rows.append(
            {
                **row,
                "part_label": part_labels.get(row["part"], row["part"]),
                "title": titles.get(row["part"], {}).get(row["competence"], ""),
                "level_label": selectors.level_label(run.campaign, row["level"]),
                "width": round(100 * (position + 1) / max(len(levels), 1)),
                "status_label": _("Acquise") if row["acquired"] else _("À travailler"),
            }
        )
    reference = next((row["reference"] for row in rows), "")
    probabilities = [
        {
            "label": selectors.level_label(run.campaign, level),
            "percent": round(100 * float(p)),
        }
        for level, p in (outcome.get("probabilities") or {}).items()
    ]
    return render(
        request,
        "testing/runs/result.html",
        {
            "run": run,
            "level_label": selectors.level_label(run.campaign, run.proposed_level),
            "reasons": outcome.get("reasons", []),
            "rows": rows,
            "acquired": [r for r in rows if r["acquired"]],
            "to_work": [r for r in rows if not r["acquired"]],
            "reference_label": selectors.level_label(run.campaign, reference) if reference else "",
            "confidence_percent": round(100 * float(run.settings.get("confidence", 0.8))),
            "levels": [selectors.level_label(run.campaign, level) for level in levels],
            "probabilities": probabilities,
            "answered": outcome.get("answered", 0),
            "training_url": training_url(),
            "links": [link for hook in hooks.PLACEMENT_RESULT_LINKS for link in hook(request, run)],
            "enrolment": run.enrolment,
            # Taken on invitation, before any enrolment: the level is proposed at enrolment.
            "not_enrolled": run.enrolment is None and not selectors.open_enrolments(run.candidate, run.bank),
            "crumbs": [(_("Tests en ligne"), reverse("runs:home")), (_("Résultat du parcours bilan"), "")],
        },
    )


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Text size and accessibility needs (kept on the person's profile)."""
    candidate = selectors.candidate_or_404(request.user)
    profile = selectors.profile_of(candidate)
    back = str(request.GET.get("suivant") or request.POST.get("next") or "")
    if not back.startswith("/tests-en-ligne/"):
        back = reverse("runs:home")
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"text_size": profile.text_size, "needs": profile.needs, "next": back},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                actor=request.user, needs=form.cleaned_data["needs"], text_size=form.cleaned_data["text_size"]
            )
        except TestingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Vos préférences sont enregistrées."))
            return redirect(back)
    return render(
        request,
        "testing/runs/preferences.html",
        {
            "form": form,
            "back": back,
            "crumbs": [(_("Tests en ligne"), reverse("runs:home")), (_("Mes préférences"), "")],
        },
    )


def navigation_entries(request: Any) -> list[dict[str, Any]]:
    """« Tests en ligne » in the main navigation of people with a candidate identity (registered by
    ``TestingConfig.ready``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "candidate"):
        return []
    return [{"label": _("Tests en ligne"), "url": reverse("runs:home")}]
