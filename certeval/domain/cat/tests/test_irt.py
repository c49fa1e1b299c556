from __future__ import annotations

import numpy as np
import pytest

from certeval.domain.cat.irt import ItemBank, Model, information, probability


def test_probability_matches_the_closed_forms() -> None:
    theta, a, b, c, d = 0.7, np.array([1.4]), np.array([-0.2]), np.array([0.2]), np.array([0.95])
    expected = 0.2 + 0.75 / (1 + np.exp(-1.4 * 0.9))
    assert probability(theta, a, b, c, d)[0] == pytest.approx(expected)
    assert probability(theta, a, b, c, d, scale=1.702)[0] == pytest.approx(
        0.2 + 0.75 / (1 + np.exp(-1.702 * 1.4 * 0.9))
    )


def arr(value: float) -> np.ndarray:
    return np.array([value])


@pytest.mark.parametrize(
    ("a", "c", "d"), [(1.0, 0.0, 1.0), (1.7, 0.0, 1.0), (1.2, 0.25, 1.0), (0.8, 0.1, 0.9)]
)
def test_information_matches_the_textbook_formulas(a: float, c: float, d: float) -> None:
    thetas = np.linspace(-4, 4, 41)
    info = information(thetas[:, None], arr(a), arr(0.3), arr(c), arr(d))[:, 0]
    p = probability(thetas[:, None], arr(a), arr(0.3), arr(c), arr(d))[:, 0]
    textbook = a**2 * (p - c) ** 2 * (d - p) ** 2 / ((d - c) ** 2 * p * (1 - p))
    np.testing.assert_allclose(info, textbook, rtol=1e-10)
    if c == 0 and d == 1:  # 2PL: a²PQ
        np.testing.assert_allclose(info, a**2 * p * (1 - p), rtol=1e-10)
    # Fisher information is P'² / (PQ): check against a numerical derivative.
    h = 1e-5
    slope = (
        probability(thetas[:, None] + h, arr(a), arr(0.3), arr(c), arr(d))[:, 0]
        - probability(thetas[:, None] - h, arr(a), arr(0.3), arr(c), arr(d))[:, 0]
    ) / (2 * h)
    np.testing.assert_allclose(info, slope**2 / (p * (1 - p)), rtol=1e-5)


def test_information_stays_finite_far_from_the_item() -> None:
    info = information(
        np.array([-40.0, 40.0])[:, None], np.array([2.0]), np.array([0.0]), np.array([0.2]), np.ones(1)
    )
    assert np.all(np.isfinite(info)) and np.all(info >= 0)


def test_bank_validates_parameters_and_models() -> None:
    ids = ("x", "y")
    with pytest.raises(ValueError, match="a must be > 0"):
        ItemBank(ids, np.array([1.0, 0.0]), np.zeros(2), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match=r"c must be in \[0, 1\)"):
        ItemBank(ids, np.ones(2), np.zeros(2), np.array([0.0, 1.0]), np.ones(2))
    with pytest.raises(ValueError, match="duplicate item id 'x'"):
        ItemBank(("x", "x"), np.ones(2), np.zeros(2), np.zeros(2), np.ones(2))
    bank = ItemBank(
        ids, np.array([1.0, 2.0]), np.zeros(2), np.array([0.0, 0.2]), np.ones(2), competence=("1.2", "3.4")
    )
    assert bank.model is Model.THREE_PL
    assert bank.domain == ("1", "3")
    assert bank.as_model(Model.TWO_PL).model is Model.TWO_PL
    assert bank.as_model(Model.ONE_PL).model is Model.ONE_PL
    assert bank.probability(np.zeros(3)).shape == (3, 2)
