from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from certeval.domain.cat.design import (
    CutScores,
    DesignKind,
    DesignMismatchError,
    ShareOfCorrectRule,
    ShareThreshold,
    assemble_level_form,
    score,
)
from certeval.domain.cat.design import (
    TestDesign as Design,
)
from certeval.domain.cat.engine import CatEngine, SessionResult, StoppingRule
from certeval.domain.cat.estimation import Estimate
from certeval.domain.cat.form import FormSpec, PartSpec, Quota
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.simulation import simulate, synthetic_bank

CUTS = CutScores((("Initié", -1.5), ("Confirmé", -0.5), ("Avancé", 0.5), ("Expert", 1.5)))
SHARES = ShareOfCorrectRule(
    {
        "crcn": (
            ShareThreshold("Initié", 0.35, 0.0),
            ShareThreshold("Confirmé", 0.60, 0.50),
            ShareThreshold("Avancé", 0.75, 0.60),
            ShareThreshold("Expert", 0.85, 0.60),
        )
    }
)


def test_adaptive_design_refuses_share_of_correct_scoring() -> None:
    with pytest.raises(DesignMismatchError, match="share of correct answers stays near 50–79 %"):
        Design(DesignKind.ADAPTIVE, SHARES)
    with pytest.raises(DesignMismatchError, match="level form is scored by share-of-correct"):
        Design(DesignKind.LEVEL_FORM, CUTS)
    Design(DesignKind.ADAPTIVE, CUTS)
    Design(DesignKind.LEVEL_FORM, SHARES)


def test_share_of_correct_on_an_adaptive_form_does_not_follow_ability() -> None:
    """Why the refusal: low and high candidates end with about the same share of correct answers."""
    rng = np.random.default_rng(0)
    n = 300
    bank = ItemBank(
        tuple(f"i{i}" for i in range(n)),
        rng.uniform(0.8, 1.6, n),
        rng.uniform(-3, 3, n),
        np.zeros(n),
        np.ones(n),
    )
    engine = CatEngine(bank, StoppingRule(32))
    low = simulate(engine, np.full(60, -1.5), rng)
    high = simulate(engine, np.full(60, 1.5), rng)
    share_low, share_high = low.report.share_correct_mean, high.report.share_correct_mean
    assert 0.35 <= share_low <= 0.65 and 0.35 <= share_high <= 0.65
    assert share_high - share_low < 0.2
    # On one fixed form of 32 central items the same candidates would differ by far more...
    central = np.argsort(np.abs(bank.b))[:32]
    fixed_gap = bank.probability(1.5)[central].mean() - bank.probability(-1.5)[central].mean()
    assert fixed_gap > 0.6
    # ...and the ability estimates do separate them clearly.
    assert high.estimates.mean() - low.estimates.mean() > 2.4


def test_adaptive_scoring_uses_cut_scores_and_confidence(bank: ItemBank) -> None:
    engine = CatEngine(bank, StoppingRule(30))
    session = engine.start(np.random.default_rng(2))
    p = bank.probability(1.0)
    rng = np.random.default_rng(3)
    while (item := session.next_item()) is not None:
        session.answer(item, bool(rng.random() < p[item]))
    result = session.result()
    scored = score(Design(DesignKind.ADAPTIVE, CUTS), result, bank)
    expected = CUTS.level_of(Estimate(result.theta, result.se))
    assert scored.levels == {"crcn": expected}
    assert set(scored.domain_levels) == set(result.domains)
    assert scored.competences == result.competences
    cautious = CutScores(CUTS.levels, confidence=0.95)
    names = [name for name, _ in CUTS.levels]
    reached = cautious.level_of(Estimate(result.theta, result.se))
    assert reached is None or (expected is not None and names.index(reached) <= names.index(expected))


def test_level_form_scoring_with_shares() -> None:
    rng = np.random.default_rng(4)
    bank = synthetic_bank(64, rng)
    items = tuple(bank.ids[:20])
    responses = tuple([True] * 16 + [False] * 4)
    result = SessionResult(0.0, 0.3, items, responses, True, None)
    scored = score(Design(DesignKind.LEVEL_FORM, SHARES), result, bank, target_level="Avancé")
    assert scored.shares["crcn"] == pytest.approx(0.8)
    # 80 % overall reaches Avancé when every domain is at least 60 %.
    worst_domain = min(v for k, v in scored.shares.items() if k.startswith("crcn/"))
    assert scored.levels["crcn"] == ("Avancé" if worst_domain >= 0.6 else scored.levels["crcn"])
    with pytest.raises(ValueError, match="target level"):
        score(Design(DesignKind.LEVEL_FORM, SHARES), result, bank)


def test_level_form_assembly_meets_constraints_and_balances_exposure() -> None:
    rng = np.random.default_rng(5)
    bank = synthetic_bank(480, rng)
    form = FormSpec(16, (PartSpec("crcn", 16, Quota(1, 1)),))
    counts = np.zeros(len(bank), dtype=np.int64)
    forms = [assemble_level_form(bank, form, "Avancé", rng, counts, bands=CUTS) for _ in range(40)]
    for chosen in forms:
        assert len(set(chosen)) == 16
        assert Counter(bank.competence[i] for i in chosen) == Counter({c: 1 for c in set(bank.competence)})
        assert all(0.5 <= bank.b[i] < 1.5 for i in chosen)
    band = (bank.b >= 0.5) & (bank.b < 1.5)
    for competence in set(bank.competence):
        pool = counts[band & (np.array(bank.competence) == competence)]
        assert pool.max() - pool.min() <= 1  # least-exposed first: usage stays level across candidates
    with pytest.raises(ValueError, match="no item levels"):
        assemble_level_form(bank, form, "Avancé", rng, counts)


def test_adaptive_scoring_gives_a_level_per_part() -> None:
    rng = np.random.default_rng(9)
    base = synthetic_bank(200, rng)
    parts = tuple("crcn-edu" if i % 4 == 0 else "crcn" for i in range(200))
    bank = ItemBank(base.ids, base.a, base.b, base.c, base.d, base.competence, parts)
    form = FormSpec(30, (PartSpec("crcn-edu", 10, Quota(0, 3)), PartSpec("crcn", 20, Quota(0, 3))))
    session = CatEngine(bank, StoppingRule(30), form=form).start(rng)
    while (item := session.next_item()) is not None:
        session.answer(item, bank.part[item] == "crcn")  # strong on CRCN, weak on CRCN-Édu
    result = session.result()
    scored = score(Design(DesignKind.ADAPTIVE, CUTS), result, bank)
    assert set(scored.levels) == set(result.parts) == {"crcn", "crcn-edu"}
    assert scored.levels["crcn"] == "Expert" and scored.levels["crcn-edu"] in {None, "Initié"}
    assert result.parts["crcn"].theta > 1.5 and result.parts["crcn-edu"].theta < -1.0
