"""Consensus pre-fill: an item is pre-filled exactly when every juror who scored it gave one value."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from certeval.domain.juries.consensus import (
    AGREED,
    DISAGREEMENT,
    UNSCORED,
    consensus_of,
    disagreements,
    item_consensus,
    prefill,
)

ITEMS = ["1.1", "1.2", "2.1", "2.2"]
VALUES = st.sampled_from(["initie", "confirme", "avance", "expert", "non_observable", "", None])
GRIDS = st.dictionaries(st.sampled_from(ITEMS), VALUES)
SCORES = st.dictionaries(st.sampled_from(["J1", "J2", "J3", "J4"]), GRIDS, max_size=4)

LABELS = {"avance": "Avancé", "confirme": "Confirmé"}


def test_agreed_disagreement_and_unscored() -> None:
    scores = {
        "J1": {"1.1": "avance", "1.2": "avance", "2.1": ""},
        "J2": {"1.1": "avance", "1.2": "confirme"},
        "J3": {"1.1": None, "1.2": "avance"},
    }
    result = consensus_of(ITEMS, scores)
    assert result["1.1"].status == AGREED
    assert result["1.1"].agreed == "avance"
    assert result["1.2"].status == DISAGREEMENT
    assert result["1.2"].values == (("J1", "avance"), ("J2", "confirme"), ("J3", "avance"))
    assert result["2.1"].status == UNSCORED
    assert prefill(result) == {"1.1": "avance"}
    assert disagreements(result) == ["1.2"]


def test_reasons_are_french_sentences_with_labels_and_names() -> None:
    names = {"J1": "Alice", "J2": "Bruno"}
    split = item_consensus("1.2", {"J1": {"1.2": "avance"}, "J2": {"1.2": "confirme"}})
    assert split.reason(LABELS, names) == (
        "Désaccord entre les jurés (Alice : Avancé ; Bruno : Confirmé) : à trancher par le président."
    )
    same = item_consensus("1.1", {"J1": {"1.1": "avance"}, "J2": {"1.1": "avance"}})
    assert same.reason(LABELS, names) == "Accord des 2 juré(s) qui l'ont évalué : Avancé."
    assert item_consensus("2.1", {}).reason(LABELS, names) == "Aucun juré n'a évalué cet élément."


@given(SCORES)
def test_prefilled_exactly_when_every_juror_who_scored_agrees(
    scores: dict[str, dict[str, str | None]],
) -> None:
    result = consensus_of(ITEMS, scores)
    filled = prefill(result)
    for item in ITEMS:
        given_values = [grid.get(item) for grid in scores.values() if grid.get(item)]
        if given_values and len(set(given_values)) == 1:
            assert filled[item] == given_values[0]
            assert result[item].status == AGREED
        else:
            assert item not in filled
            assert result[item].status == (DISAGREEMENT if given_values else UNSCORED)
    assert set(disagreements(result)) | set(filled) | {
        i for i in ITEMS if result[i].status == UNSCORED
    } == set(ITEMS)


@given(SCORES, st.randoms())
def test_juror_order_does_not_change_the_outcome(
    scores: dict[str, dict[str, str | None]], rnd: random.Random
) -> None:
    jurors = list(scores)
    rnd.shuffle(jurors)
    shuffled = {j: scores[j] for j in jurors}
    assert prefill(consensus_of(ITEMS, scores)) == prefill(consensus_of(ITEMS, shuffled))
    assert disagreements(consensus_of(ITEMS, scores)) == disagreements(consensus_of(ITEMS, shuffled))


@given(SCORES)
def test_a_juror_who_did_not_score_changes_nothing(scores: dict[str, dict[str, str | None]]) -> None:
    with_absent = scores | {"absent": {item: "" for item in ITEMS}}
    assert prefill(consensus_of(ITEMS, with_absent)) == prefill(consensus_of(ITEMS, scores))
    assert disagreements(consensus_of(ITEMS, with_absent)) == disagreements(consensus_of(ITEMS, scores))


@given(SCORES, st.sampled_from(ITEMS), st.sampled_from(["initie", "expert"]))
def test_one_dissenting_juror_removes_the_prefill(
    scores: dict[str, dict[str, str | None]], item: str, value: str
) -> None:
    before = consensus_of(ITEMS, scores)[item]
    after = item_consensus(item, scores | {"dissent": {item: value}})
    if before.status == AGREED and before.agreed != value:
        assert after.status == DISAGREEMENT
        assert after.agreed is None
    if before.status == UNSCORED:
        assert after.agreed == value
