"""The title by blocs across sessions (seed 003): the record completing the jury's validations,
the final interview scored on its five points, the épreuves of the blocs a candidate presents,
the limits checked only for them, and the référentiel's new keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from certeval.domain.loader import FrameworkError, framework_from_dict, parse_yaml
from certeval.domain.rules import RuleSet
from certeval.domain.rules.constraints import ConstraintRule
from certeval.domain.rules.deliberation import Verdicts, VerdictsError, parse_verdicts
from certeval.domain.rules.errors import CaseError
from certeval.domain.rules.final import BlockRule, BlockStatus
from certeval.domain.rules.tests.support import DATA_DIR, frameworks, rules
from certeval.domain.rules.titre_blocs import (
    bloc_epreuves,
    deposit_components,
    interview_points,
    merge_record,
    oral_minutes,
)

TITRE = "titre-responsable-formation"
POINTS = ("EF.1", "EF.2", "EF.3", "EF.4", "EF.5")
MINUTES = {"oral_presentation": 20, "interview": 20, "final_interview": 30}


def document_of() -> dict[str, Any]:
    path = DATA_DIR / f"{TITRE}.yaml"
    return dict(parse_yaml(path.read_text(encoding="utf-8"), path.name))


def rule() -> BlockRule:
    final = rules(TITRE).final
    assert isinstance(final, BlockRule)
    return final


def test_the_final_interview_checks_the_five_points_of_the_seed() -> None:
    assert [p for p, _text in rule().interview_points] == list(POINTS)
    assert rule().interview_points[0][1] == "décrit correctement le métier et ses différentes activités,"
    assert rule().points_required == 5


def test_interview_passed_only_when_every_point_is_verified() -> None:
    final = rule()
    assert final.interview_from_points({}) is None
    assert final.interview_from_points(dict.fromkeys(POINTS, True)) is True
    assert final.interview_from_points(dict.fromkeys(POINTS[:4], True)) is False  # EF.5 not scored
    held = {b: BlockStatus(True, date(2026, 5, 2)) for b in "123456"}
    points = dict.fromkeys(POINTS, True) | {"EF.2": False}
    result = final.evaluate(held, None, date(2026, 6, 1), points)
    assert result.outcome == "not_certified"
    assert "Grille de l'entretien final : 4 point(s) vérifié(s) sur 5 (tous requis)" in result.reasons
    assert "Points non vérifiés : EF.2" in result.reasons
    assert result.details["final_interview_points"] == points
    assert final.evaluate(held, None, None, dict.fromkeys(POINTS, True)).outcome == "certified"


def test_a_minimum_of_points_is_a_setting_of_the_rule() -> None:
    document = document_of()
    document["rules"]["final"]["final_interview_min_points"] = 4
    framework = framework_from_dict(document, "titre.yaml")
    final = RuleSet.from_framework(framework, frameworks()).final
    assert isinstance(final, BlockRule)
    assert final.interview_from_points(dict.fromkeys(POINTS[:4], True)) is True


def test_unknown_interview_grid_is_refused_by_the_loader() -> None:
    document = document_of()
    document["rules"]["final"]["final_interview_grid"] = "entretien"
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document, "titre.yaml")
    assert any("rules.final.final_interview_grid" in p.path for p in info.value.problems)


def test_verdicts_read_the_points_and_refuse_what_contradicts_them() -> None:
    today = date(2026, 6, 1)
    verdicts = parse_verdicts(rule(), {"final_interview_points": dict.fromkeys(POINTS, True)}, today)
    assert verdicts.final_interview is True
    assert Verdicts.from_json(verdicts.to_json("blocks")) == verdicts
    with pytest.raises(VerdictsError) as info:
        parse_verdicts(rule(), {"final_interview_points": {"EF.9": True}}, today)
    assert info.value.code == "interview_point"
    with pytest.raises(VerdictsError) as info:
        parse_verdicts(rule(), {"final_interview": True, "final_interview_points": {"EF.1": False}}, today)
    assert info.value.code == "interview_value"
    with pytest.raises(CaseError, match="unknown point"):
        rule().evaluate_case({"component": "final", "blocks": {}, "final_interview_points": {"EF.6": True}})


def test_points_come_from_the_consensus_grid() -> None:
    consensus: dict[str, str | None] = {
        "EF.1": "acquis",
        "EF.2": "non-acquis",
        "CE1.1": "acquis",
        "EF.3": None,
    }
    assert interview_points(POINTS, consensus, "acquis") == {"EF.1": True, "EF.2": False}


def test_the_record_completes_the_jury_validations() -> None:
    jury = Verdicts(
        blocks={
            "4": BlockStatus(True, date(2026, 11, 7)),
            "2": BlockStatus(False, None),
            "1": BlockStatus(True, date(2026, 11, 7)),
        }
    )
    merged = merge_record(jury, {"1": date(2026, 5, 21), "2": date(2026, 5, 21), "3": date(2026, 5, 21)})
    assert merged.blocks == {
        "1": BlockStatus(True, date(2026, 5, 21)),  # the earliest validation stands
        "2": BlockStatus(True, date(2026, 5, 21)),  # a held bloc stays held
        "3": BlockStatus(True, date(2026, 5, 21)),
        "4": BlockStatus(True, date(2026, 11, 7)),
    }


def test_epreuves_of_the_blocs_presented() -> None:
    framework = frameworks()[TITRE]
    ids = [(e.component.id, e.oral) for e in bloc_epreuves(framework, ["3", "4"])]
    assert ids == [
        ("bloc-3-presentation", True),
        ("bloc-3-entretien", True),
        ("bloc-3-synthese", False),
        ("bloc-4-ecrit", False),
        ("bloc-4-oral", True),
    ]
    assert deposit_components(framework, ["1", "2", "5", "6"]) == ("bloc-1", "bloc-2", "bloc-5", "bloc-6")
    assert all(framework.component(c).deliverable for c in deposit_components(framework, "123456"))
    assert oral_minutes(framework, ["1", "2"], minutes=MINUTES, with_final_interview=False) == 0
    assert oral_minutes(framework, ["3"], minutes=MINUTES, with_final_interview=False) == 40
    assert oral_minutes(framework, ["4"], minutes=MINUTES, with_final_interview=True) == 50


def test_limits_are_checked_only_for_the_blocs_presented() -> None:
    framework = frameworks()[TITRE]
    constraints: Any = framework.rules["constraints"]
    full = ConstraintRule.from_mapping(constraints, framework=framework, path="rules.constraints")
    only4 = full.only(deposit_components(framework, ["4"]))
    assert only4.pages is None and only4.characters is not None
    assert [f.check for f in only4.findings(None, 150000, {})] == ["characters"]
