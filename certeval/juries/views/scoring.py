"""Jury pages: independent scoring of an oral, with autosave."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.titre_selectors import (
    EPREUVE_HEADERS,
    bloc_labels,
    bloc_rule,
    epreuve_rows,
    titre_plan,
)
from certeval.domain.framework import Framework, ScoringGrid
from certeval.domain.rules import RuleSet
from certeval.dossiers.evidence_selectors import evidence_for_readers
from certeval.frameworks.selectors import framework_of
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import (
    grid_post,
)
from certeval.juries.models import GridScore, Juror, OralSlot
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.views.common import _levels, _refused
from certeval.juries.views.sheets import oral_sheet_rows, sheet_fields_posted


def _slot_for(request: AuthenticatedHttpRequest, slot_id: int) -> OralSlot:
    return get_visible_or_404(
        permissions.slots_visible(request.user).select_related(
            "jury__campaign__framework_version", "jury__group", "enrolment__candidate"
        ),
        pk=slot_id,
    )


def grid_rows(
    grid: ScoringGrid, framework: Framework, levels: Mapping[str, str | None], comments: dict[str, str]
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
                    "points": item.points,
                    "criteria": criteria,
                    "comment": comments.get(item.id, ""),
                }
            )
        phases.append({"id": phase.id, "title": phase.title, "items": items})
    return phases


def titre_epreuves(slot: OralSlot) -> list[list[str]]:
    """For a title by blocs, the épreuves of the blocs the candidate presents (what jurors assess)."""
    if bloc_rule(slot.jury.campaign) is None:  # the campaign read by the page: no extra query
        return []
    plan = titre_plan(slot.enrolment)
    return [] if plan is None else epreuve_rows(plan, bloc_labels(plan.framework))


def _scores_table(scores: list[GridScore], grid: ScoringGrid, framework: Framework) -> dict[str, Any]:
    labels = dict(_levels(framework)) | {GridScore.NON_OBSERVABLE: _("Non observable")}
    rows = [
        [f"{c.id} — {c.text}", *(labels.get(s.levels.get(c.id, ""), "—") for s in scores)]
        for phase in grid.phases
        for item in phase.items
        for c in item.criteria
    ]
    return {"headers": [_("Critère"), *(s.juror.display_name for s in scores)], "rows": rows}


def oral_scores_table(
    scores: list[GridScore], domains: tuple[str, ...], framework: Framework
) -> dict[str, Any]:
    """The submitted oral score sheets side by side: one row per domain, one column per juror."""
    labels = dict(_levels(framework))
    titles = {d.id: d.title for d in framework.domains}
    rows = [
        [
            _("Domaine %(id)s — %(title)s") % {"id": d, "title": titles.get(d, d)},
            *(labels.get(s.oral_levels.get(d, ""), _("Non évalué")) for s in scores),
        ]
        for d in domains
    ]
    return {"headers": [_("Domaine"), *(s.juror.display_name for s in scores)], "rows": rows}


def _save_posted(
    request: AuthenticatedHttpRequest, slot: OralSlot, juror: Juror, framework: Framework, rules: RuleSet
) -> GridScore:
    """Save the juror's grid and oral score sheet as posted (only the fields sent)."""
    levels, comments = grid_post(request.POST, selectors.slot_grid(slot, framework, rules))
    sheet = selectors.oral_sheet(framework, rules)
    oral_levels, oral_comments = sheet_fields_posted(request.POST, sheet.domains if sheet is not None else ())
    return grid_score_save(
        slot=slot,
        juror=juror,
        levels=levels,
        comments=comments,
        oral_levels=oral_levels,
        oral_comments=oral_comments,
    )


@login_required
def score(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    """A juror's independent scoring of a candidate's dossier grid."""
    slot = _slot_for(request, slot_id)
    juror = permissions.juror_of(request.user, slot)
    if juror is None:
        raise Http404("No such page.")
    campaign = slot.jury.campaign
    framework, rules = framework_of(campaign.framework_version)
    grid = selectors.slot_grid(slot, framework, rules)
    sheet = selectors.oral_sheet(framework, rules)
    domains = sheet.domains if sheet is not None else ()
    if request.method == "POST":
        try:
            _save_posted(request, slot, juror, framework, rules)
            if request.POST.get("action") == "submit":
                grid_score_submit(slot=slot, juror=juror, actor=request.user)
                messages.success(request, _("Évaluation transmise."))
            else:
                messages.success(request, _("Évaluation enregistrée."))
        except JuryError as error:
            _refused(request, error)
        return redirect("juries:score", slot.pk)
    consult_enrolment(request.user, slot.enrolment, "scoring")
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
            "oral_table": oral_scores_table(others, domains, framework)
            if any(s.oral_levels for s in others)
            else None,
            "oral_rows": oral_sheet_rows(
                framework, sheet, own.oral_levels if own else {}, own.oral_comments if own else {}
            ),
            "oral_title": sheet.title if sheet is not None else "",
            "oral_notes": sheet.notes if sheet is not None else "",
            "declarations": evidence_for_readers(slot.enrolment, campaign.framework_version),
            "titre_epreuves": titre_epreuves(slot),
            "epreuve_headers": EPREUVE_HEADERS,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (slot.enrolment.candidate.display_name, "")],
        },
    )


@login_required
@require_POST
def score_autosave(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    """htmx: save the grid as it is typed; answers a short status line."""
    slot = _slot_for(request, slot_id)
    juror = permissions.juror_of(request.user, slot)
    if juror is None:
        raise Http404("No such page.")
    framework, rules = framework_of(slot.jury.campaign.framework_version)
    try:
        saved = _save_posted(request, slot, juror, framework, rules)
    except JuryError as error:
        return HttpResponse(str(error), status=200)
    return HttpResponse(
        _("Enregistré à %(time)s") % {"time": f"{timezone.localtime(saved.updated_at):%H:%M:%S}"}
    )
