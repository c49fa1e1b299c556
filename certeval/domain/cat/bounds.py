"""Lower bounds on the RMSE of any ability estimator for a bank, a test length and a N(μ, σ²) ability
distribution.

For any test of L items from the bank, adaptive or not, the Fisher information the responses carry
about θ is at most J_L(θ), the sum of the L largest item informations at θ (an adaptive test picks each
item among the bank, and the expected information of the response process is a sum of L item
informations). The van Trees inequality (Bayesian Cramér–Rao bound) then gives, for every estimator,

    E[(θ̂ − θ)²] ≥ 1 / (E_θ[J_L(θ)] + 1/σ²),

1/σ² being the Fisher information of the normal prior. :func:`van_trees_bound` returns the square root.
:func:`pointwise_bound` returns sqrt(E_θ[1 / (J_L(θ) + 1/σ²)]), the average of the per-θ Bayesian
bounds; by Jensen's inequality it is the larger (tighter) of the two, but it is an approximation (it
holds asymptotically, not for every estimator at finite length), so targets are stated against both.
"""

from __future__ import annotations

import math

import numpy as np

from certeval.domain.cat.irt import FloatArray, ItemBank


def _quadrature(mean: float, sd: float, points: int) -> tuple[FloatArray, FloatArray]:
    nodes, weights = np.polynomial.hermite_e.hermegauss(points)
    return mean + sd * nodes, weights / weights.sum()


def best_test_information(bank: ItemBank, thetas: FloatArray, length: int) -> FloatArray:
    """J_L(θ): the sum of the ``length`` largest item informations at each θ."""
    info = bank.information(thetas)  # (len(thetas), n_items)
    length = min(length, info.shape[1])
    top = np.partition(info, info.shape[1] - length, axis=1)[:, info.shape[1] - length :]
    return np.asarray(top.sum(axis=1), dtype=np.float64)


def van_trees_bound(
    bank: ItemBank, length: int, mean: float = 0.0, sd: float = 1.0, points: int = 81
) -> float:
    nodes, weights = _quadrature(mean, sd, points)
    expected = float(weights @ best_test_information(bank, nodes, length))
    return math.sqrt(1.0 / (expected + 1.0 / sd**2))


def pointwise_bound(
    bank: ItemBank, length: int, mean: float = 0.0, sd: float = 1.0, points: int = 81
) -> float:
    nodes, weights = _quadrature(mean, sd, points)
    return math.sqrt(float(weights @ (1.0 / (best_test_information(bank, nodes, length) + 1.0 / sd**2))))
