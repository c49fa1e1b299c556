"""Jury pages: agreement, harmonisation, deliberation and the score sheet."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.titre_selectors import bloc_labels, bloc_rule, held_blocs
from certeval.domain.framework import Framework, ScoringGrid
from certeval.domain.juries.consensus import AGREED, DISAGREEMENT
from certeval.domain.rules import RuleSet
from certeval.domain.rules.deliberation import BLOCKS, COMPETENCES, JOINT_LEVEL, decision_kind
from certeval.domain.rules.final import BlockRule, CompetenceRule
from certeval.dossiers.evidence_selectors import evidence_for_readers
from certeval.frameworks.selectors import framework_of
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import (
    FAILED,
    NOT_VALIDATED,
    PASSED,
    VALIDATED,
    ReopenForm,
    grid_post,
    sheet_post,
    verdict_post,
)
from certeval.juries.models import Deliberation, GridScore, OralSlot
from certeval.juries.services import deliberation as deliberation_services
from certeval.juries.services.sheets import score_sheet_staff_read
from certeval.juries.views.common import _levels, _refused
from certeval.juries.views.scoring import _scores_table, _slot_for, grid_rows, oral_scores_table
from certeval.juries.views.sheets import annotate_grid, grid_consensus, oral_sheet_rows, sheet_consensus


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
def jury_agreement(request: AuthenticatedHttpRequest, jury_id: int) -> HttpResponse:
    get_visible_or_404(permissions.juries_presided(request.user), pk=jury_id)
    jury = selectors.jury_detail(jury_id)
    framework, rules = framework_of(jury.campaign.framework_version)
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
def harmonise(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
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
    if request.method == "GET":
        consult_enrolment(request.user, slot.enrolment, "president")
    campaign = slot.jury.campaign
    framework, rules = framework_of(campaign.framework_version)
    grid = selectors.slot_grid(slot, framework, rules)
    sheet = selectors.oral_sheet(framework, rules)
    domains = sheet.domains if sheet is not None else ()
    kind = decision_kind(rules.final)
    if request.method == "POST":
        levels, item_comments = grid_post(request.POST, grid)
        oral_levels, oral_comments = sheet_post(request.POST, domains)
        consensus = {k: (None if v == GridScore.NON_OBSERVABLE else v) for k, v in levels.items()}
        verdicts, verdict_comments = (
            verdict_post(request.POST, kind, verdict_ids(rules)) if kind != JOINT_LEVEL else ({}, {})
        )
        try:
            deliberation_services.deliberation_save(
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
    grid_agreement = grid_consensus(scores, grid, framework)
    oral_agreement = sheet_consensus(scores, domains, framework)
    if current:
        consensus = dict(current.consensus)
        consensus |= {c: GridScore.NON_OBSERVABLE for c in _criteria(grid) if c not in consensus}
        oral_levels = dict(current.oral_levels)
    else:
        # Nothing saved yet: the grid starts from the jurors' agreed values (shown, not stored
        # until the president saves).
        consensus = {c: a["agreed_value"] for c, a in grid_agreement.items() if a["agreed"]}
        oral_levels = {d: a["agreed_value"] for d, a in oral_agreement.items() if a["agreed"]}
    phases = grid_rows(grid, framework, consensus, current.item_comments if current else {})
    annotate_grid(phases, grid_agreement)
    oral_rows = oral_sheet_rows(
        framework, sheet, oral_levels, current.oral_comments if current else {}, oral_agreement
    )
    table = _scores_table(scores, grid, framework)
    table = {
        "headers": [*table["headers"], _("Accord des jurés")],
        "rows": [
            [*row, _status_label(a["status"])]
            for row, a in zip(table["rows"], grid_agreement.values(), strict=True)
        ],
    }
    return render(
        request,
        "juries/harmonise.html",
        {
            "slot": slot,
            "candidate": slot.enrolment.candidate,
            "table": table,
            "oral_table": _oral_table_with_status(scores, domains, framework, oral_agreement)
            if any(s.oral_levels for s in scores)
            else None,
            "prefilled": current is None and bool(scores),
            "disagreements": sum(
                a["disagreement"] for a in [*grid_agreement.values(), *oral_agreement.values()]
            ),
            "oral_title": sheet.title if sheet is not None else "",
            "oral_notes": sheet.notes if sheet is not None else "",
            "submitted": len(scores),
            "members": slot.jury.members.count(),
            "phases": phases,
            "oral_rows": oral_rows,
            "kind": kind,
            "verdict_rows": verdict_rows(framework, rules, current),
            "declarations": evidence_for_readers(slot.enrolment, campaign.framework_version),
            "interview": interview_row(current, rules) if kind == BLOCKS else None,
            "titre_record": titre_record_rows(slot) if kind == BLOCKS else [],
            "titre_headers": [_("Bloc"), _("Validé le"), _("Session"), _("Campagne")],
            "interview_headers": [_("Point"), _("Ce que l'entretien vérifie"), _("Résultat")],
            "current": current,
            "current_outcome": None if current is None else selectors.deliberation_outcome(current),
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


def _status_label(status: str) -> str:
    return {AGREED: _("Accord"), DISAGREEMENT: _("Désaccord")}.get(status, _("Non évalué"))


def _oral_table_with_status(
    scores: list[GridScore],
    domains: tuple[str, ...],
    framework: Framework,
    agreement: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    table = oral_scores_table(scores, domains, framework)
    return {
        "headers": [*table["headers"], _("Accord des jurés")],
        "rows": [
            [*row, _status_label(agreement[d]["status"])]
            for row, d in zip(table["rows"], domains, strict=True)
        ],
    }


def verdict_ids(rules: RuleSet) -> tuple[str, ...]:
    """The competences or blocs a competence or bloc decision validates."""
    if isinstance(rules.final, CompetenceRule):
        return rules.final.competences
    if isinstance(rules.final, BlockRule):
        return rules.final.blocks
    return ()


def _mark(value: bool | None, yes: str, no: str) -> str:
    marks: dict[bool | None, str] = {True: yes, False: no}
    return marks.get(value, "")


def verdict_rows(framework: Framework, rules: RuleSet, current: Deliberation | None) -> list[dict[str, Any]]:
    """The jury's validation form of a competence or bloc référentiel: per competence (or bloc) a
    validated / not validated choice, a comment, and for a bloc the day it was validated."""
    kind = decision_kind(rules.final)
    if kind == JOINT_LEVEL:
        return []
    verdicts = selectors.deliberation_verdicts(current)
    comments = current.verdict_comments if current else {}
    marks: dict[str, bool]
    if kind == COMPETENCES:
        titles = {c.id: f"{c.id} — {c.title}" for c in framework.competences}
        marks = dict(verdicts.competences)
        options = [(VALIDATED, _("Validée")), (NOT_VALIDATED, _("Non validée")), ("", _("Non évaluée"))]
        dates: dict[str, str] = {}
    else:
        titles = {
            d.id: _("Bloc %(id)s — %(title)s") % {"id": d.id, "title": d.title} for d in framework.domains
        }
        marks = {k: v.validated for k, v in verdicts.blocks.items()}
        dates = {k: v.on.isoformat() if v.on else "" for k, v in verdicts.blocks.items()}
        options = [(VALIDATED, _("Validé")), (NOT_VALIDATED, _("Non validé")), ("", _("Non évalué"))]
    return [
        {
            "id": i,
            "name": f"verdict-{i}",
            "legend": titles.get(i, i),
            "value": _mark(marks.get(i), VALIDATED, NOT_VALIDATED),
            "validated": marks.get(i),
            "comment": comments.get(i, ""),
            "date": dates.get(i, "") if kind == BLOCKS else None,
            "options": [{"value": v, "label": label, "hint": ""} for v, label in options],
        }
        for i in verdict_ids(rules)
    ]


def titre_record_rows(slot: OralSlot) -> list[list[str]]:
    """The blocs the candidate already holds from other sessions (their record), which the
    decision counts: bloc, day, session, campaign."""
    found = bloc_rule(slot.jury.campaign)
    if found is None:
        return []
    labels = bloc_labels(found[0])
    return [
        [
            labels.get(h.bloc, h.bloc),
            h.validated_on.strftime("%d/%m/%Y"),
            h.session.label if h.session else "—",
            h.campaign.title,
        ]
        for h in held_blocs(slot.enrolment.candidate, found[0].id)
        if h.enrolment_id != slot.enrolment_id
    ]


def interview_row(current: Deliberation | None, rules: RuleSet | None = None) -> dict[str, Any]:
    """The final interview of a bloc référentiel: passed, failed or not taken, with a comment; for
    a title whose interview has a grid (seed 003's five points), the result is the grid's: the
    points are scored in the consensus grid above, and the row lists them."""
    verdicts = selectors.deliberation_verdicts(current)
    value = verdicts.final_interview
    final = None if rules is None else rules.final
    if isinstance(final, BlockRule) and final.interview_points:
        points = verdicts.interview_points
        return {
            "from_grid": True,
            "legend": _("Entretien final (30 minutes) — grille des cinq points"),
            "passed": value,
            "result": {True: _("Réussi"), False: _("Non réussi"), None: _("Non passé")}[value],
            "required": final.points_required,
            "rows": [
                [
                    pid,
                    text,
                    _mark(points.get(pid), _("Vérifié"), _("Non vérifié")) or _("Non évalué"),
                ]
                for pid, text in final.interview_points
            ],
            "comment": current.verdict_comments.get("final_interview", "") if current else "",
        }
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
def deliberation_validate(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    slot = get_visible_or_404(
        OralSlot.objects.filter(jury__in=permissions.juries_presided(request.user)), pk=slot_id
    )
    try:
        deliberation_services.deliberation_validate(slot=slot, actor=request.user)
        messages.success(request, _("Décision validée et enregistrée."))
    except JuryError as error:
        _refused(request, error)
    return redirect("juries:harmonise", slot.pk)


@login_required
@require_POST
def deliberation_reopen(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    slot = get_visible_or_404(
        OralSlot.objects.filter(jury__in=permissions.juries_presided(request.user)), pk=slot_id
    )
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            deliberation_services.deliberation_reopen(
                slot=slot, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Nouvelle délibération ouverte."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Indiquez le motif de la nouvelle délibération."))
    return redirect("juries:harmonise", slot.pk)


@login_required
def score_sheet(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    """The bordereau (PDF) of a validated decision, for the jury, its president and the organisers."""
    slot = _slot_for(request, slot_id)
    try:
        pdf = score_sheet_staff_read(slot=slot, by=request.user)
    except JuryError as error:
        _refused(request, error)
        return redirect("juries:jury", slot.jury_id)
    consult_enrolment(request.user, slot.enrolment, "score_sheet")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bordereau-{slot.enrolment_id}.pdf"'
    return response
