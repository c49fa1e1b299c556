"""Annexe 4 majority and the automated part's thresholds and validity."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from certeval.domain.rules import CaseError
from certeval.domain.rules.dates import valid_until
from certeval.domain.rules.tests.support import rules


def oral(*levels: str | None) -> dict[str, Any]:
    return {"component": "oral", "domains": {str(i + 1): level for i, level in enumerate(levels)}}


@pytest.mark.parametrize(
    ("levels", "level", "tie"),
    [
        (("avance", "avance", "avance", "confirme", "expert"), "avance", []),
        (("avance", "avance", "confirme", "confirme", "expert"), "confirme", ["confirme", "avance"]),
        (("avance", "avance", "confirme", "confirme", None), "confirme", ["confirme", "avance"]),
        (
            ("initie", "confirme", "avance", "expert", None),
            "initie",
            ["initie", "confirme", "avance", "expert"],
        ),
        (("expert", None, None, None, None), "expert", []),
        (("expert", "expert", "initie", "initie", "initie"), "initie", []),
        ((None, None, None, None, None), None, []),
    ],
)
def test_majority(levels: tuple[str | None, ...], level: str | None, tie: list[str]) -> None:
    result = rules("pix-plus-edu").evaluate(oral(*levels))
    assert result.level == level
    assert result.details["tie"] == tie
    if tie:
        assert "les sources ne tranchent pas" in result.reasons[-1]
        assert "(lower) retient le plus bas" in result.reasons[-1]


def test_majority_reasons() -> None:
    result = rules("pix-plus-edu").evaluate(oral("avance", "avance", "avance", "confirme", None))
    assert "Annexe 4" in result.reasons[0]
    assert result.reasons[0].endswith(
        "4 domaines positionnés : Avancé pour 3 domaines (1, 2 et 3) ; Confirmé pour 1 domaine (4)"
    )
    assert result.reasons[1] == "Niveau majoritaire Avancé (3 domaines sur 4) : niveau Avancé"


def test_tie_break_higher_setting() -> None:
    from dataclasses import replace

    rule = rules("pix-plus-edu").oral
    assert rule is not None
    higher = replace(rule, tie_break="higher")
    result = higher.evaluate({"1": "confirme", "2": "avance"})
    assert result.level == "avance"
    assert "(higher) retient le plus élevé" in result.reasons[-1]


def test_oral_errors() -> None:
    with pytest.raises(
        CaseError, match=r'^domains\["6"\]: unknown domain \(expected one of 1, 2, 3, 4, 5\)$'
    ):
        rules("pix-plus-edu").evaluate({"component": "oral", "domains": {"6": "expert"}})
    with pytest.raises(CaseError, match=r'^domains\["1"\]: unknown level \'Expert\''):
        rules("pix-plus-edu").evaluate({"component": "oral", "domains": {"1": "Expert"}})


# --- automated --------------------------------------------------------------------------------


def automated(part: str, per_domain: list[tuple[int, int]], **extra: Any) -> dict[str, Any]:
    """``per_domain[i] = (answered, correct)`` for domain i+1, on its first competence."""
    first = {"crcn-edu": ["1.1", "2.1", "3.1", "4.1", "5.1"], "crcn": ["1.1", "2.1", "3.1", "4.1", "5.1"]}[
        part
    ]
    answers = []
    for competence, (answered, correct) in zip(first, per_domain, strict=False):
        answers += [{"competence": competence, "correct": i < correct} for i in range(answered)]
    return {"component": "automated", "part": part, "answers": answers, **extra}


@pytest.mark.parametrize(
    ("per_domain", "level"),
    [
        ([(4, 4), (4, 4), (4, 3), (4, 3), (4, 3)], "expert"),  # 85 %, every domain ≥ 75 %
        ([(4, 4), (4, 4), (4, 3), (4, 3), (4, 2)], "confirme"),  # 80 % but domain 5 at 50 %
        ([(5, 5), (5, 4), (5, 4), (5, 3), (0, 0)], "expert"),  # exactly 80 %, 60 %; domain 5 unassessed
        ([(5, 5), (5, 3), (5, 3), (5, 4), (0, 0)], "avance"),  # 75 %, domains ≥ 60 %
        ([(4, 3), (4, 3), (4, 3), (4, 2), (4, 2)], "confirme"),  # 65 % but two domains at 50 %
        ([(5, 4), (5, 3), (5, 3), (5, 3), (0, 0)], "avance"),  # exactly 65 %, every domain ≥ 60 %
        ([(4, 2), (4, 2), (4, 2), (4, 2), (4, 2)], "confirme"),  # exactly 50 % everywhere
        ([(4, 4), (4, 4), (4, 4), (4, 1), (4, 4)], "initie"),  # 85 % but domain 4 at 25 %
        ([(4, 2), (4, 2), (4, 2), (4, 2), (4, 1)], "initie"),  # 45 %: no Initié threshold (setting)
        ([], None),
    ],
)
def test_crcn_edu_thresholds(per_domain: list[tuple[int, int]], level: str | None) -> None:
    result = rules("pix-plus-edu").evaluate(automated("crcn-edu", per_domain))
    assert result.level == level, result.reasons


@pytest.mark.parametrize(
    ("correct", "level"),
    [
        (20, "expert"),
        (17, "expert"),
        (16, "avance"),
        (15, "avance"),
        (14, "confirme"),
        (12, "confirme"),
        (11, "initie"),
    ],
)
def test_crcn_thresholds_have_no_domain_minimum(correct: int, level: str) -> None:
    # 20 answers, all in domain 1 except what the distribution needs: domain minima do not apply
    per_domain = [(16, max(0, correct - 4)), (4, min(4, correct))]
    result = rules("pix-plus-edu").evaluate(automated("crcn", per_domain))
    assert result.level == level, result.reasons


def test_automated_reasons_and_validity() -> None:
    case = automated("crcn-edu", [(4, 4), (4, 4), (4, 3), (4, 3), (4, 2)], obtained_on="2024-02-29")
    result = rules("pix-plus-edu").evaluate(case)
    assert result.level == "confirme"
    assert "16 réponses correctes sur 20, soit 80\u00a0%" in result.reasons[0]
    assert "5 : 2/4 (50\u00a0%)" in result.reasons[0]
    assert result.reasons[1] == (
        "80\u00a0% ≥ 80\u00a0% requis mais domaine 5 à 50\u00a0% < 60\u00a0% requis par domaine : "
        "le niveau Expert n'est pas atteint"
    )
    assert (
        result.reasons[3]
        == "80\u00a0% ≥ 50\u00a0% requis et chaque domaine évalué ≥ 50\u00a0% : niveau Confirmé"
    )
    assert result.reasons[4] == "Résultat obtenu le 29/02/2024, valable 3 ans : jusqu'au 28/02/2027 inclus"
    assert result.details["valid_until"] == "2027-02-28"
    assert result.details["domains"]["5"] == {"answered": 4, "correct": 2, "share": 0.5}


def test_automated_errors() -> None:
    evaluate = rules("pix-plus-edu").evaluate
    with pytest.raises(CaseError, match=r"^part: unknown part 'pix' \(expected one of crcn-edu, crcn\)$"):
        evaluate({"component": "automated", "part": "pix", "answers": []})
    with pytest.raises(
        CaseError, match=r"^answers\[1\]\.competence: unknown competence '1\.5' for part 'crcn'"
    ):
        evaluate(
            {
                "component": "automated",
                "part": "crcn",
                "answers": [{"competence": "1.1", "correct": True}, {"competence": "1.5", "correct": True}],
            }
        )
    with pytest.raises(CaseError, match=r"^answers\[0\]\.correct: expected true or false, got a number$"):
        evaluate(
            {"component": "automated", "part": "crcn-edu", "answers": [{"competence": "1.5", "correct": 1}]}
        )
    with pytest.raises(CaseError, match=r"^obtained_on: expected a date YYYY-MM-DD, got '2024-02-30'$"):
        evaluate({"component": "automated", "part": "crcn-edu", "answers": [], "obtained_on": "2024-02-30"})


@pytest.mark.parametrize(
    ("obtained", "years", "until"),
    [
        (date(2023, 5, 10), 3, date(2026, 5, 10)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 28), 3, date(2027, 2, 28)),
        (date(2023, 12, 31), 3, date(2026, 12, 31)),
    ],
)
def test_valid_until(obtained: date, years: int, until: date) -> None:
    assert valid_until(obtained, years) == until
