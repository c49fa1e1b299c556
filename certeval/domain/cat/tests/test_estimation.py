from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from certeval.domain.cat.estimation import GridSettings, GridTables, Posterior
from certeval.domain.cat.irt import ItemBank


def _likelihood(bank: ItemBank, items: list[int], responses: list[bool], theta: float) -> float:
    p = bank.probability(theta)[items]
    return float(np.prod(np.where(responses, p, 1 - p)))


@pytest.mark.parametrize("n_answers", [1, 5, 20])
def test_eap_matches_brute_force_integration(bank: ItemBank, n_answers: int) -> None:
    rng = np.random.default_rng(n_answers)
    items = [int(i) for i in rng.choice(len(bank), n_answers, replace=False)]
    responses = [bool(r) for r in rng.random(n_answers) < 0.6]
    posterior = Posterior(GridTables(bank, GridSettings(points=201)))
    for item, correct in zip(items, responses, strict=True):
        posterior.update(item, correct)

    def density(t: float) -> float:
        return _likelihood(bank, items, responses, t) * float(stats.norm.pdf(t))

    norm = integrate.quad(density, -8, 8, limit=200)[0]
    mean = integrate.quad(lambda t: t * density(t), -8, 8, limit=200)[0] / norm
    var = integrate.quad(lambda t: (t - mean) ** 2 * density(t), -8, 8, limit=200)[0] / norm
    estimate = posterior.eap()
    assert estimate.theta == pytest.approx(mean, abs=1e-4)
    assert estimate.se == pytest.approx(math.sqrt(var), abs=1e-4)
    # The default 61-point grid is close too.
    coarse = Posterior(GridTables(bank, GridSettings()))
    for item, correct in zip(items, responses, strict=True):
        coarse.update(item, correct)
    assert coarse.eap().theta == pytest.approx(mean, abs=2e-3)


def test_incremental_update_equals_recomputation(bank: ItemBank) -> None:
    tables = GridTables(bank, GridSettings())
    posterior = Posterior(tables)
    items, responses = [3, 17, 40, 99], [True, False, True, True]
    for item, correct in zip(items, responses, strict=True):
        posterior.update(item, correct)
    p = bank.probability(tables.nodes)[:, items]
    scratch = np.sum(np.where(responses, np.log(p), np.log1p(-p)), axis=1)
    np.testing.assert_allclose(posterior.log_likelihood, scratch, rtol=1e-9, atol=1e-9)


def test_map_and_ml_match_numerical_optimisation(bank: ItemBank) -> None:
    tables = GridTables(bank, GridSettings())
    items = list(range(0, 60, 3))
    responses = [i % 3 != 0 for i in range(len(items))]
    posterior = Posterior(tables)
    for item, correct in zip(items, responses, strict=True):
        posterior.update(item, correct)

    def neg_log(t: float, prior: bool) -> float:
        value = -math.log(_likelihood(bank, items, responses, t))
        return value + (t * t / 2 if prior else 0.0)

    map_ref = optimize.minimize_scalar(
        lambda t: neg_log(t, True), bounds=(-6, 6), method="bounded", options={"xatol": 1e-8}
    )
    ml_ref = optimize.minimize_scalar(
        lambda t: neg_log(t, False), bounds=(-6, 6), method="bounded", options={"xatol": 1e-8}
    )
    assert posterior.map(items, responses).theta == pytest.approx(map_ref.x, abs=1e-4)
    ml = posterior.ml(items, responses, previous=0.0)
    assert ml.theta == pytest.approx(ml_ref.x, abs=1e-4)
    assert ml.se == pytest.approx(1 / math.sqrt(posterior.test_information(items, ml.theta)))


def test_ml_falls_back_to_bounded_steps_while_all_right_or_all_wrong(bank: ItemBank) -> None:
    posterior = Posterior(GridTables(bank, GridSettings()))
    theta = 0.0
    for step in range(12):
        posterior.update(step, True)
        theta = posterior.ml(list(range(step + 1)), [True] * (step + 1), previous=theta).theta
    assert theta == 6.0  # moved by 0.7 per answer, then held at the grid bound
    wrong = Posterior(GridTables(bank, GridSettings()))
    wrong.update(0, False)
    assert wrong.ml([0], [False], previous=0.0).theta == pytest.approx(-0.7)


def test_grid_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        GridSettings(points=2)
    with pytest.raises(ValueError):
        GridSettings(prior_sd=0)


def test_interpolated_information_is_close_to_the_exact_value(bank: ItemBank) -> None:
    tables = GridTables(bank, GridSettings())
    out = np.empty(len(bank))
    for theta in (-2.33, -0.05, 0.71, 1.98):
        np.testing.assert_allclose(
            tables.information_at(theta, out), bank.information(theta), rtol=0.02, atol=1e-4
        )
