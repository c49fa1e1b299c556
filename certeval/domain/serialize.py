"""Framework → plain data: the JSON shown by ``frameworks show --json`` and the YAML export.

``framework_to_yaml`` writes the format that :mod:`certeval.domain.loader` reads, so loading its
output gives a framework with the same ``content_hash``.
"""

from __future__ import annotations

from typing import Any

import yaml

from certeval.domain.framework import (
    AssessmentComponent,
    Competence,
    Criterion,
    EvidenceRequirement,
    Framework,
    ScoringGrid,
    plain,
)


def _compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is ``None`` or an empty collection (the loader's defaults)."""
    return {k: v for k, v in mapping.items() if v is not None and v != [] and v != {}}


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return _compact(
        {
            "id": criterion.id,
            "text": criterion.text,
            "descriptors": dict(criterion.descriptors),
            "notes": criterion.notes,
        }
    )


def _evidence(requirement: EvidenceRequirement) -> dict[str, Any]:
    return _compact(
        {
            "id": requirement.id,
            "text": requirement.text,
            "competence": requirement.competence,
            "minimum": requirement.minimum,
            "kind": requirement.kind,
        }
    )


def _competence(competence: Competence) -> dict[str, Any]:
    return _compact(
        {
            "id": competence.id,
            "title": competence.title,
            "statement": competence.statement,
            "abilities": list(competence.abilities),
            "descriptors": dict(competence.descriptors),
            "criteria": [_criterion(c) for c in competence.criteria],
            "evidence": [_evidence(e) for e in competence.evidence],
            "notes": competence.notes,
        }
    )


def _component(component: AssessmentComponent) -> dict[str, Any]:
    return _compact(
        {
            "id": component.id,
            "kind": component.kind,
            "title": component.title,
            "description": component.description,
            "duration_minutes": component.duration_minutes,
            "limits": dict(component.limits),
            "deliverable": component.deliverable,
            "evidence": [_evidence(e) for e in component.evidence],
            "grid": component.grid,
            "assesses": list(component.assesses),
            "source": component.source,
        }
    )


def _grid(grid: ScoringGrid) -> dict[str, Any]:
    return _compact(
        {
            "id": grid.id,
            "title": grid.title,
            "levels": list(grid.levels),
            "source": grid.source,
            "phases": [
                {
                    "id": phase.id,
                    "title": phase.title,
                    "items": [
                        _compact(
                            {
                                "id": item.id,
                                "title": item.title,
                                "points": list(item.points),
                                "criteria": [_criterion(c) for c in item.criteria],
                            }
                        )
                        for item in phase.items
                    ],
                }
                for phase in grid.phases
            ],
        }
    ) | {"levels": list(grid.levels)}


def framework_to_document(fw: Framework) -> dict[str, Any]:
    """The framework in the YAML file format (see docs/frameworks.md)."""
    return _compact(
        {
            "id": fw.id,
            "title": fw.title,
            "version": fw.version,
            "source": _compact(
                {"seed": fw.source.seed, "section": fw.source.section, "title": fw.source.title}
            ),
            "description": fw.description,
            "levels": [{"id": level.id, "label": level.label} for level in fw.scale.levels],
            "groups": [{"id": g.id, "title": g.title} for g in fw.groups],
            "domains": [
                _compact(
                    {
                        "id": d.id,
                        "title": d.title,
                        "description": d.description,
                        "kind": d.kind,
                        "group": d.group,
                        "modality": d.modality,
                        "competences": [_competence(c) for c in d.competences],
                    }
                )
                for d in fw.domains
            ],
            "components": [_component(c) for c in fw.components],
            "grids": [_grid(g) for g in fw.grids],
            "score_sheets": [
                _compact(
                    {
                        "id": s.id,
                        "title": s.title,
                        "domains": list(s.domains),
                        "level_texts": dict(s.level_texts),
                        "notes": s.notes,
                    }
                )
                | {"domains": list(s.domains)}
                for s in fw.score_sheets
            ],
            "rules": plain(fw.rules),
            "extras": plain(fw.extras),
            "decisions": list(fw.decisions),
        }
    )


def framework_to_yaml(fw: Framework) -> str:
    return yaml.safe_dump(
        framework_to_document(fw), allow_unicode=True, sort_keys=False, width=110, default_flow_style=False
    )


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """JSON-ready view: the document plus ``content_hash`` and, in each grid, its flat ``criteria``."""
    document = framework_to_document(fw)
    grids = []
    for grid, data in zip(fw.grids, document.get("grids", []), strict=True):
        grids.append(
            data | {"criteria": [_criterion(c) | {"descriptors": dict(c.descriptors)} for c in grid.criteria]}
        )
    domains = [
        data | {"competences": [c | {"criteria": c.get("criteria", [])} for c in data["competences"]]}
        for data in document["domains"]
    ]
    return document | {
        "content_hash": fw.content_hash,
        "levels": document["levels"],
        "domains": domains,
        "grids": grids,
    }
