"""Jury pages: thin views over certeval.juries.{permissions,selectors,services}."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.models import User
from certeval.accounts.permissions import campaigns_managed, get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.domain.framework import Framework, ScoringGrid
from certeval.domain.rules import RuleSet
from certeval.domain.rules.final import BlockRule, CompetenceRule
from certeval.juries import permissions, selectors, services
from certeval.juries.explain import halfday_label, roles_label, run_status_label
from certeval.juries.forms import (
    FAILED,
    NOT_VALIDATED,
    PASSED,
    VALIDATED,
    AutomatedImportForm,
    AutomatedResultForm,
    FeedbackForm,
    JurorForm,
    MeetingForm,
    MoveForm,
    PresidentForm,
    QuestionForm,
    ReopenForm,
    RuleForm,
    SwapForm,
    VisioForm,
    grid_post,
    sheet_post,
    verdict_post,
)
from certeval.juries.models import Deliberation, GridScore, JurorFeedback, Jury, JuryGroup, OralSlot
from certeval.juries.pdf import score_sheet_pdf
from certeval.juries.services import JuryError


def _refused(request: HttpRequest, error: JuryError) -> None:
    messages.error(request, " ".join([str(error), *error.reasons]))


def _levels(framework: Framework) -> list[tuple[str, str]]:
    return [(level.id, level.label) for level in framework.levels]


# --- lists -------------------------------------------------------------------------------------


@login_required
def my_juries(request: HttpRequest) -> HttpResponse:
    """A juror's orals, the juries a president leads, the campaigns an organiser composes."""
    slots = selectors.slots_of_user(request.user.pk)
    progress = selectors.scoring_progress_of_user(request.user.pk, slots)
    presided = list(
        permissions.juries_presided(request.user)
        .select_related("campaign", "group")
        .order_by("halfday", "number")
    )
    decided = selectors.decided_counts(presided)
    managed = list(campaigns_managed(request.user).order_by("title"))
    pools = list(permissions.campaigns_of_juror(request.user).order_by("title"))
    return render(
        request,
        "juries/mine.html",
        {
            "slots": [(s, halfday_label(s.jury.halfday), *progress[s.pk]) for s in slots],
            "presided": [(j, halfday_label(j.halfday), *decided[j.pk]) for j in presided],
            "managed": managed,
            "pools": pools,
        },
    )


# --- composition (organisers) --------------------------------------------------------------------


def _managed_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(campaigns_managed(request.user), pk=campaign_id)


@login_required
def campaign_juries(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    juries = selectors.juries_of(campaign)
    run = selectors.latest_run(campaign)
    pool = list(campaign.jurors.select_related("user", "academy"))
    groups = list(JuryGroup.objects.filter(campaign=campaign).select_related("president"))
    settings = selectors.jury_settings_of(campaign)
    return render(
        request,
        "juries/campaign.html",
        {
            "campaign": campaign,
            "settings": settings,
            "rule_groups": [
                (roles_label(g["roles"]), g.get("min", 0), g.get("max") or settings.size)
                for g in settings.groups
            ],
            "run_status": run_status_label(run.status) if run else "",
            "run_gap_percent": (
                run.result["gap"] * 100 if run and run.result.get("gap") is not None else None
            ),
            "juries": [(j, halfday_label(j.halfday)) for j in juries],
            "run": run,
            "pool": pool,
            "groups": [(g, PresidentForm(campaign_id=campaign.pk, prefix=f"g{g.pk}")) for g in groups],
            "candidates": selectors.candidates_to_compose(campaign).count(),
            "swap_form": SwapForm(campaign_id=campaign.pk),
            "move_form": MoveForm(campaign_id=campaign.pk),
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (campaign.title, "")],
        },
    )


@login_required
@require_POST
def campaign_compose(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    try:
        result = services.jury_compose_campaign(campaign=campaign, actor=request.user, time_limit=30)
    except JuryError as error:
        _refused(request, error)
    else:
        if result.ok:
            messages.success(
                request,
                _("%(n)s jurys composés pour %(c)s candidats.")
                % {"n": len(result.juries), "c": len(result.solution.assignments)},
            )
        else:
            messages.error(
                request, _("Aucune composition ne respecte toutes les contraintes : voir l'explication.")
            )
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def member_swap(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    form = SwapForm(request.POST, campaign_id=campaign.pk)
    if form.is_valid():
        try:
            services.jury_member_swap(
                member=form.cleaned_data["member"], new_juror=form.cleaned_data["juror"], actor=request.user
            )
            messages.success(request, _("Membre remplacé."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choisissez un membre et un remplaçant."))
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def slot_move(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    form = MoveForm(request.POST, campaign_id=campaign.pk)
    if form.is_valid():
        try:
            services.oral_slot_move(
                slot=form.cleaned_data["slot"],
                jury=form.cleaned_data["jury"],
                index=form.cleaned_data["index"],
                actor=request.user,
            )
            messages.success(request, _("Oral déplacé."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choisissez un oral, un jury et un créneau."))
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def group_president(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_visible_or_404(
        JuryGroup.objects.filter(campaign__in=campaigns_managed(request.user)), pk=group_id
    )
    form = PresidentForm(request.POST, campaign_id=group.campaign_id, prefix=f"g{group.pk}")
    if form.is_valid():
        services.jury_group_set_president(
            group=group, president=form.cleaned_data["president"], actor=request.user
        )
        messages.success(request, _("Président du groupe enregistré."))
    return redirect("juries:campaign", group.campaign_id)


# --- a jury ------------------------------------------------------------------------------------


def _meeting_people(jury: Jury) -> Any:
    return User.objects.filter(
        Q(juror_profiles__memberships__jury__group_id=jury.group_id) | Q(pk=jury.group.president_id)
    ).distinct()


@login_required
def jury_detail(request: HttpRequest, jury_id: int) -> HttpResponse:
    get_visible_or_404(permissions.juries_visible(request.user), pk=jury_id)
    jury = selectors.jury_detail(jury_id)
    presides = permissions.can_harmonise(request.user, jury)
    manages = permissions.can_manage_juries(request.user, jury.campaign)
    meetings = [m for m in selectors.meetings_of(jury.campaign) if m.group_id == jury.group_id]
    return render(
        request,
        "juries/jury.html",
        {
            "jury": jury,
            "halfday": halfday_label(jury.halfday),
            "presides": presides,
            "manages": manages,
            "sits": any(m.juror.user_id == request.user.pk for m in jury.members.all()),
            "meetings": meetings,
            "meeting_form": MeetingForm(people=_meeting_people(jury)) if presides or manages else None,
            "visio_form": VisioForm(initial={"link": jury.visio_link}) if manages else None,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (str(jury), "")],
        },
    )


@login_required
@require_POST
def jury_visio(request: HttpRequest, jury_id: int) -> HttpResponse:
    jury = get_visible_or_404(Jury.objects.filter(campaign__in=campaigns_managed(request.user)), pk=jury_id)
    form = VisioForm(request.POST)
    if form.is_valid():
        services.jury_set_visio(jury=jury, link=form.cleaned_data["link"], actor=request.user)
        messages.success(request, _("Lien de visioconférence enregistré."))
    else:
        messages.error(request, _("Lien invalide."))
    return redirect("juries:jury", jury.pk)


@login_required
@require_POST
def meeting_create(request: HttpRequest, jury_id: int) -> HttpResponse:
    jury = get_visible_or_404(permissions.juries_visible(request.user).select_related("group"), pk=jury_id)
    if not (
        permissions.can_harmonise(request.user, jury)
        or permissions.can_manage_juries(request.user, jury.campaign)
    ):
        raise Http404("No such page.")
    form = MeetingForm(request.POST, people=_meeting_people(jury))
    if form.is_valid():
        services.meeting_record(
            group=jury.group,
            kind=form.cleaned_data["kind"],
            held_at=form.cleaned_data["held_at"],
            attendees=form.cleaned_data["attendees"],
            minutes=form.cleaned_data["minutes"],
            actor=request.user,
        )
        messages.success(request, _("Réunion enregistrée."))
    else:
        messages.error(
            request, _("Réunion non enregistrée : indiquez la nature, la date et les participants.")
        )
    return redirect("juries:jury", jury.pk)


# --- independent scoring ------------------------------------------------------------------------


def _slot_for(request: HttpRequest, slot_id: int) -> OralSlot:
    return get_visible_or_404(
        permissions.slots_visible(request.user).select_related(
            "jury__campaign__framework_version", "jury__group", "enrolment__candidate"
        ),
        pk=slot_id,
    )


def grid_rows(
    grid: ScoringGrid, framework: Framework, levels: dict[str, str], comments: dict[str, str]
) -> list[dict[str, Any]]:
    """The grid as phases → items (with their comment) → criteria, each criterion with its radio
    options: every level with its descriptor, then « non observable »."""
    none_label = _("Non observable")
    labels = _levels(framework)
    phases = []
    for phase in grid.phases:
        items = []
        for item in phase.items:
            criteria = [
                {
                    "id": c.id,
                    "name": f"level-{c.id}",
                    "legend": f"{c.id} — {c.text}",
                    "value": levels.get(c.id, ""),
                    "options": [
                        {"value": level_id, "label": label, "hint": c.descriptors.get(level_id, "")}
                        for level_id, label in labels
                    ]
                    + [{"value": GridScore.NON_OBSERVABLE, "label": none_label, "hint": ""}],
                }
                for c in item.criteria
            ]
            items.append(
                {
                    "id": item.id,
                    "title": item.title,
                    "criteria": criteria,
                    "comment": comments.get(item.id, ""),
                }
            )
        phases.append({"id": phase.id, "title": phase.title, "items": items})
    return phases


def _scores_table(scores: list[GridScore], grid: ScoringGrid, framework: Framework) -> dict[str, Any]:
    labels = dict(_levels(framework)) | {GridScore.NON_OBSERVABLE: _("Non observable")}
    rows = [
        [f"{c.id} — {c.text}", *(labels.get(s.levels.get(c.id, ""), "—") for s in scores)]
        for phase in grid.phases
        for item in phase.items
        for c in item.criteria
    ]
    return {"headers": [_("Critère"), *(s.juror.display_name for s in scores)], "rows": rows}


@login_required
def score(request: HttpRequest, slot_id: int) -> HttpResponse:
    """A juror's independent scoring of a candidate's dossier grid."""
    slot = _slot_for(request, slot_id)
    juror = permissions.juror_of(request.user, slot)
    if juror is None:
        raise Http404("No such page.")
    campaign = slot.jury.campaign
    framework, rules = selectors.framework_of(campaign.framework_version)
    grid = selectors.dossier_grid(framework, rules)
    if request.method == "POST":
        levels, comments = grid_post(request.POST, grid)
        try:
            services.grid_score_save(slot=slot, juror=juror, levels=levels, comments=comments)
            if request.POST.get("action") == "submit":
                services.grid_score_submit(slot=slot, juror=juror, actor=request.user)
                messages.success(request, _("Évaluation transmise."))
            else:
                messages.success(request, _("Évaluation enregistrée."))
        except JuryError as error:
            _refused(request, error)
        return redirect("juries:score", slot.pk)
    own = GridScore.objects.filter(slot=slot, juror=juror).first()
    submitted = own is not None and own.submitted_at is not None
    others = selectors.grid_scores_of(slot) if submitted else []
    settings = selectors.jury_settings_of(campaign)
    return render(
        request,
        "juries/score.html",
        {
            "slot": slot,
            "candidate": slot.enrolment.candidate,
            "open": selectors.scoring_open(slot.jury, settings),
            "own": own,
            "submitted": submitted,
            "phases": grid_rows(grid, framework, own.levels if own else {}, own.comments if own else {}),
            "grid": grid,
            "table": _scores_table(others, grid, framework) if submitted else None,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (slot.enrolment.candidate.display_name, "")],
        },
    )


@login_required
@require_POST
def score_autosave(request: HttpRequest, slot_id: int) -> HttpResponse:
    """htmx: save the grid as it is typed; answers a short status line."""
    slot = _slot_for(request, slot_id)
    juror = permissions.juror_of(request.user, slot)
    if juror is None:
        raise Http404("No such page.")
    framework, rules = selectors.framework_of(slot.jury.campaign.framework_version)
    levels, comments = grid_post(request.POST, selectors.dossier_grid(framework, rules))
    try:
        saved = services.grid_score_save(slot=slot, juror=juror, levels=levels, comments=comments)
    except JuryError as error:
        return HttpResponse(str(error), status=200)
    return HttpResponse(
        _("Enregistré à %(time)s") % {"time": f"{timezone.localtime(saved.updated_at):%H:%M:%S}"}
    )


# --- harmonisation and decision ------------------------------------------------------------------


def _unsubmitted_slots(user: User, slot_ids: list[int]) -> set[int]:
    """Orals the user sits on as a juror without having submitted their own scoring: a presiding
    juror sees the others' scores only after submitting theirs."""
    sits = set(
        OralSlot.objects.filter(pk__in=slot_ids, jury__members__juror__user=user).values_list("pk", flat=True)
    )
    done = set(
        GridScore.objects.filter(slot_id__in=sits, juror__user=user, submitted_at__isnull=False).values_list(
            "slot_id", flat=True
        )
    )
    return sits - done


@login_required
def jury_agreement(request: HttpRequest, jury_id: int) -> HttpResponse:
    get_visible_or_404(permissions.juries_presided(request.user), pk=jury_id)
    jury = selectors.jury_detail(jury_id)
    framework, rules = selectors.framework_of(jury.campaign.framework_version)
    agreement = selectors.jury_agreement(jury, framework, selectors.dossier_grid(framework, rules))
    return render(
        request,
        "juries/agreement.html",
        {
            "jury": jury,
            "agreement": agreement,
            "hidden": _unsubmitted_slots(request.user, [c.slot.pk for c in agreement.candidates]),
            "crumbs": [
                (_("Mes jurys"), reverse("juries:mine")),
                (str(jury), reverse("juries:jury", args=[jury.pk])),
                (_("Harmonisation"), ""),
            ],
        },
    )


@login_required
def harmonise(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The president's page for one candidate: the jurors' grids, the consensus grid and the oral
    score sheet, the computed levels and the decision."""
    slot = get_visible_or_404(
        OralSlot.objects.filter(jury__in=permissions.juries_presided(request.user)).select_related(
            "jury__campaign__framework_version", "jury__group", "enrolment__candidate"
        ),
        pk=slot_id,
    )
    if slot.pk in _unsubmitted_slots(request.user, [slot.pk]):
        messages.info(request, _("Transmettez d'abord votre propre évaluation de ce candidat."))
        return redirect("juries:score", slot.pk)
    campaign = slot.jury.campaign
    framework, rules = selectors.framework_of(campaign.framework_version)
    grid = selectors.dossier_grid(framework, rules)
    sheet = selectors.oral_sheet(framework, rules)
    domains = sheet.domains if sheet is not None else ()
    kind = services.decision_kind(rules)
    if request.method == "POST":
        levels, item_comments = grid_post(request.POST, grid)
        oral_levels, oral_comments = sheet_post(request.POST, domains)
        consensus = {k: (None if v == GridScore.NON_OBSERVABLE else v) for k, v in levels.items()}
        verdicts, verdict_comments = (
            verdict_post(request.POST, kind, verdict_ids(rules)) if kind != "joint_level" else ({}, {})
        )
        try:
            services.deliberation_save(
                slot=slot,
                actor=request.user,
                consensus=consensus,
                item_comments=item_comments,
                oral_levels=oral_levels,
                oral_comments=oral_comments,
                verdicts=verdicts,
                verdict_comments=verdict_comments,
            )
            messages.success(request, _("Harmonisation enregistrée ; niveaux calculés."))
        except JuryError as error:
            _refused(request, error)
        return redirect("juries:harmonise", slot.pk)
    scores = [s for s in selectors.grid_scores_of(slot) if s.submitted_at is not None]
    current = selectors.current_deliberation(slot)
    draft = current if current is not None and current.state == Deliberation.State.DRAFT else None
    consensus = dict(current.consensus) if current else {}
    if current:
        consensus |= {c: GridScore.NON_OBSERVABLE for c in _criteria(grid) if c not in consensus}
    domain_titles = {d.id: d.title for d in framework.domains}
    oral_rows = [
        {
            "id": d,
            "name": f"oral-{d}",
            "legend": _("Domaine %(id)s — %(title)s") % {"id": d, "title": domain_titles.get(d, d)},
            "value": (current.oral_levels.get(d, "") if current else "") or "",
            "comment": current.oral_comments.get(d, "") if current else "",
            "options": [{"value": i, "label": label, "hint": ""} for i, label in _levels(framework)]
            + [{"value": "", "label": _("Non évalué"), "hint": ""}],
        }
        for d in domains
    ]
    return render(
        request,
        "juries/harmonise.html",
        {
            "slot": slot,
            "candidate": slot.enrolment.candidate,
            "table": _scores_table(scores, grid, framework),
            "submitted": len(scores),
            "members": slot.jury.members.count(),
            "phases": grid_rows(grid, framework, consensus, current.item_comments if current else {}),
            "oral_rows": oral_rows,
            "kind": kind,
            "verdict_rows": verdict_rows(framework, rules, current),
            "interview": interview_row(current) if kind == "blocks" else None,
            "current": current,
            "draft": draft,
            "history": list(
                slot.deliberations.select_related("validated_by", "created_by").order_by("number")
            ),
            "reopen_form": ReopenForm() if current and not draft else None,
            "level_labels": dict(_levels(framework)),
            "crumbs": [
                (_("Mes jurys"), reverse("juries:mine")),
                (str(slot.jury), reverse("juries:agreement", args=[slot.jury_id])),
                (slot.enrolment.candidate.display_name, ""),
            ],
        },
    )


def verdict_ids(rules: RuleSet) -> tuple[str, ...]:
    """The competences or blocs a competence or bloc decision validates."""
    if isinstance(rules.final, CompetenceRule):
        return rules.final.competences
    if isinstance(rules.final, BlockRule):
        return rules.final.blocks
    return ()


def _mark(value: bool | None, yes: str, no: str) -> str:
    return {True: yes, False: no}.get(value, "")


def verdict_rows(framework: Framework, rules: RuleSet, current: Deliberation | None) -> list[dict[str, Any]]:
    """The jury's validation form of a competence or bloc référentiel: per competence (or bloc) a
    validated / not validated choice, a comment, and for a bloc the day it was validated."""
    kind = services.decision_kind(rules)
    if kind == "joint_level":
        return []
    verdicts = current.verdicts if current else {}
    comments = current.verdict_comments if current else {}
    if kind == "competences":
        titles = {c.id: f"{c.id} — {c.title}" for c in framework.competences}
        marks = dict(verdicts.get("competences", {}))
        options = [(VALIDATED, _("Validée")), (NOT_VALIDATED, _("Non validée")), ("", _("Non évaluée"))]
        dates: dict[str, str] = {}
    else:
        titles = {
            d.id: _("Bloc %(id)s — %(title)s") % {"id": d.id, "title": d.title} for d in framework.domains
        }
        blocks = verdicts.get("blocks", {})
        marks = {k: v["validated"] for k, v in blocks.items()}
        dates = {k: v.get("on") or "" for k, v in blocks.items()}
        options = [(VALIDATED, _("Validé")), (NOT_VALIDATED, _("Non validé")), ("", _("Non évalué"))]
    return [
        {
            "id": i,
            "name": f"verdict-{i}",
            "legend": titles.get(i, i),
            "value": _mark(marks.get(i), VALIDATED, NOT_VALIDATED),
            "validated": marks.get(i),
            "comment": comments.get(i, ""),
            "date": dates.get(i, "") if kind == "blocks" else None,
            "options": [{"value": v, "label": label, "hint": ""} for v, label in options],
        }
        for i in verdict_ids(rules)
    ]


def interview_row(current: Deliberation | None) -> dict[str, Any]:
    """The final interview of a bloc référentiel: passed, failed or not taken, with a comment."""
    value = current.verdicts.get("final_interview") if current else None
    return {
        "name": "final_interview",
        "legend": _("Entretien final (30 minutes)"),
        "value": _mark(value, PASSED, FAILED),
        "passed": value,
        "comment": current.verdict_comments.get("final_interview", "") if current else "",
        "options": [
            {"value": PASSED, "label": _("Réussi"), "hint": ""},
            {"value": FAILED, "label": _("Non réussi"), "hint": ""},
            {"value": "", "label": _("Non passé"), "hint": ""},
        ],
    }


def _criteria(grid: ScoringGrid) -> list[str]:
    return [c.id for phase in grid.phases for item in phase.items for c in item.criteria]


@login_required
@require_POST
def deliberation_validate(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = get_visible_or_404(
        OralSlot.objects.filter(jury__in=permissions.juries_presided(request.user)), pk=slot_id
    )
    try:
        services.deliberation_validate(slot=slot, actor=request.user)
        messages.success(request, _("Décision validée et enregistrée."))
    except JuryError as error:
        _refused(request, error)
    return redirect("juries:harmonise", slot.pk)


@login_required
@require_POST
def deliberation_reopen(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = get_visible_or_404(
        OralSlot.objects.filter(jury__in=permissions.juries_presided(request.user)), pk=slot_id
    )
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.deliberation_reopen(slot=slot, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Nouvelle délibération ouverte."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Indiquez le motif de la nouvelle délibération."))
    return redirect("juries:harmonise", slot.pk)


@login_required
def score_sheet(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The bordereau (PDF) of a validated decision, for the jury, its president and the organisers."""
    slot = _slot_for(request, slot_id)
    deliberation = selectors.validated_deliberation(slot)
    if deliberation is None:
        messages.error(request, _("Le bordereau est disponible une fois la décision validée."))
        return redirect("juries:jury", slot.jury_id)
    response = HttpResponse(
        score_sheet_pdf(slot=slot, deliberation=deliberation), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bordereau-{slot.enrolment_id}.pdf"'
    return response


# --- the candidate's oral and result -----------------------------------------------------------------


@login_required
@require_GET
def candidate_result(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The candidate's oral (once juries are composed) and, once results are published, their decision."""
    enrolment = get_visible_or_404(
        permissions.enrolments_of_candidate(request.user).select_related(
            "campaign__framework_version", "candidate"
        ),
        pk=enrolment_id,
    )
    result = selectors.candidate_result(enrolment)
    return render(
        request,
        "juries/candidate_result.html",
        {
            "enrolment": enrolment,
            "oral": selectors.oral_convocation(enrolment),
            "published": selectors.results_published(enrolment.campaign),
            "result": result,
            "level_rows": [list(row) for row in result.levels] if result else [],
            "level_headers": [_("Épreuve"), _("Niveau")],
            "mark_headers": [_("Domaine, critère ou compétence"), _("Niveau ou validation")],
            "strength_rows": [[m.label, m.level] for m in result.strengths] if result else [],
            "work_rows": [[m.label, m.level] for m in result.to_work_on] if result else [],
            "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Oral et résultat"), "")],
        },
    )


@login_required
@require_GET
def candidate_score_sheet(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The candidate's own bordereau (PDF), only once the campaign's results are published."""
    slot = get_visible_or_404(
        permissions.score_sheets_of_candidate(request.user).select_related("jury__campaign", "enrolment"),
        enrolment_id=enrolment_id,
    )
    response = HttpResponse(
        services.score_sheet_candidate_read(slot=slot, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="bordereau-{enrolment_id}.pdf"'
    return response


# --- question bank and feedback ---------------------------------------------------------------------


def _jury_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    visible = Campaign.objects.filter(
        Q(pk__in=permissions.campaigns_of_juror(request.user)) | Q(pk__in=campaigns_managed(request.user))
    )
    return get_visible_or_404(visible.select_related("framework_version"), pk=campaign_id)


@login_required
def question_bank(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _jury_campaign(request, campaign_id)
    framework, _rules = selectors.framework_of(campaign.framework_version)
    domains = [(d.id, f"{d.id} — {d.title}") for d in framework.domains]
    form = QuestionForm(request.POST or None, domains=domains)
    if request.method == "POST" and form.is_valid():
        try:
            services.jury_question_add(
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
def feedback(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The jurors' questionnaire, and its aggregated results for presidents and organisers."""
    campaign = _jury_campaign(request, campaign_id)
    juror = campaign.jurors.filter(user=request.user).first()
    answered = juror is not None and JurorFeedback.objects.filter(juror=juror).exists()
    form = FeedbackForm(request.POST or None) if juror is not None and not answered else None
    if request.method == "POST" and form is not None and juror is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.juror_feedback_submit(
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


# --- juror pool, composition rule, automated results (organisers) --------------------------------


def _pool_crumbs(campaign: Campaign, title: str) -> list[tuple[str, str]]:
    return [
        (_("Mes jurys"), reverse("juries:mine")),
        (campaign.title, reverse("juries:campaign", args=[campaign.pk])),
        (title, ""),
    ]


def _juror_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": data["role"],
        "academy": data["academy"],
        "halfdays": data["halfdays"],
        "max_load": data["max_load"],
        "conflict_enrolments": data["conflict_enrolments"],
        "conflict_schools": data["conflict_schools"],
    }


@login_required
def juror_pool(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's juror pool, and the form to add a person by e-mail."""
    campaign = _managed_campaign(request, campaign_id)
    form = JurorForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            juror = services.juror_invite(
                campaign=campaign,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                actor=request.user,
                **_juror_fields(data),
            )
            messages.success(request, _("%(name)s ajouté au vivier.") % {"name": juror.display_name})
            return redirect("juries:pool", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/pool.html",
        {
            "campaign": campaign,
            "pool": selectors.pool_of(campaign),
            "form": form,
            "crumbs": _pool_crumbs(campaign, _("Vivier de jurés")),
        },
    )


@login_required
def juror_edit(request: HttpRequest, campaign_id: int, juror_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    juror = get_visible_or_404(campaign.jurors.select_related("user", "academy"), pk=juror_id)
    form = JurorForm(request.POST or None, campaign=campaign, juror=juror)
    if request.method == "POST" and form.is_valid():
        try:
            services.juror_update(juror=juror, actor=request.user, **_juror_fields(form.cleaned_data))
            messages.success(request, _("Juré enregistré."))
            return redirect("juries:pool", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/juror_form.html",
        {
            "campaign": campaign,
            "juror": juror,
            "form": form,
            "crumbs": _pool_crumbs(campaign, juror.display_name),
        },
    )


@login_required
def composition_rule(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's composition rule: size, role groups, inter-academic juries, orals per half-day."""
    campaign = _managed_campaign(request, campaign_id)
    form = RuleForm(request.POST or None, settings=selectors.jury_settings_of(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.jury_settings_update(
                campaign=campaign,
                actor=request.user,
                size=data["size"],
                groups=data["groups"],
                same_academy=data["same_academy"],
                halfday_slots=data["halfday_slots"],
                buffer_minutes=data["buffer_minutes"],
            )
            messages.success(request, _("Règle de composition enregistrée."))
            return redirect("juries:campaign", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/rule.html",
        {"campaign": campaign, "form": form, "crumbs": _pool_crumbs(campaign, _("Règle de composition"))},
    )


@login_required
def automated_results(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Organisers record one candidate's automated result or import a CSV file of them."""
    campaign = _managed_campaign(request, campaign_id)
    which = request.POST.get("form") if request.method == "POST" else None
    form = AutomatedResultForm(request.POST if which == "one" else None, campaign=campaign)
    upload = AutomatedImportForm(request.POST if which == "import" else None, request.FILES or None)
    try:
        if which == "one" and form.is_valid():
            services.automated_result_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Résultat enregistré."))
            return redirect("juries:automated", campaign.pk)
        if which == "import" and upload.is_valid():
            raw = upload.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise JuryError(_("Le fichier doit être encodé en UTF-8.")) from None
            count = services.automated_results_import(campaign=campaign, text=text, actor=request.user)
            messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": count})
            return redirect("juries:automated", campaign.pk)
    except JuryError as error:
        _refused(request, error)
    labels = dict(selectors.level_choices(campaign))
    rows = [
        [
            e.candidate.display_name,
            e.candidate.email,
            labels.get(e.automated_result.level, e.automated_result.level)
            if hasattr(e, "automated_result")
            else "—",
            f"{e.automated_result.obtained_on:%d/%m/%Y}" if hasattr(e, "automated_result") else "—",
            ", ".join(
                f"{part} : {labels.get(v['level'], v['level'])}"
                for part, v in e.automated_result.parts.items()
            )
            if hasattr(e, "automated_result")
            else "",
        ]
        for e in selectors.enrolments_with_results(campaign)
    ]
    return render(
        request,
        "juries/automated.html",
        {
            "campaign": campaign,
            "form": form,
            "upload": upload,
            "table": {
                "headers": [_("Candidat"), _("Adresse"), _("Niveau"), _("Obtenu le"), _("Parties")],
                "rows": rows,
            },
            "crumbs": _pool_crumbs(campaign, _("Résultats du volet automatisé")),
        },
    )
