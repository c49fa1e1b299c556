"""Reads of what a candidate sees: their oral and, once published, their result (the caller has
already checked permissions with certeval.results.permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, CampaignState, Enrolment
from certeval.campaigns.titre_selectors import oral_base_minutes
from certeval.domain.framework import Framework
from certeval.domain.rules import RuleSet
from certeval.domain.rules.deliberation import COMPETENCES
from certeval.frameworks.selectors import framework_of
from certeval.juries.models import (
    Deliberation,
    OralSlot,
)
from certeval.juries.selectors import (
    decided_verdicts,
    deliberation_outcome,
    dossier_grid,
    level_rank,
    oral_sheet,
    validated_deliberation,
)
from certeval.results.models import SessionPublication

RESULT_STATES = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)


@dataclass(frozen=True)
class OralConvocation:
    starts_at: datetime
    duration_minutes: int
    extra_minutes: int
    visio_link: str
    jury_number: int


@dataclass(frozen=True)
class Mark:
    label: str
    level: str


@dataclass(frozen=True)
class CandidateResult:
    outcome: str
    outcome_label: str
    final_level: str
    reasons: list[str]
    levels: list[tuple[str, str]]
    reference: str
    strengths: list[Mark]
    to_work_on: list[Mark]
    slot_id: int


def results_published(campaign: Campaign) -> bool:
    """The whole campaign's results are published (or archived)."""
    return campaign.state in RESULT_STATES


def published_for(enrolment: Enrolment) -> bool:
    """The candidate's result is published: the campaign's, or their session's on its own
    (``SessionPublication``)."""
    if results_published(enrolment.campaign):
        return True
    return (
        enrolment.session_id is not None
        and SessionPublication.objects.filter(session_id=enrolment.session_id).exists()
    )


def oral_convocation(enrolment: Enrolment) -> OralConvocation | None:
    """The candidate's oral once juries are composed: start, length with their extra time, visio link
    (none for a student evaluated by their teachers: INSPÉ initial training, no oral)."""
    slot = (
        OralSlot.objects.filter(enrolment=enrolment)
        .exclude(jury__kind="teachers")
        .select_related("jury__campaign")
        .first()
    )
    if slot is None:
        return None
    return OralConvocation(
        starts_at=slot.starts_at,
        duration_minutes=slot.duration_minutes,
        extra_minutes=max(0, slot.duration_minutes - oral_base_minutes(enrolment)),
        visio_link=slot.visio_link or slot.jury.visio_link,
        jury_number=slot.jury.number,
    )


def _level_marks(
    framework: Framework, rules: RuleSet, deliberation: Deliberation, reference: str
) -> tuple[list[Mark], list[Mark]]:
    """Domains of the oral score sheet, then criteria of the consensus grid, at or above the
    reference level (strengths) or below it (points to work on); non-observable criteria are left out."""
    ranks = level_rank(framework)
    labels = {level.id: level.label for level in framework.levels}
    domains = {d.id: f"{d.id}. {d.title}" for d in framework.domains}
    sheet = oral_sheet(framework, rules)
    marks: list[tuple[str, str]] = [
        (domains.get(d, d), deliberation.oral_levels[d])
        for d in (sheet.domains if sheet is not None else ())
        if d in deliberation.oral_levels
    ]
    grid = dossier_grid(framework, rules)
    marks += [
        (f"{c.id} {c.text}", deliberation.consensus[c.id])
        for phase in grid.phases
        for item in phase.items
        for c in item.criteria
        if c.id in deliberation.consensus
    ]
    strengths: list[Mark] = []
    to_work_on: list[Mark] = []
    for label, level in marks:
        if level not in ranks:
            continue
        target = strengths if ranks[level] >= ranks[reference] else to_work_on
        target.append(Mark(label, labels[level]))
    return strengths, to_work_on


def _verdict_marks(
    framework: Framework, kind: str, deliberation: Deliberation
) -> tuple[list[Mark], list[Mark]]:
    """Competences (or blocs, and the final interview) validated: strengths; the others: to work on."""
    strengths: list[Mark] = []
    to_work_on: list[Mark] = []
    verdicts = decided_verdicts(deliberation)
    if kind == COMPETENCES:
        for c in framework.competences:
            held = verdicts.competences.get(c.id) is True
            (strengths if held else to_work_on).append(
                Mark(f"{c.id} — {c.title}", _("Validée") if held else _("Non validée"))
            )
        return strengths, to_work_on
    for d in framework.domains:
        if d.kind != "bloc":
            continue
        status = verdicts.blocks.get(d.id)
        label = _("Bloc %(id)s — %(title)s") % {"id": d.id, "title": d.title}
        if status is not None and status.validated:
            on = status.on.strftime("%d/%m/%Y") if status.on is not None else ""
            strengths.append(Mark(label, _("Validé le %(on)s") % {"on": on} if on else _("Validé")))
        else:
            to_work_on.append(Mark(label, _("Non validé")))
    interview = verdicts.final_interview
    mark = Mark(
        _("Entretien final"),
        {True: _("Réussi"), False: _("Non réussi"), None: _("Non passé")}[interview],
    )
    (strengths if interview is True else to_work_on).append(mark)
    return strengths, to_work_on


def candidate_result(enrolment: Enrolment) -> CandidateResult | None:
    """The candidate's validated decision, only once their result is published (``published_for``;
    else None).

    Strengths and points to work on (docs/juries.md, « Candidate results »): for a référentiel decided
    by competences or blocs, the validated ones vs the others; for a joint level (Pix+ Édu, INSPÉ),
    the domains of the oral score sheet and the criteria of the consensus grid at or above the
    reference level vs below it — the reference being the final level, or when none was awarded the
    automated level, else the target level."""
    if not published_for(enrolment):
        return None
    slot = OralSlot.objects.filter(enrolment=enrolment).select_related("jury__campaign").first()
    deliberation = None if slot is None else validated_deliberation(slot)
    if slot is None or deliberation is None:
        return None
    framework, rules = framework_of(enrolment.campaign.framework_version)
    labels = {level.id: level.label for level in framework.levels}
    outcome = deliberation_outcome(deliberation)
    kind = outcome.kind
    levels = [
        (title, labels.get(part.level, part.level))
        for part, title in (
            (outcome.dossier, _("Dossier (grille de consensus)")),
            (outcome.oral, _("Entretien (bordereau)")),
            (outcome.practice, _("Volet de pratique professionnelle")),
        )
        if part is not None and part.level
    ]
    automated = outcome.automated
    if automated is not None:
        levels.append(
            (
                _("Volet automatisé (obtenu le %(on)s)") % {"on": automated.obtained_on.strftime("%d/%m/%Y")},
                labels.get(automated.level, automated.level),
            )
        )
    reference = ""
    if not outcome.decides_by_verdicts:
        reference = (
            deliberation.final_level
            or (automated.level if automated is not None else "")
            or enrolment.target_level
            or ""
        )
        strengths, to_work_on = (
            _level_marks(framework, rules, deliberation, reference) if reference in labels else ([], [])
        )
    else:
        strengths, to_work_on = _verdict_marks(framework, kind, deliberation)
    return CandidateResult(
        outcome=deliberation.outcome,
        outcome_label=deliberation.get_outcome_display(),
        final_level=labels.get(deliberation.final_level, ""),
        reasons=list(outcome.final.reasons),
        levels=levels,
        reference=labels.get(reference, ""),
        strengths=strengths,
        to_work_on=to_work_on,
        slot_id=slot.pk,
    )
