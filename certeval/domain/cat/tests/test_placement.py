from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certeval.domain.cat.engine import CatEngine, EngineSettings, Selection, StoppingRule
from certeval.domain.cat.estimation import GridSettings, GridTables
from certeval.domain.cat.form import FormSpec, PartSpec, Quota
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.placement import (
    Placement,
    PlacementSettings,
    point_estimate_level,
    recentred_eap,
    simulate_placement,
)
from certeval.domain.cat.simulation import synthetic_bank

CUTS = (("confirme", -1.0), ("avance", 0.0), ("expert", 1.0))
BANK = synthetic_bank(160, np.random.default_rng(7))
LEVELS = ("initie", "confirme", "avance", "expert")
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def placement_settings(**overrides: object) -> PlacementSettings:
    values: dict[str, object] = {"base_level": "initie", "cuts": CUTS, "max_items": 20}
    values.update(overrides)
    return PlacementSettings(**values)  # type: ignore[arg-type]


def play(run: Placement, theta: float, rng: np.random.Generator) -> list[int]:
    p = run.bank.probability(theta)
    asked = []
    while (item := run.next_item()) is not None:
        asked.append(item)
        run.answer(item, bool(rng.random() < p[item]))
    return asked


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cuts": ()}, "at least one"),
        ({"cuts": (("confirme", 0.0), ("avance", 0.0))}, "strictly increase"),
        ({"cuts": (("confirme", 1.0), ("avance", 0.0))}, "strictly increase"),
        ({"cuts": (("confirme", float("nan")),)}, "finite"),
        ({"cuts": (("initie", 0.0),)}, "distinct"),
        ({"base_level": ""}, "base_level"),
        ({"max_items": 0}, "max_items must be ≥ 1"),
        ({"min_items": 0}, "min_items must be ≥ 1"),
        ({"confidence": 1.0}, r"confidence must be in \(0, 1\)"),
        ({"confidence": 0.0}, r"confidence must be in \(0, 1\)"),
        ({"stop_confidence": 1.5}, "stop_confidence"),
        ({"target_se": 0.0}, "target_se must be > 0"),
    ],
)
def test_settings_refuse_bad_values(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        placement_settings(**overrides)


def test_defaults() -> None:
    s = placement_settings()
    assert (s.confidence, s.min_items, s.stop_when_decided, s.target_se, s.stop_confidence) == (
        0.8,
        16,
        True,
        None,
        0.9,
    )
    assert s.levels == LEVELS and s.label("avance") == "Avancé"
    assert placement_settings(labels=(("avance", "Niveau 3"),)).label("avance") == "Niveau 3"


def test_point_estimate_level() -> None:
    assert point_estimate_level(-1.2, CUTS, "initie") == "initie"
    assert point_estimate_level(-1.0, CUTS, "initie") == "confirme"
    assert point_estimate_level(0.4, CUTS, "initie") == "avance"
    assert point_estimate_level(3.0, CUTS, "initie") == "expert"


def test_recentred_eap_follows_pix() -> None:
    tables = GridTables(BANK, GridSettings())
    assert recentred_eap(tables, [], []) == 0.0
    # One answer: the EAP of the likelihood times N(0, 1.5).
    log_post = tables.log_p[3] - tables.nodes**2 / 3.0
    weights = np.exp(log_post - log_post.max())
    assert recentred_eap(tables, [3], [True]) == pytest.approx(weights @ tables.nodes / weights.sum())
    # The prior follows the candidate: ten right answers end further out than under a fixed N(0, 1) prior.
    items = list(range(10))
    fixed = tables.log_prior + tables.log_p[items].sum(axis=0)
    fixed_weights = np.exp(fixed - fixed.max())
    assert recentred_eap(tables, items, [True] * 10) > fixed_weights @ tables.nodes / fixed_weights.sum()


@SLOW
@given(st.lists(st.booleans(), min_size=1, max_size=25), st.integers(0, 24), st.floats(0.5, 0.95))
def test_level_is_monotone_in_answers_and_never_above_the_point_estimate(
    answers: list[bool], flip: int, confidence: float
) -> None:
    ids = [BANK.ids[i] for i in range(0, 2 * len(answers), 2)]
    config = placement_settings(confidence=confidence, max_items=30)
    before = Placement(BANK, config, np.random.default_rng(0), answered=zip(ids, answers, strict=True))
    better = list(answers)
    better[flip % len(answers)] = True
    after = Placement(BANK, config, np.random.default_rng(0), answered=zip(ids, better, strict=True))
    first, second = before.decision(), after.decision()
    assert LEVELS.index(second.level) >= LEVELS.index(first.level)
    assert all(second.probabilities[name] >= first.probabilities[name] - 1e-12 for name, _ in CUTS)
    for decision in (first, second):
        point = point_estimate_level(decision.theta, CUTS, "initie")
        assert LEVELS.index(decision.level) <= LEVELS.index(point)
        probabilities = [decision.probabilities[name] for name, _ in CUTS]
        assert probabilities == sorted(probabilities, reverse=True)
        k = LEVELS.index(decision.level)
        assert k == 0 or decision.probabilities[LEVELS[k]] >= confidence
        assert decision.answered == len(answers) and decision.reasons[0].startswith("Niveau proposé")


@SLOW
@given(
    st.floats(-2.5, 2.5),
    st.integers(0, 2**16),
    st.sets(st.integers(0, 159), max_size=40),
    st.booleans(),
)
def test_deterministic_rebuilt_and_never_asks_seen_items(
    theta: float, seed: int, seen_indices: set[int], randomesque: bool
) -> None:
    engine_settings = EngineSettings(selection=Selection.RANDOMESQUE if randomesque else Selection.MAXINFO)
    config = placement_settings(max_items=24, min_items=8)
    seen = [BANK.ids[i] for i in seen_indices]

    def live() -> tuple[Placement, list[int], list[bool]]:
        run = Placement(BANK, config, np.random.default_rng(seed), seen=seen, engine_settings=engine_settings)
        answers_rng = np.random.default_rng(seed + 1)
        p = BANK.probability(theta)
        items, responses = [], []
        while (item := run.next_item()) is not None:
            items.append(item)
            responses.append(bool(answers_rng.random() < p[item]))
            run.answer(item, responses[-1])
        return run, items, responses

    run, items, responses = live()
    assert not set(items) & seen_indices
    assert len(set(items)) == len(items) <= 24
    again, items_again, _ = live()
    assert items_again == items and again.decision() == run.decision()
    # Rebuilt from any prefix of the answers, the run asks the question the live run asked next.
    for cut in range(len(items)):
        rebuilt = Placement(
            BANK,
            config,
            np.random.default_rng(seed),
            seen=seen,
            engine_settings=engine_settings,
            answered=[(BANK.ids[i], r) for i, r in zip(items[:cut], responses[:cut], strict=True)],
        )
        assert rebuilt.next_item() == items[cut]
    finished = Placement(
        BANK,
        config,
        np.random.default_rng(seed),
        seen=seen,
        engine_settings=engine_settings,
        answered=[(BANK.ids[i], r) for i, r in zip(items, responses, strict=True)],
    )
    assert finished.next_item() is None and finished.decision() == run.decision()


def test_needs_are_respected() -> None:
    rng = np.random.default_rng(3)
    access = tuple(frozenset({"screen-reader"}) if i % 3 else frozenset() for i in range(len(BANK)))
    bank = ItemBank(BANK.ids, BANK.a, BANK.b, BANK.c, BANK.d, BANK.competence, accessibility=access)
    run = Placement(bank, placement_settings(max_items=40), rng, needs=frozenset({"screen-reader"}))
    asked = play(run, 0.3, rng)
    assert asked and all(i % 3 for i in asked)


def test_unknown_or_unaskable_answers_are_refused() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="not in the bank"):
        Placement(BANK, placement_settings(), rng, answered=[("nope", True)])
    run = Placement(BANK, placement_settings(), rng, seen=[BANK.ids[5]])
    with pytest.raises(ValueError, match="cannot be asked"):
        run.answer(5, True)
    with pytest.raises(ValueError, match="outside the bank"):
        run.answer(1000, True)
    with pytest.raises(ValueError, match="same bank"):
        Placement(BANK, placement_settings(), rng, engine=CatEngine(BANK, StoppingRule(99)))


def test_stops_once_decided_and_explains_in_french() -> None:
    rng = np.random.default_rng(4)
    run = Placement(BANK, placement_settings(max_items=60), rng)
    asked = play(run, 2.8, rng)
    decision = run.decision()
    assert decision.finished and decision.stop_reason == "decided"
    assert 16 <= len(asked) < 60 and decision.level == "expert"
    assert decision.probabilities["expert"] >= 0.9
    assert any("s'est arrêté" in reason for reason in decision.reasons)
    assert decision.reasons[0] == "Niveau proposé : Expert."
    # Without early stop, the same candidate answers every question.
    full = Placement(BANK, placement_settings(max_items=60, stop_when_decided=False), rng)
    assert len(play(full, 2.8, rng)) == 60 and full.decision().stop_reason == "max-items"


def test_base_level_when_no_cut_is_cleared() -> None:
    rng = np.random.default_rng(5)
    run = Placement(BANK, placement_settings(max_items=30), rng)
    start = run.decision()  # before any answer, the prior N(0, 1): P(θ ≥ −1) = 0.84
    assert start.level == "confirme" and not start.finished and start.answered == 0
    assert start.probabilities["confirme"] == pytest.approx(0.841, abs=0.01)
    play(run, -3.0, rng)
    decision = run.decision()
    assert decision.level == "initie" and decision.probabilities["confirme"] < 0.8
    assert "niveau de départ" in decision.reasons[1]


def test_target_se_and_bank_exhausted() -> None:
    rng = np.random.default_rng(6)
    run = Placement(BANK, placement_settings(max_items=80, stop_when_decided=False, target_se=0.45), rng)
    play(run, 0.0, rng)
    assert run.decision().stop_reason == "target-se" and run.decision().se <= 0.45
    small = synthetic_bank(12, rng)
    run = Placement(small, placement_settings(max_items=30, stop_when_decided=False), rng)
    assert len(play(run, 0.0, rng)) == 12 and run.decision().stop_reason == "bank-exhausted"
    with pytest.raises(ValueError, match="is over"):
        run.answer(0, True)


def test_form_quotas_hold_and_an_early_stop_waits_for_the_minimums() -> None:
    rng = np.random.default_rng(9)
    parts = tuple("crcn-edu" if i % 4 == 0 else "crcn" for i in range(len(BANK)))
    bank = ItemBank(BANK.ids, BANK.a, BANK.b, BANK.c, BANK.d, BANK.competence, parts)
    form = FormSpec(48, (PartSpec("crcn", 36, Quota(1, 4)), PartSpec("crcn-edu", 12, Quota(1, 4))))
    competences = {(p, c) for p, c in zip(bank.part, bank.competence, strict=True)}
    with pytest.raises(ValueError, match="the form has 48 questions"):
        Placement(bank, placement_settings(max_items=40), rng, form=form)
    for theta, min_items in ((2.8, 4), (0.0, 16)):
        run = Placement(bank, placement_settings(max_items=48, min_items=min_items), rng, form=form)
        asked = play(run, theta, rng)
        counts = Counter((bank.part[i], bank.competence[i]) for i in asked)
        # Every competence of the form is visited before any early stop, none beyond its maximum.
        assert set(counts) == competences
        assert all(n <= 4 for n in counts.values())
        if run.decision().stop_reason == "max-items":
            assert Counter(bank.part[i] for i in asked) == {"crcn": 36, "crcn-edu": 12}
    assert run.decision().finished


def test_history_is_folded_in_and_never_asked_again() -> None:
    history = [(BANK.ids[i], True) for i in range(8)]
    rng = np.random.default_rng(6)
    run = Placement(BANK, placement_settings(max_items=12), rng, history=history)
    assert run.decision().probabilities["avance"] > 0.5  # eight right answers before the first question
    asked = play(run, 1.8, rng)
    assert not set(asked) & set(range(8)) and run.decision().answered == len(asked)
    assert run.decision().level in {"avance", "expert"}


def test_simulation_counts_both_rules_on_the_same_candidates() -> None:
    rng = np.random.default_rng(11)
    thetas = rng.normal(size=150)
    config = placement_settings(max_items=30)
    comparison = simulate_placement(BANK, thetas, config, np.random.default_rng(1))
    again = simulate_placement(BANK, thetas, config, np.random.default_rng(1))
    assert comparison.as_dict() == again.as_dict()
    figures = comparison.as_dict()
    assert figures["candidates"] == 150
    for rule in ("ours", "point_estimate"):
        tally = figures[rule]
        assert isinstance(tally, dict)
        assert tally["over_placed"] + tally["under_placed"] + tally["exact"] == pytest.approx(1.0)
    ours, point = comparison.ours.as_dict(), comparison.point_estimate.as_dict()
    assert point["mean_length"] == 30 and ours["mean_length"] < 30 and ours["stopped_early"] > 0
    assert ours["over_placed"] < point["over_placed"]
