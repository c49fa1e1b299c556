from __future__ import annotations

import numpy as np
import pytest

from certeval.domain.cat.calibration import calibrate, simulate_responses
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
