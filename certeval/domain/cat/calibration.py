"""Item calibration: 2PL/3PL parameters by marginal maximum likelihood (Bock–Aitkin EM).

The ability distribution is N(0, 1) on a fixed quadrature (``points`` Gauss–Hermite nodes), which fixes
the scale. The E-step computes each respondent's posterior over the nodes (two matrix products), the
expected counts r_jq (correct answers) and n_jq (answers) at node q for item j; the M-step maximises the
expected complete-data log-likelihood of all items at once with L-BFGS-B and analytic gradients.
Missing answers (NaN) are allowed.

Optional item priors (:class:`ItemPriors`) turn the M-step into Bayes modal estimation (MAP, as in
BILOG-MG or mirt): the log-prior of each item and its gradient are added to the M-step objective, the
E-step is unchanged. A normal prior on log a (a log-normal prior on a, mode e^μ on the log scale), a
normal prior on b, a Beta(α, β) prior on c. Defaults (:func:`default_priors`): none for 2PL (a and b are
well identified by the data); for 3PL c ~ Beta(6, 16) only, BILOG-MG's rule
Beta(20/k + 1, 20(1 − 1/k) + 1) for k = 4 options (mode 0.25), because c is barely identified by the
answers of the weak candidates and a and c trade off: without it c wanders and drags a and b with it.
A prior on a is left off by default: on the benchmark bank it moves corr(â, a) by −0.003 to +0.011, and on
a bank with flat items (a ≈ 0.2–0.3) log a ~ N(0, 0.5²) trades their flat curve for a steeper one with
c ≈ 0.5 and a higher b (corr(b̂, b) 0.989 → 0.940; docs/benchmarks.md).

Standard errors come from the posterior curvature: the cross-product of the per-respondent score vectors
of each item (the XPD estimate of the observed information, per item block) plus the curvature of the
log-prior (1/(σ²a²) for a, the log-prior being normal in log a; 1/σ² for b; (α − 1)/c² + (β − 1)/(1 − c)²
for c). Item fit is a Yen Q1-type statistic: for each
item the respondents are split in ``fit_groups`` groups by their ability estimated *without* that item,
and Q1 = Σ_g (O_g − E_g)² / V_g, with O_g the correct answers in the group, E_g their expectation given
the respondents' other answers and V_g its variance, compared with a χ² on (groups − parameters)
degrees of freedom. An item is flagged ``misfit`` when p < ``fit_alpha``,
``low-discrimination`` when a < 0.3, ``extreme-difficulty`` when |b| > 4, ``high-se`` when the SE of b
exceeds 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from certeval.domain.cat.irt import FloatArray, ItemBank, Model

A_BOUNDS = (0.05, 6.0)
B_BOUNDS = (-6.0, 6.0)
C_BOUNDS = (0.0, 0.6)


@dataclass(frozen=True)
class ItemPriors:
    """Priors of the Bayes-modal M-step, the same for every item; ``None`` leaves a parameter free (ML).

    ``log_a`` = (μ, σ): log a ~ N(μ, σ²); ``b`` = (μ, σ): b ~ N(μ, σ²); ``c`` = (α, β): c ~ Beta(α, β)
    with α, β ≥ 1 (3PL only).
    """

    log_a: tuple[float, float] | None = None
    b: tuple[float, float] | None = None
    c: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for name, normal in (("log_a", self.log_a), ("b", self.b)):
            if normal is not None and not normal[1] > 0:
                raise ValueError(f"the prior on {name} needs a positive standard deviation")
        if self.c is not None and not min(self.c) >= 1:
            raise ValueError("the Beta prior on c needs α ≥ 1 and β ≥ 1")

    def log_density(self, a: FloatArray, b: FloatArray, c: FloatArray) -> float:
        """Sum over the items of the log-prior (up to a constant)."""
        total = 0.0
        if self.log_a is not None:
            mean, sd = self.log_a
            total -= float(np.sum((np.log(a) - mean) ** 2)) / (2 * sd**2)
        if self.b is not None:
            mean, sd = self.b
            total -= float(np.sum((b - mean) ** 2)) / (2 * sd**2)
        if self.c is not None:
            alpha, beta = self.c
            total += float(np.sum((alpha - 1) * np.log(c + 1e-10) + (beta - 1) * np.log1p(-c)))
        return total

    def gradient(
        self, a: FloatArray, b: FloatArray, c: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Gradient of :meth:`log_density` with respect to a, b and c of each item."""
        grad_a, grad_b, grad_c = np.zeros_like(a), np.zeros_like(b), np.zeros_like(c)
        if self.log_a is not None:
            mean, sd = self.log_a
            grad_a = -(np.log(a) - mean) / (sd**2 * a)
        if self.b is not None:
            mean, sd = self.b
            grad_b = -(b - mean) / sd**2
        if self.c is not None:
            alpha, beta = self.c
            grad_c = (alpha - 1) / (c + 1e-10) - (beta - 1) / (1.0 - c)
        return grad_a, grad_b, grad_c

    def curvature(
        self, a: FloatArray, b: FloatArray, c: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Prior information added to the data's for the standard errors (normal curvature for log a)."""
        info_a, info_b, info_c = np.zeros_like(a), np.zeros_like(b), np.zeros_like(c)
        if self.log_a is not None:
            info_a = 1.0 / (self.log_a[1] ** 2 * a**2)
        if self.b is not None:
            info_b = np.full_like(b, 1.0 / self.b[1] ** 2)
        if self.c is not None:
            alpha, beta = self.c
            info_c = (alpha - 1) / (c + 1e-10) ** 2 + (beta - 1) / (1.0 - c) ** 2
        return info_a, info_b, info_c


NO_PRIORS = ItemPriors()


def default_priors(model: Model) -> ItemPriors:
    """No prior for 2PL; c ~ Beta(6, 16) (guessing on a 4-option item, mode 0.25) for 3PL."""
    return ItemPriors(c=(6.0, 16.0)) if model is Model.THREE_PL else NO_PRIORS


@dataclass(frozen=True)
class CalibrationResult:
    bank: ItemBank
    se_a: FloatArray
    se_b: FloatArray
    se_c: FloatArray
    fit_q1: FloatArray
    fit_p: FloatArray
    flags: tuple[tuple[str, ...], ...]
    iterations: int
    converged: bool
    log_likelihood: float


def _curves(a: FloatArray, b: FloatArray, c: FloatArray, nodes: FloatArray) -> tuple[FloatArray, FloatArray]:
    star = 1.0 / (1.0 + np.exp(-a[:, None] * (nodes[None, :] - b[:, None])))
    p = np.clip(c[:, None] + (1.0 - c[:, None]) * star, 1e-10, 1 - 1e-10)
    return p, star


def calibrate(
    responses: FloatArray,
    ids: tuple[str, ...] | None = None,
    model: Model = Model.TWO_PL,
    points: int = 41,
    max_iterations: int = 300,
    tolerance: float = 1e-3,
    priors: ItemPriors | None = None,
    fit_groups: int = 10,
    fit_alpha: float = 0.01,
    progress: Callable[[int, float], None] | None = None,
) -> CalibrationResult:
    """Calibrate the items of ``responses`` (respondents × items, 1/0, NaN when not answered).

    ``priors``: ``None`` for :func:`default_priors` of the model, :data:`NO_PRIORS` for plain MML.
    ``progress``: called after every EM iteration with its number and the largest parameter change
    (the run stops once that change is below ``tolerance``); an exception it raises stops the run.
    """
    if model not in (Model.TWO_PL, Model.THREE_PL):
        raise ValueError("calibration supports the 2PL and 3PL models")
    three = model is Model.THREE_PL
    priors = default_priors(model) if priors is None else priors
    if priors.c is not None and not three:
        raise ValueError("a prior on c needs the 3PL model")
    x = np.asarray(responses, dtype=np.float64)
    n_items = x.shape[1]
    ids = ids or tuple(f"item{j + 1}" for j in range(n_items))
    if len(ids) != n_items:
        raise ValueError("one id per item column is needed")
    answered = ~np.isnan(x)
    x1 = np.where(answered, x, 0.0)
    x0 = answered - x1
    nodes, weights = np.polynomial.hermite_e.hermegauss(points)
    log_prior = np.log(weights / weights.sum())

    # Starting values: b from the proportion correct, a = 1, c = the prior mean (0.2 without prior).
    share = np.clip(x1.sum(0) / np.maximum(answered.sum(0), 1), 0.02, 0.98)
    a = np.ones(n_items)
    b = np.clip(-np.log(share / (1 - share)) * 1.3, *B_BOUNDS)
    c = np.full(n_items, 0.0 if not three else 0.2 if priors.c is None else priors.c[0] / sum(priors.c))

    def e_step(a: FloatArray, b: FloatArray, c: FloatArray) -> tuple[FloatArray, float]:
        p, _ = _curves(a, b, c, nodes)
        log_like = x1 @ np.log(p) + x0 @ np.log1p(-p) + log_prior  # (people, nodes)
        top = log_like.max(axis=1, keepdims=True)
        post = np.exp(log_like - top)
        total = post.sum(axis=1, keepdims=True)
        return post / total, float(np.sum(np.log(total) + top))

    def objective(theta: FloatArray, r: FloatArray, n: FloatArray) -> tuple[float, FloatArray]:
        a_, b_ = theta[:n_items], theta[n_items : 2 * n_items]
        c_ = theta[2 * n_items :] if three else np.zeros(n_items)
        p, star = _curves(a_, b_, c_, nodes)
        value = float(np.sum(r * np.log(p) + (n - r) * np.log1p(-p))) + priors.log_density(a_, b_, c_)
        resid = (r - n * p) / (p * (1.0 - p))  # dℓ/dP
        slope = (1.0 - c_)[:, None] * star * (1.0 - star)
        prior_a, prior_b, prior_c = priors.gradient(a_, b_, c_)
        grad_a = np.sum(resid * slope * (nodes[None, :] - b_[:, None]), axis=1) + prior_a
        grad_b = -np.sum(resid * slope, axis=1) * a_ + prior_b
        grads = [grad_a, grad_b]
        if three:
            grads.append(np.sum(resid * (1.0 - star), axis=1) + prior_c)
        return -value, -np.concatenate(grads)

    bounds = [A_BOUNDS] * n_items + [B_BOUNDS] * n_items + ([C_BOUNDS] * n_items if three else [])
    converged = False
    log_likelihood = -math.inf
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        post, log_likelihood = e_step(a, b, c)
        r = x1.T @ post
        n = answered.T.astype(np.float64) @ post
        start = np.concatenate([a, b, c] if three else [a, b])
        solution = optimize.minimize(
            objective, start, args=(r, n), jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 50}
        )
        new = solution.x
        change = float(np.max(np.abs(new - start)))
        a, b = new[:n_items], new[n_items : 2 * n_items]
        if three:
            c = new[2 * n_items :]
        if progress is not None:
            progress(iterations, change)
        if change < tolerance:
            converged = True
            break

    post, log_likelihood = e_step(a, b, c)
    se_a, se_b, se_c = _standard_errors(x1, x0, post, a, b, c, nodes, three, priors)
    q1, p_fit = _item_fit(x1, answered, post, nodes, a, b, c, fit_groups, 3 if three else 2)
    flags = tuple(
        tuple(
            flag
            for flag, bad in (
                ("misfit", p_fit[j] < fit_alpha),
                ("low-discrimination", a[j] < 0.3),
                ("extreme-difficulty", abs(b[j]) > 4),
                ("high-se", not se_b[j] <= 0.5),
            )
            if bad
        )
        for j in range(n_items)
    )
    bank = ItemBank(ids=ids, a=a, b=b, c=c, d=np.ones(n_items))
    return CalibrationResult(bank, se_a, se_b, se_c, q1, p_fit, flags, iterations, converged, log_likelihood)


def _standard_errors(
    x1: FloatArray,
    x0: FloatArray,
    post: FloatArray,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    nodes: FloatArray,
    three: bool,
    priors: ItemPriors,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    p, star = _curves(a, b, c, nodes)
    slope = (1.0 - c)[:, None] * star * (1.0 - star)
    derivatives = [slope * (nodes[None, :] - b[:, None]), -slope * a[:, None]]
    if three:
        derivatives.append(1.0 - star)
    # Score of respondent i for item j: Σ_q post_iq (x_ij − P_jq)/(P_jq(1 − P_jq)) ∂P_jq/∂ξ.
    scores = np.stack(
        [x1 * (post @ (dp / p).T) - x0 * (post @ (dp / (1.0 - p)).T) for dp in derivatives], axis=-1
    )  # (people, items, parameters)
    information = np.einsum("ijk,ijl->jkl", scores, scores)
    k = information.shape[1]
    for index, curvature in enumerate(priors.curvature(a, b, c)[:k]):
        information[:, index, index] += curvature
    information += np.eye(k)[None] * 1e-9
    covariance = np.linalg.inv(information)
    se = np.sqrt(np.maximum(np.diagonal(covariance, axis1=1, axis2=2), 0.0))
    return se[:, 0], se[:, 1], se[:, 2] if three else np.zeros(len(a))


def _item_fit(
    x1: FloatArray,
    answered: np.ndarray,
    post: FloatArray,
    nodes: FloatArray,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    groups: int,
    n_parameters: int,
) -> tuple[FloatArray, FloatArray]:
    p, _ = _curves(a, b, c, nodes)  # (items, nodes)
    # Leave-one-out posterior of each respondent for each item: post / likelihood of that answer.
    # Expected answer E_ij = E[P_j(θ) | answers but j] and ability estimate θ_ij without item j, so the
    # grouping and the expectation do not use the very answer being checked.
    right_norm = post @ (1.0 / p).T
    wrong_norm = post @ (1.0 / (1.0 - p)).T
    expected = np.where(x1 > 0, 1.0 / right_norm, (post @ (p / (1.0 - p)).T) / wrong_norm)
    ability = np.where(
        x1 > 0,
        (post @ (nodes[None, :] / p).T) / right_norm,
        (post @ (nodes[None, :] / (1.0 - p)).T) / wrong_norm,
    )
    expected = np.where(answered, expected, 0.0)
    ability = np.where(answered, ability, np.inf)
    counts = answered.sum(axis=0)
    ranks = np.argsort(np.argsort(ability, axis=0), axis=0)
    group_of = np.minimum(ranks * groups // np.maximum(counts, 1)[None, :], groups - 1)
    q1 = np.zeros(len(a))
    for g in range(groups):
        members = (group_of == g) & answered
        observed = np.sum(x1 * members, axis=0)
        mean = np.sum(expected * members, axis=0)
        variance = np.sum(expected * (1.0 - expected) * members, axis=0)
        q1 += (observed - mean) ** 2 / np.maximum(variance, 1e-9)
    p_value = stats.chi2.sf(q1, max(groups - n_parameters, 1))
    return q1, np.asarray(p_value, dtype=np.float64)


def simulate_responses(bank: ItemBank, thetas: FloatArray, rng: np.random.Generator) -> FloatArray:
    """1/0 answers of respondents of ability ``thetas`` to every item of ``bank``."""
    return (rng.random((len(thetas), len(bank))) < bank.probability(thetas)).astype(np.float64)
