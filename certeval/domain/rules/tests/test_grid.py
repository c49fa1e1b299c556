"""Annexe 3 attribution rule: table at and around every boundary, then properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from certeval.domain.rules import CaseError
from certeval.domain.rules.tests.support import LEVELS, dossier, grid_criteria, rules

# (expert, avance, confirme, initie) → level
TABLE = [
    ((16, 0, 0, 0), "expert"),
    ((9, 7, 0, 0), "expert"),
    ((9, 0, 0, 0), "expert"),  # 7 unobserved criteria do not count against
    ((8, 8, 0, 0), "avance"),  # one short of 9 at Expert
    ((9, 6, 1, 0), "avance"),  # the issue's example: floor Avancé broken by one Confirmé
    ((9, 0, 0, 1), "confirme"),  # an Initié breaks both floors
    ((5, 4, 0, 0), "avance"),  # 9 at Avancé or above
    ((5, 4, 7, 0), "avance"),
    ((5, 3, 1, 0), "confirme"),  # 8 at Avancé or above
    ((0, 9, 0, 1), "confirme"),  # 9 at Avancé but one below Confirmé
    ((0, 8, 1, 0), "confirme"),
    ((0, 0, 9, 0), "confirme"),
    ((0, 0, 9, 7), "confirme"),  # Confirmé has no floor
    ((0, 0, 8, 1), "initie"),
    ((4, 4, 0, 1), "initie"),
    ((0, 0, 0, 9), "initie"),
    ((0, 0, 0, 16), "initie"),
    ((0, 0, 0, 8), None),
    ((2, 2, 2, 2), None),
    ((0, 0, 0, 0), None),
]


@pytest.mark.parametrize(("counts", "level"), TABLE)
def test_cascade(counts: tuple[int, int, int, int], level: str | None) -> None:
    for framework in ("pix-plus-edu", "inspe-crcn-edu"):
        result = rules(framework).evaluate(dossier(*counts))
        assert result.level == level, (framework, counts, result.reasons)
        assert result.outcome is None
        assert result.details["counts"] == dict(
            zip(("expert", "avance", "confirme", "initie"), counts, strict=True)
        )


def test_issue_example_reasons() -> None:
    result = rules("pix-plus-edu").evaluate(dossier(9, 6, 1))
    assert result.level == "avance"
    assert result.reasons[1:] == (
        "9 critères au niveau Expert mais 1 critère sous Avancé : le niveau Expert n'est pas atteint",
        "15 critères au niveau Avancé ou au-dessus (9 requis), aucun sous Confirmé : niveau Avancé",
    )
    assert "Annexe 3" in result.reasons[0]
    assert "16 critères observés sur 16" in result.reasons[0]


def test_no_level_reasons_name_every_step() -> None:
    result = rules("pix-plus-edu").evaluate(dossier(0, 0, 0, 8))
    assert result.level is None
    assert result.reasons[1] == (
        "0 critère au niveau Expert (9 requis) et 8 critères sous Avancé : le niveau Expert n'est pas atteint"
    )
    assert (
        result.reasons[4]
        == "8 critères au niveau Initié ou au-dessus (9 requis) : le niveau Initié n'est pas atteint"
    )
    assert result.reasons[-1] == "Aucune étape de la règle n'est satisfaite : aucun niveau n'est attribué"
    assert result.details["unobserved"] == 8


def test_short_and_below_floor_both_said() -> None:
    result = rules("pix-plus-edu").evaluate(dossier(7, 0, 2, 0))
    assert result.reasons[1] == (
        "7 critères au niveau Expert (9 requis) et 2 critères sous Avancé : "
        "le niveau Expert n'est pas atteint"
    )


def test_absent_criteria_are_unobserved() -> None:
    criteria = grid_criteria()
    result = rules("pix-plus-edu").evaluate(
        {"component": "dossier", "criteria": dict.fromkeys(criteria[:9], "expert")}
    )
    assert result.level == "expert"
    assert result.details["unobserved"] == 7


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (
            {"1.2": "experte"},
            "criteria[\"1.2\"]: unknown level 'experte' "
            "(expected one of initie, confirme, avance, expert or null)",
        ),
        ({"1.2": 3}, 'criteria["1.2"]: unknown level a number (expected one of'),
        ({"9.9": "expert"}, 'criteria["9.9"]: unknown criterion (expected one of 1.1, 1.2, 2.1'),
    ],
)
def test_invalid_criteria(criteria: dict[str, object], message: str) -> None:
    with pytest.raises(CaseError) as caught:
        rules("pix-plus-edu").evaluate({"component": "dossier", "criteria": criteria})
    assert str(caught.value).startswith(message)


def test_invalid_shape() -> None:
    with pytest.raises(CaseError, match=r"^criteria: expected an object, got a list$"):
        rules("pix-plus-edu").evaluate({"component": "dossier", "criteria": []})
    with pytest.raises(CaseError, match=r"^critera: unknown key \(expected one of component, criteria\)$"):
        rules("pix-plus-edu").evaluate({"component": "dossier", "critera": {}})


# --- properties -------------------------------------------------------------------------------

LEVEL_OR_NONE = st.sampled_from((None, *LEVELS))
GRIDS = st.lists(LEVEL_OR_NONE, min_size=16, max_size=16)


def level_of(levels: list[str | None]) -> str | None:
    case = {"component": "dossier", "criteria": dict(zip(grid_criteria(), levels, strict=True))}
    return rules("pix-plus-edu").evaluate(case).level


def rank(level: str | None) -> int:
    return -1 if level is None else LEVELS.index(level)


def reference(levels: list[str | None]) -> str | None:
    """Annexe 3 as written, one clause per line of the seed's table."""
    observed = [LEVELS.index(level) for level in levels if level is not None]

    def at_least(r: int) -> int:
        return sum(1 for x in observed if x >= r)

    if at_least(3) >= 9 and all(x >= 2 for x in observed):
        return "expert"
    if at_least(2) >= 9 and all(x >= 1 for x in observed):
        return "avance"
    if at_least(1) >= 9:
        return "confirme"
    if at_least(0) >= 9:
        return "initie"
    return None


@settings(max_examples=300, deadline=None)
@given(GRIDS)
def test_matches_the_seed_text(levels: list[str | None]) -> None:
    assert level_of(levels) == reference(levels)


@settings(max_examples=300, deadline=None)
@given(GRIDS, st.integers(0, 15), st.data())
def test_raising_one_criterion_never_lowers_the_level(
    levels: list[str | None], index: int, data: st.DataObject
) -> None:
    # Raising an observed criterion; observing a new one at a low level may break a floor.
    current = rank(levels[index])
    assume(current >= 0)
    before = level_of(levels)
    raised = data.draw(st.sampled_from(LEVELS[current + 1 :]) if current < 3 else st.just("expert"))
    after = level_of([*levels[:index], raised, *levels[index + 1 :]])
    assert rank(after) >= rank(before)


@settings(max_examples=200, deadline=None)
@given(GRIDS, st.randoms(use_true_random=False))
def test_order_does_not_matter(levels: list[str | None], random: object) -> None:
    shuffled = levels[:]
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert level_of(shuffled) == level_of(levels)
    criteria = dict(zip(grid_criteria(), levels, strict=True))
    reordered = dict(reversed(list(criteria.items())))
    evaluate = rules("pix-plus-edu").evaluate
    assert evaluate({"component": "dossier", "criteria": reordered}) == evaluate(
        {"component": "dossier", "criteria": criteria}
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(LEVEL_OR_NONE, min_size=0, max_size=15))
def test_adding_an_unobserved_criterion_changes_nothing(levels: list[str | None]) -> None:
    criteria = dict(zip(grid_criteria(), levels, strict=False))
    evaluate = rules("pix-plus-edu").evaluate
    before = evaluate({"component": "dossier", "criteria": criteria})
    extra = grid_criteria()[len(levels)]
    after = evaluate({"component": "dossier", "criteria": {**criteria, extra: None}})
    assert after == before
