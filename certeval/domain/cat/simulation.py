"""Monte-Carlo simulation of candidates through the engine, and Sympson–Hetter calibration."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from certeval.domain.cat.engine import CatEngine, SessionResult
from certeval.domain.cat.irt import FloatArray, ItemBank


@dataclass(frozen=True)
class SimulationReport:
    """Figures of one simulation run (the JSON of ``certeval simulate-cat``)."""

    candidates: int
    mean_length: float
    rmse: float
    bias: float
    mean_se: float
    exposure_max: float
    items_never_used_pct: float
    us_per_step: float
    us_per_step_p99: float
    share_correct_mean: float
    share_correct_p5: float
    share_correct_p95: float

    def as_dict(self) -> dict[str, float | int]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass(frozen=True)
class SimulationRun:
    report: SimulationReport
    results: tuple[SessionResult, ...]
    estimates: FloatArray


def run_candidate(
    engine: CatEngine,
    theta: float,
    rng: np.random.Generator,
    true_bank: ItemBank,
    step_ns: list[int],
) -> SessionResult:
    """Simulate one candidate of true ability ``theta``; append the time of each select + update."""
    session = engine.start(rng)
    p_true = true_bank.probability(theta)
    uniforms = rng.random(engine.stopping.max_items)
    clock = time.perf_counter_ns
    step = 0
    while True:
        start = clock()
        item = session.next_item()
        if item is None:
            break
        selected = clock()
        correct = bool(uniforms[step] < p_true[item])
        resumed = clock()
        session.answer(item, correct)
        step_ns.append(clock() - resumed + selected - start)
        step += 1
    engine.record(session)
    return session.result()


def simulate(
    engine: CatEngine,
    thetas: FloatArray,
    rng: np.random.Generator,
    true_bank: ItemBank | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationRun:
    """Run every true ability of ``thetas`` through ``engine``; answers follow ``true_bank``'s model
    (the engine's bank by default, or e.g. the 3PL truth behind a 2PL scoring bank)."""
    truth = true_bank or engine.bank
    step_ns: list[int] = []
    results = []
    for i, theta in enumerate(thetas):
        results.append(run_candidate(engine, float(theta), rng, truth, step_ns))
        if progress is not None:
            progress(i + 1)
    estimates = np.array([r.theta for r in results])
    errors = estimates - np.asarray(thetas)
    rates = engine.exposure_rates()
    shares = np.array([r.share_correct for r in results])
    timings = np.asarray(step_ns, dtype=np.float64) / 1e3 if step_ns else np.zeros(1)
    report = SimulationReport(
        candidates=len(results),
        mean_length=float(np.mean([len(r.items) for r in results])) if results else 0.0,
        rmse=math.sqrt(float(np.mean(errors**2))) if results else math.nan,
        bias=float(np.mean(errors)) if results else math.nan,
        mean_se=float(np.mean([r.se for r in results])) if results else math.nan,
        exposure_max=float(rates.max()),
        items_never_used_pct=100.0 * float(np.mean(engine.exposure_counts == 0)),
        us_per_step=float(np.median(timings)),
        us_per_step_p99=float(np.percentile(timings, 99)),
        share_correct_mean=float(shares.mean()) if results else math.nan,
        share_correct_p5=float(np.percentile(shares, 5)) if results else math.nan,
        share_correct_p95=float(np.percentile(shares, 95)) if results else math.nan,
    )
    return SimulationRun(report, tuple(results), estimates)


def calibrate_sympson_hetter(
    make_engine: Callable[[FloatArray | None], CatEngine],
    thetas: FloatArray,
    rng: np.random.Generator,
    target: float,
    iterations: int = 12,
    margin: float = 0.9,
) -> FloatArray:
    """Sympson–Hetter exposure parameters K, calibrated by simulation.

    ``make_engine(K)`` builds the engine with Sympson–Hetter exposure control and parameters K (all ones
    when None). Each round simulates ``thetas`` and measures P(A_j), the share of candidates who got
    item j. Since P(A_j) = K_j·P(S_j), the selection rate is P(S_j) = P(A_j)/K_j and the classic update
    K_j ← min(1, r/P(S_j)) becomes K_j ← min(1, K_j·r/P(A_j)) (K_j ← 1 for items nobody got). ``r`` is
    ``target·margin``: the margin absorbs the sampling noise of one round so that a fresh run stays
    under ``target``. Returns the K of the last round that met ``target``, else of the last round.
    """
    goal = target * margin
    k: FloatArray | None = None
    met: FloatArray | None = None
    for _ in range(iterations):
        engine = make_engine(k)
        current = engine.sympson_hetter.copy()
        for theta in thetas:
            run_candidate(engine, float(theta), rng, engine.bank, [])
        rates = engine.exposure_rates()
        if float(rates.max()) <= target:
            met = current
        with np.errstate(divide="ignore"):
            factor = np.where(rates > 0, goal / rates, np.inf)
        k = np.minimum(1.0, current * factor)
    assert k is not None
    return met if met is not None else k
