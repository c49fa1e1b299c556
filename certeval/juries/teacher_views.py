"""Pages of the teachers' evaluation (seed 002, INSPÉ initial training): the organiser attaches the
organisation's teachers to their students; a teacher evaluates one professional activity phase
by phase and validates the decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.inspe_mentions import expected_activity, mention_label
from certeval.campaigns.models import Campaign, Enrolment, OrganisationMember
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import grid_post
from certeval.juries.models import Deliberation, TeacherAttachment
from certeval.juries.teacher_forms import ActivityForm, TeacherAttachForm
from certeval.juries.teacher_permissions import campaigns_with_teachers, enrolments_taught, teachers_of
from certeval.juries.teacher_services import (
    evaluation_slot_of,
    teacher_attach,
    teacher_evaluation_save,
    teacher_evaluation_validate,
)
from certeval.juries.views.common import _levels, _refused
from certeval.juries.views.scoring import grid_rows


def _state_label(enrolment: Enrolment) -> str:
    slot = evaluation_slot_of(enrolment)
    latest = None if slot is None else slot.deliberations.order_by("-number").first()
    if latest is None:
        return _("Non commencée")
    if latest.state == Deliberation.State.DRAFT:
        return _("En cours")
    return _("Validée : %(outcome)s") % {"outcome": latest.get_outcome_display()}


def _mention_text(enrolment: Enrolment) -> str:
    mention = expected_activity(enrolment.campaign, enrolment.mention)
    return mention_label(mention) if mention else "—"


@login_required
def teacher_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The organiser's page: initial-training students, their teachers, and the attachment form."""
    campaign = get_object_or_404(campaigns_with_teachers(request.user), pk=campaign_id)
    students = list(
        Enrolment.objects.filter(
            campaign=campaign, training=Enrolment.Training.INITIAL, status=Enrolment.Status.ENROLLED
        )
        .select_related("candidate", "campaign__framework_version")
        .order_by("candidate__birth_name", "candidate__first_names")
    )
    teachers = list(teachers_of(campaign).order_by("last_name", "first_name", "email"))
    form = TeacherAttachForm(request.POST or None, enrolments=students, teachers=teachers)
    if request.method == "POST" and form.is_valid():
        enrolment = next(e for e in students if e.pk == form.cleaned_data["enrolment"])
        teacher = next(t for t in teachers if t.pk == form.cleaned_data["teacher"])
        try:
            teacher_attach(actor=request.user, enrolment=enrolment, teacher=teacher)
        except JuryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(teacher)s évaluera %(student)s.")
                % {
                    "teacher": teacher.get_full_name() or teacher.email,
                    "student": enrolment.candidate.display_name,
                },
            )
            return redirect("juries:teacher_campaign", campaign.pk)
    attached: dict[int, list[str]] = {}
    for a in TeacherAttachment.objects.filter(enrolment__campaign=campaign).select_related("teacher"):
        attached.setdefault(a.enrolment_id, []).append(a.teacher.get_full_name() or a.teacher.email)
    rows = [
        [
            e.candidate.display_name,
            _mention_text(e),
            ", ".join(attached.get(e.pk, [])) or "—",
            _state_label(e),
        ]
        for e in students
    ]
    return render(
        request,
        "juries/teachers_campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "has_choices": bool(students and teachers),
            "rows": rows,
            "headers": [_("Étudiant"), _("Mention"), _("Enseignants"), _("Évaluation")],
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Enseignants évaluateurs"), ""),
            ],
        },
    )


@login_required
def teacher_students(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A teacher's students, with the state of each evaluation."""
    is_teacher = OrganisationMember.objects.filter(
        user=request.user, role=OrganisationMember.Role.TEACHER
    ).exists()
    students = list(
        enrolments_taught(request.user)
        .select_related("candidate", "campaign__framework_version")
        .order_by("campaign__title", "candidate__birth_name")
    )
    if not is_teacher and not students:
        raise Http404("Not a teacher.")
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("juries:teacher_evaluation", args=[e.pk]),
                e.candidate.display_name,
            ),
            e.campaign.title,
            _mention_text(e),
            _state_label(e),
        ]
        for e in students
    ]
    return render(
        request,
        "juries/teacher_students.html",
        {"rows": rows, "headers": [_("Étudiant"), _("Campagne"), _("Mention"), _("Évaluation")]},
    )


def _taught(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    return get_object_or_404(
        enrolments_taught(request.user).select_related("candidate", "campaign__framework_version"),
        pk=enrolment_id,
    )


def _page(
    request: AuthenticatedHttpRequest, enrolment: Enrolment, form: ActivityForm, posted: dict[str, Any] | None
) -> HttpResponse:
    campaign: Campaign = enrolment.campaign
    framework, rules = framework_of(campaign.framework_version)
    grid = selectors.dossier_grid(framework, rules)
    slot = evaluation_slot_of(enrolment)
    latest = None if slot is None else slot.deliberations.order_by("-number").first()
    levels = posted["levels"] if posted else (latest.consensus if latest else {})
    comments = posted["comments"] if posted else (latest.item_comments if latest else {})
    outcome = None if latest is None else selectors.deliberation_outcome(latest)
    labels = dict(_levels(framework))
    teachers: list[User] = [a.teacher for a in enrolment.teacher_attachments.select_related("teacher")]
    return render(
        request,
        "juries/teacher_evaluation.html",
        {
            "enrolment": enrolment,
            "candidate": enrolment.candidate,
            "mention": expected_activity(campaign, enrolment.mention),
            "mention_text": _mention_text(enrolment),
            "part": (framework.extras.get("inspe_part") or {}),
            "form": form,
            "phases": grid_rows(grid, framework, levels, comments),
            "latest": latest,
            "validated": latest is not None and latest.state == Deliberation.State.VALIDATED,
            "current": latest,
            "current_outcome": outcome,
            "level_labels": labels,
            "consensus_rows": [
                [
                    f"{c.id} — {c.text}",
                    labels.get((latest.consensus if latest else {}).get(c.id, ""), _("Non observé")),
                ]
                for c in grid.criteria
            ],
            "consensus_headers": [_("Critère"), _("Niveau")],
            "comment_rows": [
                (_("Item %(id)s : %(title)s") % {"id": i.id, "title": i.title}, latest.item_comments[i.id])
                for i in grid.items
                if latest is not None and latest.item_comments.get(i.id)
            ],
            "teachers": ", ".join(t.get_full_name() or t.email for t in teachers),
            "crumbs": [
                (_("Mes étudiants"), reverse("juries:teacher_students")),
                (enrolment.candidate.display_name, ""),
            ],
        },
    )


@login_required
def teacher_evaluation(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """The teacher's evaluation of the student's professional activity, phase by phase."""
    enrolment = _taught(request, enrolment_id)
    activity = getattr(enrolment, "assessed_activity", None)
    initial = (
        {"activity_title": activity.title, "activity_description": activity.description} if activity else None
    )
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method != "POST":
        consult_enrolment(request.user, enrolment, "teacher_evaluation")
        return _page(request, enrolment, form, None)
    framework, rules = framework_of(enrolment.campaign.framework_version)
    levels, comments = grid_post(request.POST, selectors.dossier_grid(framework, rules))
    if form.is_valid():
        try:
            teacher_evaluation_save(
                actor=request.user,
                enrolment=enrolment,
                activity_title=form.cleaned_data["activity_title"],
                activity_description=form.cleaned_data["activity_description"],
                levels=levels,
                comments=comments,
            )
        except JuryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Évaluation enregistrée ; la décision est calculée ci-dessous."))
            return redirect("juries:teacher_evaluation", enrolment.pk)
    return _page(request, enrolment, form, {"levels": levels, "comments": comments})


@login_required
@require_POST
def teacher_evaluation_confirm(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _taught(request, enrolment_id)
    try:
        decided = teacher_evaluation_validate(actor=request.user, enrolment=enrolment)
    except JuryError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Décision validée : %(outcome)s.") % {"outcome": decided.get_outcome_display()}
        )
    return redirect("juries:teacher_evaluation", enrolment.pk)
