"""Final decisions: joint level with its two policies, competences, blocs; joint-level property."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certeval.domain.rules import CaseError
from certeval.domain.rules.tests.support import LEVELS, rules


def final(
    policy: str | None,
    auto: str | None,
    practice: str | None,
    on: str = "2025-06-01",
    obtained: str = "2024-05-10",
) -> dict[str, Any]:
    case: dict[str, Any] = {
        "component": "final",
        "on": on,
        "automated": {"level": auto, "obtained_on": obtained},
        "practice": {"level": practice},
    }
    if policy is not None:
        case["policy"] = policy
    return case


@pytest.mark.parametrize(
    ("policy", "auto", "practice", "level", "outcome"),
    [
        ("joint", "expert", "avance", "avance", "certified"),
        ("joint", "confirme", "expert", "confirme", "certified"),
        ("joint", "avance", "avance", "avance", "certified"),
        ("joint", "expert", "initie", "initie", "certified"),
        ("adjourn", "expert", "confirme", None, "adjourned"),
        ("adjourn", "expert", "avance", None, "adjourned"),
        ("adjourn", "avance", "avance", "avance", "certified"),
        ("adjourn", "avance", "expert", "avance", "certified"),
        (None, "expert", "confirme", None, "adjourned"),  # Pix+ Édu default policy: adjourn
        ("joint", "expert", None, None, "not_certified"),
        ("adjourn", "expert", None, None, "not_certified"),
        ("joint", None, "expert", None, "ineligible"),
    ],
)
def test_joint_level(
    policy: str | None, auto: str | None, practice: str | None, level: str | None, outcome: str
) -> None:
    result = rules("pix-plus-edu").evaluate(final(policy, auto, practice))
    assert (result.level, result.outcome) == (level, outcome), result.reasons


def test_adjourned_keeps_the_automated_result() -> None:
    result = rules("pix-plus-edu").evaluate(final("adjourn", "expert", "confirme", obtained="2024-02-29"))
    assert result.reasons[-1] == (
        "Le niveau de pratique professionnelle (Confirmé) est inférieur au niveau "
        "du volet automatisé (Expert) : "
        "candidat ajourné ; le résultat du volet automatisé reste valable jusqu'au 28/02/2027 inclus"
    )
    assert result.details["automated"]["valid_until"] == "2027-02-28"


@pytest.mark.parametrize(
    ("on", "outcome"),
    [("2027-05-10", "certified"), ("2027-05-11", "ineligible"), ("2024-05-10", "certified")],
)
def test_validity_boundary(on: str, outcome: str) -> None:
    result = rules("pix-plus-edu").evaluate(final("joint", "avance", "avance", on=on, obtained="2024-05-10"))
    assert result.outcome == outcome
    if outcome == "ineligible":
        assert "a expiré le 10/05/2027, avant le 11/05/2027 : candidat non recevable" in result.reasons[-1]


def test_missing_automated_is_ineligible() -> None:
    result = rules("pix-plus-edu").evaluate(
        {"component": "final", "on": "2025-01-01", "practice": {"level": "expert"}}
    )
    assert result.outcome == "ineligible"
    assert result.reasons[-1] == "Aucun résultat du volet automatisé : candidat non recevable"


def test_inspe_joint_only() -> None:
    inspe = rules("inspe-crcn-edu")
    result = inspe.evaluate(final(None, "expert", "avance"))
    assert (result.level, result.outcome, result.details["policy"]) == ("avance", "certified", "joint")
    with pytest.raises(CaseError, match=r"^policy: unknown value 'adjourn' \(expected one of joint\)$"):
        inspe.evaluate(final("adjourn", "expert", "avance"))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            final("joint", "expert", "avance", on="2024-01-01", obtained="2024-05-10"),
            r"^automated\.obtained_on: 2024-05-10 is after",
        ),
        (
            {"component": "final", "on": "2025-01-01", "automated": {"level": "expert"}},
            r"^automated\.obtained_on: required when",
        ),
        (
            final("joint", "expert", "Avancé"),
            r"^practice\.level: unknown level 'Avancé' "
            r"\(expected one of initie, confirme, avance, expert or null\)$",
        ),
        ({"component": "final", "automated": None}, r"^on: required key is missing$"),
        ({"component": "final", "on": "2025-01-01", "competences": {}}, r"^competences: unknown key"),
    ],
)
def test_joint_errors(case: dict[str, Any], message: str) -> None:
    with pytest.raises(CaseError, match=message):
        rules("pix-plus-edu").evaluate(case)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(("joint", "adjourn")), st.sampled_from(LEVELS), st.sampled_from(LEVELS))
def test_joint_level_never_exceeds_either_part(policy: str, auto: str, practice: str) -> None:
    result = rules("pix-plus-edu").evaluate(final(policy, auto, practice))
    if result.level is not None:
        assert LEVELS.index(result.level) <= min(LEVELS.index(auto), LEVELS.index(practice))
    assert result.outcome in {"certified", "adjourned"}


# --- competences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "competences", "outcome"),
    [
        ("facilitateur-apprentissage", dict.fromkeys(["C1", "C2", "C3", "C4", "C5"], True), "certified"),
        (
            "facilitateur-apprentissage",
            {"C1": True, "C2": True, "C3": True, "C4": True, "C5": False},
            "not_certified",
        ),
        ("facilitateur-apprentissage", {"C1": True, "C2": True, "C3": True, "C4": True}, "not_certified"),
        (
            "langues-vivantes-innovation",
            dict.fromkeys(["C1", "C2", "C3", "C4", "C5", "C6"], True),
            "certified",
        ),
        (
            "langues-vivantes-innovation",
            {**dict.fromkeys(["C1", "C2", "C3", "C4", "C5"], True), "C6": False},
            "not_certified",
        ),
    ],
)
def test_every_competence(framework: str, competences: dict[str, bool], outcome: str) -> None:
    case: dict[str, Any] = {"component": "final", "competences": competences}
    if framework == "langues-vivantes-innovation":  # its explicit constraints, shown
        case["evidence"] = {"C2-supports": 2, "C5-rgpd": True}
    result = rules(framework).evaluate(case)
    assert result.outcome == outcome
    assert result.level is None


def test_competence_reasons() -> None:
    result = rules("facilitateur-apprentissage").evaluate(
        {"component": "final", "competences": {"C1": True, "C2": True, "C3": False, "C4": True}}
    )
    assert result.reasons[1:] == (
        "Compétences validées : C1, C2 et C4 (3 sur 5)",
        "Non validée : C3",
        "Non évaluée : C5",
        "2 compétences sur 5 sans validation : non certifié",
    )
    assert result.details["not_evaluated"] == ["C5"]
    with pytest.raises(CaseError, match=r'^competences\["C7"\]: unknown competence'):
        rules("facilitateur-apprentissage").evaluate({"component": "final", "competences": {"C7": True}})


# --- blocs ------------------------------------------------------------------------------------


def blocks(held: list[str], interview: bool | None = True) -> dict[str, Any]:
    return {
        "component": "final",
        "blocks": {b: {"validated": True, "on": f"2024-0{b}-15"} for b in held},
        "final_interview": interview,
    }


@pytest.mark.parametrize(
    ("held", "interview", "outcome"),
    [
        (["1", "2", "3", "4", "5", "6"], True, "certified"),
        (["1", "2", "3", "4", "5", "6"], False, "not_certified"),
        (["1", "2", "3", "4", "5", "6"], None, "not_certified"),
        (["1", "2", "3", "5", "6"], True, "not_certified"),
        ([], True, "not_certified"),
    ],
)
def test_title_by_blocks(held: list[str], interview: bool | None, outcome: str) -> None:
    result = rules("titre-responsable-formation").evaluate(blocks(held, interview))
    assert result.outcome == outcome
    assert result.details["blocks_held"] == held


def test_title_reasons_list_the_blocks_held() -> None:
    case = blocks(["1", "2", "3", "5"], None)
    case["blocks"]["4"] = {"validated": False}
    result = rules("titre-responsable-formation").evaluate(case)
    assert result.reasons[1] == (
        "Blocs détenus : 1 (validé le 15/01/2024), 2 (validé le 15/02/2024), 3 (validé le 15/03/2024) "
        "et 5 (validé le 15/05/2024) (4 sur 6)"
    )
    assert result.reasons[2] == "Blocs non détenus : 4 (non validé) et 6 (non validé)"
    assert result.reasons[3] == "Entretien final : non passé"
    assert (
        result.reasons[4]
        == "Il manque les blocs 4 et 6 et la réussite à l'entretien final : titre non attribué"
    )
    assert result.details["blocks_missing"] == ["4", "6"]


def test_block_validity_setting() -> None:
    from dataclasses import replace

    rule = rules("titre-responsable-formation").final
    from certeval.domain.rules.final import BlockRule

    assert isinstance(rule, BlockRule)
    expiring = replace(rule, block_validity_years=5)
    case = blocks(["1", "2", "3", "4", "5", "6"])
    case["blocks"]["1"]["on"] = "2019-07-20"
    with pytest.raises(CaseError, match=r"^on: required"):
        expiring.evaluate_case(case)
    result = expiring.evaluate_case({**case, "on": "2024-07-21"})
    assert result.outcome == "not_certified"
    assert result.details["blocks_missing"] == ["1"]
    assert "1 (validé le 20/07/2019, expiré le 20/07/2024)" in result.reasons[2]
    assert expiring.evaluate_case({**case, "on": "2024-07-20"}).outcome == "certified"


def test_block_errors() -> None:
    evaluate = rules("titre-responsable-formation").evaluate
    with pytest.raises(
        CaseError, match=r'^blocks\["7"\]: unknown bloc \(expected one of 1, 2, 3, 4, 5, 6\)$'
    ):
        evaluate({"component": "final", "blocks": {"7": {"validated": True, "on": "2024-01-01"}}})
    with pytest.raises(CaseError, match=r'^blocks\["1"\]\.on: required: the day the bloc was validated$'):
        evaluate({"component": "final", "blocks": {"1": {"validated": True}}})
    with pytest.raises(CaseError, match=r"^final_interview: expected true or false, got a string$"):
        evaluate({"component": "final", "blocks": {}, "final_interview": "oui"})
