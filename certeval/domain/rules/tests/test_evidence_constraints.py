"""Explicit constraints of competences (langues C2 and C5, seed 000) in the final decision and the
deliberation; the declarable evidence of the langues and Facilitateur référentiels."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from certeval.domain.loader import FrameworkError, framework_from_dict
from certeval.domain.rules import CaseError
from certeval.domain.rules.final import CompetenceRule
from certeval.domain.rules.tests.support import DATA_DIR, frameworks, rules

ALL = dict.fromkeys(["C1", "C2", "C3", "C4", "C5", "C6"], True)
SHOWN = {"C2-supports": 2, "C5-rgpd": True}


def langues_final() -> CompetenceRule:
    final = rules("langues-vivantes-innovation").final
    assert isinstance(final, CompetenceRule)
    return final


def test_the_yaml_names_the_explicit_constraints_and_the_declarable_evidence() -> None:
    final = langues_final()
    assert [(c.id, c.competence, c.minimum, c.kind) for c in final.constraints] == [
        ("C2-supports", "C2", 2, "count"),
        ("C5-rgpd", "C5", 1, "boolean"),
    ]
    assert "au moins deux plateformes ou avec au moins 2 outils numériques" in final.constraints[0].text
    assert "Le respect du RGPD" in final.constraints[1].text
    constraints = rules("langues-vivantes-innovation").constraints
    assert constraints is not None
    livrables = [f"E1-C{n}" for n in range(1, 7)]  # épreuve 1, per competence
    ids = [c.id for c in constraints.evidence]
    assert ids == [*livrables[:2], "C2-supports", *livrables[2:5], "C5-rgpd", livrables[5]]
    facilitateur = rules("facilitateur-apprentissage")
    assert isinstance(facilitateur.final, CompetenceRule)
    assert facilitateur.final.constraints == ()
    assert facilitateur.constraints is not None
    ids = [c.id for c in facilitateur.constraints.evidence]
    assert ids[:3] == ["dep-introduction", "dep-situations", "dep-parcours"]
    assert "dep-conclusion" in ids
    minimums = {c.id: c.minimum for c in facilitateur.constraints.evidence}
    assert (minimums["dep-situations"], minimums["dep-parcours"], minimums["C1-D1.1"]) == (2, 5, 1)
    decisions = " ".join(frameworks()["langues-vivantes-innovation"].decisions)
    assert "rules.final.evidence" in decisions


def _langues_document() -> dict[str, Any]:
    return dict(
        yaml.safe_load(Path(DATA_DIR, "langues-vivantes-innovation.yaml").read_text(encoding="utf-8"))
    )


def test_the_loader_refuses_an_unknown_constraint_or_one_outside_a_competence_decision() -> None:
    document = _langues_document()
    document["rules"]["final"]["evidence"] = ["C9-rien"]
    with pytest.raises(FrameworkError, match=r"rules\.final\.evidence\[0\]"):
        framework_from_dict(document)
    document = copy.deepcopy(_langues_document())
    document["rules"]["final"]["evidence"] = "C2-supports"
    with pytest.raises(FrameworkError, match=r"rules\.final\.evidence"):
        framework_from_dict(document)


def test_every_competence_validated_and_the_constraints_shown_certifies() -> None:
    result = langues_final().evaluate(ALL, SHOWN)
    assert result.outcome == "certified"
    assert (
        "Contraintes explicites : 2 contraintes, 2 satisfaite(s) d'après les preuves déclarées"
        in result.reasons
    )
    assert result.details["blocked"] == []


def test_one_platform_refuses_c2_with_its_reason_even_when_the_jury_validates_it() -> None:
    result = langues_final().evaluate(ALL, {"C2-supports": 1, "C5-rgpd": True})
    assert result.outcome == "not_certified"
    assert result.details["not_validated"] == ["C2"]
    assert result.details["blocked"] == ["C2"]
    reason = next(r for r in result.reasons if r.startswith("C2 ne peut pas être validée"))
    assert "(validation du jury écartée)" in reason
    assert (
        "au moins deux plateformes ou avec au moins 2 outils numériques — 1 déclaré(s), au moins 2" in reason
    )
    assert result.reasons[-1] == "1 compétence sur 6 sans validation : non certifié"


def test_gdpr_not_shown_or_nothing_declared_blocks_c5() -> None:
    no_gdpr = langues_final().evaluate(ALL, {"C2-supports": 3})
    assert no_gdpr.details["blocked"] == ["C5"]
    assert any("C5 ne peut pas être validée" in r and "non déclaré" in r for r in no_gdpr.reasons)
    nothing = langues_final().evaluate(ALL, None)
    assert nothing.details["blocked"] == ["C2", "C5"]
    assert nothing.outcome == "not_certified"


def test_a_competence_the_jury_refuses_keeps_its_refusal_and_the_reason_without_override() -> None:
    result = langues_final().evaluate({**ALL, "C2": False}, {"C2-supports": 1, "C5-rgpd": True})
    reason = next(r for r in result.reasons if r.startswith("C2 ne peut pas être validée"))
    assert "écartée" not in reason


def test_cases_read_evidence_for_final_and_deliberation() -> None:
    langues = rules("langues-vivantes-innovation")
    final = langues.evaluate({"component": "final", "competences": ALL, "evidence": SHOWN})
    assert final.outcome == "certified"
    deliberation = langues.evaluate(
        {
            "component": "deliberation",
            "on": "2026-06-01",
            "verdicts": {"competences": ALL},
            "evidence": {"C2-supports": 1, "C5-rgpd": True},
        }
    )
    assert deliberation.outcome == "not_certified"
    assert deliberation.details["final"]["details"]["blocked"] == ["C2"]
    with pytest.raises(CaseError, match=r'^evidence\["E1-C1"\]: unknown evidence requirement'):
        langues.evaluate({"component": "final", "competences": ALL, "evidence": {"E1-C1": 1}})
    with pytest.raises(CaseError, match=r'^evidence\["C5-rgpd"\]: expected true or false'):
        langues.evaluate({"component": "deliberation", "on": "2026-06-01", "evidence": {"C5-rgpd": 1}})
    with pytest.raises(CaseError, match=r"^evidence: framework 'facilitateur-apprentissage' has no explicit"):
        rules("facilitateur-apprentissage").evaluate(
            {"component": "deliberation", "on": "2026-06-01", "evidence": {"dep-parcours": 5}}
        )
