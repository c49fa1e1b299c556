"""Jury pages: the question bank and the jurors' feedback questionnaire."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.campaigns.permissions import campaigns_run
from certeval.frameworks.selectors import framework_of
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import (
    FeedbackForm,
    QuestionForm,
)
from certeval.juries.models import JurorFeedback, JuryGroup
from certeval.juries.services.questions import juror_feedback_submit, jury_question_add
from certeval.juries.views.common import _refused


def _jury_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    visible = Campaign.objects.filter(
        Q(pk__in=permissions.campaigns_of_juror(request.user)) | Q(pk__in=campaigns_run(request.user))
    )
    return get_visible_or_404(visible.select_related("framework_version"), pk=campaign_id)


@login_required
def question_bank(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _jury_campaign(request, campaign_id)
    framework, _rules = framework_of(campaign.framework_version)
    domains = [(d.id, f"{d.id} — {d.title}") for d in framework.domains]
    form = QuestionForm(request.POST or None, domains=domains)
    if request.method == "POST" and form.is_valid():
        try:
            jury_question_add(
                campaign=campaign,
                domain=form.cleaned_data["domain"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
            messages.success(request, _("Question ajoutée à la banque de la campagne."))
            return redirect("juries:questions", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/questions.html",
        {
            "campaign": campaign,
            "bank": selectors.jury_questions_of(campaign, framework),
            "form": form,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (_("Banque de questions"), "")],
        },
    )


@login_required
def feedback(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The jurors' questionnaire, and its aggregated results for presidents and organisers."""
    campaign = _jury_campaign(request, campaign_id)
    juror = campaign.jurors.filter(user=request.user).first()
    answered = juror is not None and JurorFeedback.objects.filter(juror=juror).exists()
    form = FeedbackForm(request.POST or None) if juror is not None and not answered else None
    if request.method == "POST" and form is not None and juror is not None and form.is_valid():
        data = form.cleaned_data
        try:
            juror_feedback_submit(
                juror=juror,
                answers={t: data[t] for t in JurorFeedback.TOPICS},
                comment=data["comment"],
                actor=request.user,
            )
            messages.success(request, _("Merci : votre retour est enregistré."))
            return redirect("juries:feedback", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    sees_results = (
        permissions.can_manage_juries(request.user, campaign)
        or JuryGroup.objects.filter(campaign=campaign, president=request.user).exists()
    )
    return render(
        request,
        "juries/feedback.html",
        {
            "campaign": campaign,
            "form": form,
            "answered": answered,
            "summary": selectors.feedback_summary(campaign) if sees_results else None,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (_("Questionnaire des jurés"), "")],
        },
    )
