from __future__ import annotations

import numpy as np
import pytest

from certeval.domain.cat.engine import (
    CatEngine,
    EngineSettings,
    Exposure,
    Selection,
    StoppingRule,
    StopReason,
)
from certeval.domain.cat.estimation import Estimator
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.simulation import calibrate_sympson_hetter, simulate, synthetic_bank


def run(engine: CatEngine, theta: float, rng: np.random.Generator, **start: object) -> list[int]:
    session = engine.start(rng, **start)  # type: ignore[arg-type]
    p = engine.bank.probability(theta)
    while (item := session.next_item()) is not None:
        session.answer(item, bool(rng.random() < p[item]))
    return session.items


def test_maximum_information_picks_the_most_informative_unused_item(bank: ItemBank) -> None:
    engine = CatEngine(bank, StoppingRule(10))
    session = engine.start(np.random.default_rng(0))
    for correct in (True, False, True, True, False):
        item = session.next_item()
        assert item is not None
        exact = bank.information(session.theta)
        exact[session.items] = -1
        assert exact[item] >= 0.99 * exact.max()
        session.answer(item, correct)


def test_seen_and_history_items_are_never_asked_and_history_counts(bank: ItemBank) -> None:
    engine = CatEngine(bank, StoppingRule(20))
    seen = list(bank.ids[:40])
    history = [(bank.ids[50], True), (bank.ids[51], True), (bank.ids[52], True)]
    session = engine.start(np.random.default_rng(1), seen=seen, history=history)
    assert session.theta > 0  # three right answers moved the starting estimate up
    items = run(engine, 0.0, np.random.default_rng(1), seen=seen, history=history)
    asked = {bank.ids[i] for i in items}
    assert not asked & set(seen) and not asked & {h[0] for h in history}


def test_accessibility_filter() -> None:
    rng = np.random.default_rng(2)
    base = synthetic_bank(60, rng)
    flags = tuple(frozenset({"screen-reader"}) if i % 3 == 0 else frozenset() for i in range(60))
    bank = ItemBank(base.ids, base.a, base.b, base.c, base.d, base.competence, base.part, accessibility=flags)
    engine = CatEngine(bank, StoppingRule(15))
    items = run(engine, 0.5, rng, needs=frozenset({"screen-reader"}))
    assert len(items) == 15 and all(i % 3 == 0 for i in items)


def test_stopping_rules(bank: ItemBank) -> None:
    rng = np.random.default_rng(3)
    by_se = CatEngine(bank, StoppingRule(60, target_se=0.45, min_items=5, min_answered=5))
    session = by_se.start(rng)
    while (item := session.next_item()) is not None:
        session.answer(item, bool(rng.random() < 0.5))
    result = session.result()
    assert result.stop_reason is StopReason.TARGET_SE and result.se <= 0.45 and len(result.items) < 60
    assert result.valid
    timed = CatEngine(bank, StoppingRule(40, time_budget_s=100, min_answered=20))
    session = timed.start(rng)
    while (item := session.next_item()) is not None:
        session.answer(item, True, seconds=30)
    result = session.result()
    assert result.stop_reason is StopReason.TIME and len(result.items) == 4 and not result.valid
    with pytest.raises(ValueError):
        StoppingRule(5, min_answered=6)
    small = ItemBank(bank.ids[:6], bank.a[:6], bank.b[:6], bank.c[:6], bank.d[:6])
    session = CatEngine(small, StoppingRule(10)).start(rng)
    while (item := session.next_item()) is not None:
        session.answer(item, True)
    assert session.result().stop_reason is StopReason.EXHAUSTED and len(session.items) == 6


def test_randomesque_and_step_cap(bank: ItemBank) -> None:
    rng = np.random.default_rng(4)
    plain = {
        tuple(run(CatEngine(bank, StoppingRule(5)), 0.0, np.random.default_rng(s))[:1]) for s in range(5)
    }
    assert len(plain) == 1  # maximum information starts every candidate on the same item
    engine = CatEngine(
        bank, StoppingRule(5), EngineSettings(selection=Selection.RANDOMESQUE, randomesque_k=5)
    )
    firsts = {run(engine, 0.0, np.random.default_rng(s))[0] for s in range(30)}
    assert 2 <= len(firsts) <= 5
    capped = CatEngine(bank, StoppingRule(5), EngineSettings(step_cap=0.2)).start(rng)
    item = capped.next_item()
    assert item is not None
    capped.answer(item, True)
    assert capped.theta == pytest.approx(0.2)
    assert capped.estimate.theta > 0.3


@pytest.mark.parametrize("estimator", list(Estimator))
def test_estimators_recover_ability(bank_2pl: ItemBank, estimator: Estimator) -> None:
    engine = CatEngine(bank_2pl, StoppingRule(30), EngineSettings(estimator=estimator))
    thetas = np.random.default_rng(5).normal(size=60)
    report = simulate(engine, thetas, np.random.default_rng(6)).report
    assert report.rmse < 0.45 and abs(report.bias) < 0.15


def test_result_has_per_competence_and_domain_estimates(bank: ItemBank) -> None:
    engine = CatEngine(bank, StoppingRule(24))
    session = engine.start(np.random.default_rng(7))
    while (item := session.next_item()) is not None:
        session.answer(item, True)
    result = session.result()
    assert set(result.competences) <= {f"crcn/{c}" for c in set(bank.competence)}
    assert set(result.domains) <= {f"crcn/{d}" for d in "12345"}
    assert all(est.se > 0 for est in result.competences.values())
    assert result.share_correct == 1.0


def test_sympson_hetter_keeps_exposure_under_the_target() -> None:
    rng = np.random.default_rng(8)
    bank = synthetic_bank(200, rng)
    stopping = StoppingRule(10)
    settings = EngineSettings(exposure=Exposure.SYMPSON_HETTER, exposure_target=0.3)
    thetas = rng.normal(size=400)
    plain = simulate(CatEngine(bank, stopping), thetas, np.random.default_rng(9)).report
    assert plain.exposure_max > 0.6
    k = calibrate_sympson_hetter(
        lambda k: CatEngine(bank, stopping, settings, None, k), 400, rng, 0.3, iterations=10
    )
    controlled = simulate(CatEngine(bank, stopping, settings, None, k), rng.normal(size=400), rng).report
    assert controlled.exposure_max <= 0.3 + 0.03  # 0.03: about 1.3 sampling SDs of one rate at n = 400
    assert controlled.rmse < 1.25 * plain.rmse


def test_progressive_restricted_lowers_exposure() -> None:
    rng = np.random.default_rng(10)
    bank = synthetic_bank(200, rng)
    thetas = rng.normal(size=300)
    plain = simulate(CatEngine(bank, StoppingRule(10)), thetas, np.random.default_rng(11)).report
    engine = CatEngine(
        bank, StoppingRule(10), EngineSettings(exposure=Exposure.PROGRESSIVE, exposure_target=0.3)
    )
    progressive = simulate(engine, thetas, np.random.default_rng(11)).report
    assert progressive.exposure_max < plain.exposure_max
    assert progressive.items_never_used_pct < plain.items_never_used_pct


def test_engine_rejects_mismatched_settings(bank: ItemBank) -> None:
    with pytest.raises(ValueError):
        EngineSettings(randomesque_k=0)
    with pytest.raises(ValueError):
        CatEngine(bank, StoppingRule(10), sympson_hetter=np.ones(3))
