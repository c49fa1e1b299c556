from __future__ import annotations

import numpy as np
import pytest

from certeval.domain.cat.calibration import (
    NO_PRIORS,
    ItemPriors,
    calibrate,
    default_priors,
    simulate_responses,
)
from certeval.domain.cat.irt import ItemBank, Model


def make_bank(rng: np.random.Generator, n: int, guessing: bool) -> ItemBank:
    c = rng.uniform(0.1, 0.3, n) if guessing else np.zeros(n)
    return ItemBank(
        tuple(f"i{j}" for j in range(n)), rng.lognormal(0.1, 0.3, n), rng.normal(0, 1, n), c, np.ones(n)
    )


def test_2pl_calibration_recovers_parameters_with_sensible_standard_errors() -> None:
    rng = np.random.default_rng(1)
    truth = make_bank(rng, 25, guessing=False)
    responses = simulate_responses(truth, rng.normal(size=1500), rng)
    result = calibrate(responses, truth.ids)
    assert result.converged
    assert np.corrcoef(result.bank.b, truth.b)[0, 1] > 0.97
    assert np.corrcoef(result.bank.a, truth.a)[0, 1] > 0.9
    # Standard errors match the actual estimation error in size.
    z_b = (result.bank.b - truth.b) / result.se_b
    assert 0.5 < float(np.sqrt(np.mean(z_b**2))) < 1.6
    assert result.bank.ids == truth.ids


def test_3pl_calibration_and_missing_answers() -> None:
    rng = np.random.default_rng(2)
    truth = make_bank(rng, 20, guessing=True)
    responses = simulate_responses(truth, rng.normal(size=2000), rng)
    responses[rng.random(responses.shape) < 0.1] = np.nan
    result = calibrate(responses, model=Model.THREE_PL)
    assert np.corrcoef(result.bank.b, truth.b)[0, 1] > 0.9
    assert np.all((result.bank.c >= 0) & (result.bank.c <= 0.6))
    assert np.all(result.se_c > 0)


def test_misfitting_item_is_flagged() -> None:
    rng = np.random.default_rng(3)
    truth = make_bank(rng, 15, guessing=False)
    thetas = rng.normal(size=2000)
    responses = simulate_responses(truth, thetas, rng)
    # Item 0 answered right by the middle of the ability range only: not a monotone logistic curve.
    responses[:, 0] = (np.abs(thetas) < 0.7).astype(float)
    result = calibrate(responses)
    assert "misfit" in result.flags[0] or "low-discrimination" in result.flags[0]
    assert sum("misfit" in f for f in result.flags[1:]) <= 1


def test_unsupported_model_is_refused() -> None:
    with pytest.raises(ValueError, match="2PL and 3PL"):
        calibrate(np.zeros((5, 2)), model=Model.FOUR_PL)


def test_log_prior_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(4)
    priors = ItemPriors(log_a=(0.1, 0.5), b=(0.2, 2.0), c=(6.0, 16.0))
    point = [rng.uniform(0.4, 2.5, 5), rng.normal(0, 1.5, 5), rng.uniform(0.05, 0.45, 5)]
    analytic = priors.gradient(*point)
    step = 1e-6
    for which in range(3):
        for j in range(5):
            up = [x.copy() for x in point]
            down = [x.copy() for x in point]
            up[which][j] += step
            down[which][j] -= step
            numeric = (priors.log_density(*up) - priors.log_density(*down)) / (2 * step)
            assert analytic[which][j] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_guessing_prior_pulls_c_to_its_mode_when_data_are_uninformative() -> None:
    rng = np.random.default_rng(5)
    truth = make_bank(rng, 10, guessing=True)
    responses = simulate_responses(truth, rng.normal(size=60), rng)
    with_prior = calibrate(responses, model=Model.THREE_PL, priors=ItemPriors(c=(6.0, 16.0)))
    without = calibrate(responses, model=Model.THREE_PL, priors=NO_PRIORS)
    mode = 5.0 / 20.0
    assert np.mean(np.abs(with_prior.bank.c - mode)) < 0.05
    assert np.mean(np.abs(with_prior.bank.c - mode)) < np.mean(np.abs(without.bank.c - mode))
    # The prior's curvature keeps the standard errors of c finite, of the order of its spread (0.093).
    assert np.all(with_prior.se_c < 0.15)


@pytest.mark.parametrize(
    "priors", [None, ItemPriors(log_a=(0.0, 0.5), c=(6.0, 16.0))], ids=["default", "with-a"]
)
def test_priors_recover_a_small_3pl_bank_at_least_as_well_as_plain_mml(priors: ItemPriors | None) -> None:
    rng = np.random.default_rng(6)
    truth = make_bank(rng, 30, guessing=True)
    responses = simulate_responses(truth, rng.normal(size=1000), rng)
    bayes = calibrate(responses, model=Model.THREE_PL, priors=priors)
    plain = calibrate(responses, model=Model.THREE_PL, priors=NO_PRIORS)

    def rmse(estimate: np.ndarray, true: np.ndarray) -> float:
        return float(np.sqrt(np.mean((estimate - true) ** 2)))

    for name in ("a", "b", "c"):
        assert rmse(getattr(bayes.bank, name), getattr(truth, name)) <= rmse(
            getattr(plain.bank, name), getattr(truth, name)
        )
    assert np.corrcoef(bayes.bank.a, truth.a)[0, 1] >= np.corrcoef(plain.bank.a, truth.a)[0, 1]
    assert np.corrcoef(bayes.bank.b, truth.b)[0, 1] >= np.corrcoef(plain.bank.b, truth.b)[0, 1]


def test_default_priors_by_model_and_invalid_priors() -> None:
    assert default_priors(Model.TWO_PL) == NO_PRIORS
    assert default_priors(Model.THREE_PL) == ItemPriors(c=(6.0, 16.0))
    with pytest.raises(ValueError, match="needs the 3PL"):
        calibrate(np.zeros((5, 2)), priors=ItemPriors(c=(6.0, 16.0)))
    with pytest.raises(ValueError, match="positive standard deviation"):
        ItemPriors(log_a=(0.0, 0.0))
    with pytest.raises(ValueError, match="α ≥ 1"):
        ItemPriors(c=(0.5, 16.0))


def test_progress_is_reported_after_every_iteration_and_can_stop_the_run() -> None:
    rng = np.random.default_rng(7)
    truth = make_bank(rng, 8, guessing=False)
    responses = simulate_responses(truth, rng.normal(size=300), rng)
    seen: list[tuple[int, float]] = []
    result = calibrate(responses, progress=lambda iteration, change: seen.append((iteration, change)))
    assert [i for i, _ in seen] == list(range(1, result.iterations + 1))
    assert seen[-1][1] < 1e-3 <= seen[0][1]

    class Stop(Exception):
        pass

    def stop_at_third(iteration: int, change: float) -> None:
        if iteration == 3:
            raise Stop

    with pytest.raises(Stop):
        calibrate(responses, progress=stop_at_third)
