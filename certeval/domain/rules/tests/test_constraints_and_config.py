"""Dossier constraints and evidence checks; reading of the rules sections and their errors."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from certeval.domain.framework import freeze
from certeval.domain.rules import CaseError, RulesError, RuleSet
from certeval.domain.rules.tests.support import frameworks, rules


def statuses(result: Any) -> dict[str, str]:
    return {f["check"]: f["status"] for f in result.details["findings"]}


@pytest.mark.parametrize(
    ("pages", "status"), [(1, "failed"), (2, "ok"), (10, "ok"), (11, "failed"), (None, "not_applicable")]
)
def test_page_range(pages: int | None, status: str) -> None:
    result = rules("pix-plus-edu").evaluate({"component": "constraints", "pages": pages})
    assert statuses(result) == {"pages": status}
    assert result.details["compliant"] is (status != "failed")
    assert (result.level, result.outcome) == (None, None)


def test_page_reason() -> None:
    result = rules("pix-plus-edu").evaluate({"component": "constraints", "pages": 12})
    assert result.reasons[1].startswith("Dossier")
    assert result.reasons[1].endswith(": 12 pages, entre 2 et 10 pages attendues : non conforme")
    unchecked = rules("pix-plus-edu").evaluate({"component": "constraints"})
    assert statuses(unchecked) == {"pages": "not_checked"}
    assert unchecked.details["compliant"] is True


@pytest.mark.parametrize(("characters", "status"), [(140000, "ok"), (140001, "failed"), (0, "ok")])
def test_character_limit(characters: int, status: str) -> None:
    result = rules("titre-responsable-formation").evaluate(
        {"component": "constraints", "characters": characters}
    )
    assert statuses(result) == {"pages": "not_checked", "characters": status}
    assert "140\u202f000 caractères espaces compris" in result.reasons[2]


@pytest.mark.parametrize(("pages", "status"), [(1, "ok"), (4, "ok"), (5, "failed")])
def test_title_written_synthesis_is_at_most_four_pages(pages: int, status: str) -> None:
    """Seed 003, bloc 3: « une production écrite de quatre pages » (defect: never checked)."""
    rule = rules("titre-responsable-formation").constraints
    assert rule is not None and rule.pages is not None
    assert (rule.pages.component, rule.pages.maximum) == ("bloc-3-synthese", 4)
    result = rules("titre-responsable-formation").evaluate({"component": "constraints", "pages": pages})
    assert statuses(result)["pages"] == status
    assert rule.components == (
        ("bloc-3-synthese", "Production écrite de quatre pages"),
        ("bloc-4-ecrit", "Écrit professionnel"),
    )


def test_facilitateur_dep_minimums() -> None:
    evaluate = rules("facilitateur-apprentissage").evaluate
    result = evaluate(
        {"component": "constraints", "evidence": {"dep-situations": 1, "dep-parcours": 5, "C1-D1": 1}}
    )
    found = statuses(result)
    assert (found["dep-situations"], found["dep-parcours"], found["C1-D1"], found["C2-D1"]) == (
        "failed",
        "ok",
        "ok",
        "not_checked",
    )
    assert result.details["compliant"] is False
    assert any(
        "au moins 2 situations professionnelles vécues" in r and "1 déclaré(s), au moins 2 attendu(s)" in r
        for r in result.reasons
    )
    assert (
        evaluate({"component": "constraints", "evidence": {"dep-situations": 2, "dep-parcours": 4}}).details[
            "compliant"
        ]
        is False
    )


def test_langues_c2_and_gdpr() -> None:
    evaluate = rules("langues-vivantes-innovation").evaluate
    livrables = {f"E1-C{n}": 1 for n in range(1, 7)}
    ok = evaluate({"component": "constraints", "evidence": {**livrables, "C2-supports": 2, "C5-rgpd": True}})
    assert statuses(ok) == {**dict.fromkeys(livrables, "ok"), "C2-supports": "ok", "C5-rgpd": "ok"}
    ko = evaluate({"component": "constraints", "evidence": {"C2-supports": 1, "C5-rgpd": False}})
    assert statuses(ko) == {
        **dict.fromkeys(livrables, "not_checked"),
        "C2-supports": "failed",
        "C5-rgpd": "failed",
    }
    assert ko.reasons[0].startswith(
        "Contrôles du dossier : 8 contrôles — 0 conforme(s), 2 non conforme(s), 6 non vérifié(s)"
    )
    with pytest.raises(CaseError, match=r'^evidence\["C5-rgpd"\]: expected true or false, got a number$'):
        evaluate({"component": "constraints", "evidence": {"C5-rgpd": 1}})
    with pytest.raises(CaseError, match=r'^evidence\["C2-supports"\]: expected a count'):
        evaluate({"component": "constraints", "evidence": {"C2-supports": True}})
    with pytest.raises(CaseError, match=r"^pages: unknown key \(expected one of component, evidence\)$"):
        evaluate({"component": "constraints", "pages": 3})


# --- dispatch and configuration ---------------------------------------------------------------


def test_every_framework_reads() -> None:
    expected = {
        "crcn": [],
        "pix-plus-edu": ["dossier", "oral", "automated", "final", "constraints"],
        "inspe-crcn-edu": ["dossier", "automated", "final"],
        "langues-vivantes-innovation": ["final", "constraints"],
        "facilitateur-apprentissage": ["final", "constraints"],
        "titre-responsable-formation": ["final", "constraints"],
    }
    assert {fid: list(rules(fid).components) for fid in frameworks()} == expected


def test_unknown_component() -> None:
    with pytest.raises(
        CaseError,
        match=r"^component: unknown component 'oral' for framework 'titre-responsable-formation' "
        r"\(expected one of final, constraints, deliberation\)$",
    ):
        rules("titre-responsable-formation").evaluate({"component": "oral"})
    with pytest.raises(CaseError, match=r"^expected an object, got a list$"):
        rules("pix-plus-edu").evaluate([])
    with pytest.raises(CaseError, match=r"^component: required key is missing$"):
        rules("pix-plus-edu").evaluate({})


def with_rules(framework_id: str, change: dict[str, Any]) -> RuleSet:
    framework = frameworks()[framework_id]
    from certeval.domain.framework import plain

    data = plain(framework.rules)
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return RuleSet.from_framework(replace(framework, rules=freeze(data)), frameworks())


@pytest.mark.parametrize(
    ("framework", "change", "message"),
    [
        (
            "pix-plus-edu",
            {"dossier_grid.grid": "annexe-9"},
            r"^rules\.dossier_grid\.grid: unknown grid 'annexe-9'",
        ),
        (
            "pix-plus-edu",
            {"dossier_grid.min_criteria": 17},
            r"^rules\.dossier_grid\.min_criteria: 17 criteria required but grid",
        ),
        (
            "pix-plus-edu",
            {"dossier_grid.cascade.0.floor": "experte"},
            r"^rules\.dossier_grid\.cascade\[0\]\.floor: unknown level 'experte'",
        ),
        (
            "pix-plus-edu",
            {"dossier_grid.cascade.1.floor": "expert"},
            r"^rules\.dossier_grid\.cascade\[1\]\.floor: floor 'expert' is above",
        ),
        (
            "pix-plus-edu",
            {"dossier_grid.cascade.1.level": "expert"},
            r"^rules\.dossier_grid\.cascade\[1\]\.level: steps must go from the highest level down$",
        ),
        (
            "pix-plus-edu",
            {"oral_sheet.tie_break": "random"},
            r"^rules\.oral_sheet\.tie_break: unknown value 'random' \(expected one of lower, higher\)$",
        ),
        (
            "pix-plus-edu",
            {"automated.parts.crcn-edu.thresholds.avance": {"global": 1.5}},
            r'^rules\.automated\.parts\.crcn-edu\.thresholds\["avance"\]\.global: '
            r"expected a share between 0 and 1, got 1\.5$",
        ),
        (
            "pix-plus-edu",
            {"automated.parts.crcn.framework": "pix"},
            r"^rules\.automated\.parts\.crcn\.framework: unknown framework 'pix'",
        ),
        (
            "pix-plus-edu",
            {"automated.validity_years": 0},
            r"^rules\.automated\.validity_years: expected an integer ≥ 1, got 0$",
        ),
        (
            "pix-plus-edu",
            {"final.kind": "vote"},
            r"^rules\.final\.kind: unknown value 'vote' "
            r"\(expected one of joint_level, competences, blocks\)$",
        ),
        (
            "pix-plus-edu",
            {"final.default_policy": "lenient"},
            r"^rules\.final\.default_policy: unknown value 'lenient' \(expected one of joint, adjourn\)$",
        ),
        (
            "pix-plus-edu",
            {"constraints.pages.min": 11},
            r"^rules\.constraints\.pages: min 11 is greater than max 10$",
        ),
        ("pix-plus-edu", {"scoring": {}}, r"^rules\.scoring: unknown key"),
        (
            "titre-responsable-formation",
            {"final.blocks.0": "7"},
            r"^rules\.final\.blocks\[0\]: unknown bloc '7'",
        ),
        (
            "facilitateur-apprentissage",
            {"constraints.evidence.0": "nope"},
            r"^rules\.constraints\.evidence\[0\]: unknown evidence requirement 'nope'",
        ),
    ],
)
def test_rules_errors(framework: str, change: dict[str, Any], message: str) -> None:
    with pytest.raises(RulesError, match=message):
        with_rules(framework, change)


def test_settings_change_the_result() -> None:
    strict = with_rules("pix-plus-edu", {"automated.parts.crcn-edu.thresholds.initie": {"global": 0.3}})
    answers = [{"competence": "1.1", "correct": i < 5} for i in range(20)]
    case = {"component": "automated", "part": "crcn-edu", "answers": answers}
    assert rules("pix-plus-edu").evaluate(case).level == "initie"
    assert strict.evaluate(case).level is None
    assert strict.evaluate(case).reasons[-1] == "Aucun seuil n'est atteint : aucun niveau n'est attribué"
