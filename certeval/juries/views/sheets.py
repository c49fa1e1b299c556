"""What the score pages show beside each domain of the oral score sheet (the level texts of the
sheet and the competences' descriptors) and the consensus pre-fill of the president's grid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from certeval.domain.framework import Framework, ScoreSheet, ScoringGrid
from certeval.domain.juries.consensus import AGREED, DISAGREEMENT, ItemConsensus, consensus_of
from certeval.juries.models import GridScore
from certeval.juries.views.common import _levels


def sheet_fields_posted(data: QueryDict, domains: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The oral score sheet fields present in the request (``oral-<domain>``,
    ``oralcomment-<domain>``): an autosave never clears a domain it did not send."""
    levels = {d: data.get(f"oral-{d}", "") for d in domains if f"oral-{d}" in data}
    comments = {d: data.get(f"oralcomment-{d}", "") for d in domains if f"oralcomment-{d}" in data}
    return levels, comments


def consensus_view(
    item: ItemConsensus, labels: Mapping[str, str], names: Mapping[str, str]
) -> dict[str, Any]:
    """One item's consensus as the template shows it: its status, the sentence (read by screen
    readers as the radio group's description) and each juror's value."""
    return {
        "status": item.status,
        "agreed": item.status == AGREED,
        "agreed_value": item.agreed or "",
        "disagreement": item.status == DISAGREEMENT,
        "reason": item.reason(labels, names),
        "values": [(names.get(juror, juror), labels.get(value, value)) for juror, value in item.values],
    }


def value_labels(framework: Framework) -> dict[str, str]:
    return dict(_levels(framework)) | {GridScore.NON_OBSERVABLE: _("Non observable")}


def juror_names(scores: Sequence[GridScore]) -> dict[str, str]:
    return {str(s.juror_id): s.juror.display_name for s in scores}


def grid_consensus(
    scores: Sequence[GridScore], grid: ScoringGrid, framework: Framework
) -> dict[str, dict[str, Any]]:
    """Per criterion of the dossier grid: the submitted jurors' consensus."""
    criteria = [c.id for phase in grid.phases for item in phase.items for c in item.criteria]
    result = consensus_of(criteria, {str(s.juror_id): s.levels for s in scores})
    labels, names = value_labels(framework), juror_names(scores)
    return {c: consensus_view(item, labels, names) for c, item in result.items()}


def sheet_consensus(
    scores: Sequence[GridScore], domains: Sequence[str], framework: Framework
) -> dict[str, dict[str, Any]]:
    """Per domain of the oral score sheet: the submitted jurors' consensus."""
    result = consensus_of(domains, {str(s.juror_id): s.oral_levels for s in scores})
    labels, names = value_labels(framework), juror_names(scores)
    return {d: consensus_view(item, labels, names) for d, item in result.items()}


def annotate_grid(phases: list[dict[str, Any]], consensus: Mapping[str, dict[str, Any]]) -> None:
    """Attach each criterion's consensus to the rows of ``grid_rows``; its sentence becomes the
    radio group's description (``aria-describedby``)."""
    for phase in phases:
        for item in phase["items"]:
            for criterion in item["criteria"]:
                c = consensus.get(criterion["id"])
                criterion["consensus"] = c
                criterion["hint"] = c["reason"] if c else ""


def oral_sheet_rows(
    framework: Framework,
    sheet: ScoreSheet | None,
    levels: Mapping[str, str],
    comments: Mapping[str, str],
    consensus: Mapping[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The oral score sheet, one row per domain: a radio group whose options are the levels with
    the sheet's text for each (Annexe 4 of seed 004), « non évalué », the comment, and the
    competences of the domain with their descriptor at each level (Annexe 5)."""
    if sheet is None:
        return []
    domains = {d.id: d for d in framework.domains}
    level_list = _levels(framework)
    rows = []
    for domain_id in sheet.domains:
        domain = domains.get(domain_id)
        competences = list(domain.competences) if domain else []
        agreement = (consensus or {}).get(domain_id)
        summary = _("Descripteurs des compétences du domaine %(id)s") % {"id": domain_id}
        described = _("Compétences du domaine : %(list)s. Descripteurs par niveau dans « %(summary)s ».") % {
            "list": " ; ".join(f"{c.id} {c.title}" for c in competences),
            "summary": summary,
        }
        rows.append(
            {
                "id": domain_id,
                "name": f"oral-{domain_id}",
                "legend": _("Domaine %(id)s — %(title)s")
                % {"id": domain_id, "title": domain.title if domain else domain_id},
                # A disagreement not yet decided checks nothing (not even « non évalué »).
                "value": levels.get(domain_id, "")
                or (None if agreement and agreement["disagreement"] else ""),
                "comment": comments.get(domain_id, ""),
                "hint": f"{agreement['reason']} {described}" if agreement else described,
                "consensus": agreement,
                "summary": summary,
                "options": [
                    {"value": i, "label": label, "hint": sheet.level_texts.get(i, "")}
                    for i, label in level_list
                ]
                + [{"value": "", "label": _("Non évalué"), "hint": ""}],
                "competences": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "descriptors": [(label, c.descriptors.get(i, "")) for i, label in level_list],
                    }
                    for c in competences
                ],
            }
        )
    return rows
