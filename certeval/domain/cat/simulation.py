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
    simulees: int,
    rng: np.random.Generator,
    target: float,
    iterations: int = 12,
    margin: float = 0.9,
    population: tuple[float, float] = (0.0, 1.0),
) -> FloatArray:
    """Sympson–Hetter exposure parameters K, calibrated by simulation.

    ``make_engine(K)`` builds the engine with Sympson–Hetter exposure control and parameters K (all ones
    when None). Each round simulates ``simulees`` fresh abilities drawn from N(``population``) (fresh
    draws, so K does not fit one sample) and measures P(A_j), the share of candidates who got
    item j. Since P(A_j) = K_j·P(S_j), the selection rate is P(S_j) = P(A_j)/K_j and the classic update
    K_j ← r/P(S_j) for over-exposed items becomes K_j ← K_j·r/P(A_j). K only ever decreases: letting
    it rise again when an item falls under r (the textbook rule) makes the rounds oscillate around the
    target instead of settling under it. ``r`` is ``target·margin``: the margin absorbs the sampling
    noise of one round so that a fresh run stays under ``target``.
    """
    goal = target * margin
    k: FloatArray | None = None
    for _ in range(iterations):
        engine = make_engine(k)
        current = engine.sympson_hetter.copy()
        for theta in rng.normal(population[0], population[1], simulees):
            run_candidate(engine, float(theta), rng, engine.bank, [])
        rates = engine.exposure_rates()
        k = np.where(rates > goal, current * goal / np.maximum(rates, goal), current)
    assert k is not None
    return k


CRCN_COMPETENCES = (
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1",
    "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2",
)  # fmt: skip


def synthetic_bank(
    n: int,
    rng: np.random.Generator,
    guessing: bool = True,
    competences: tuple[str, ...] = CRCN_COMPETENCES,
    part: str = "crcn",
) -> ItemBank:
    """The benchmark bank of issue 6: a ~ N(1.2, 0.25), b ~ N(0, 1), c ~ N(0.25, 0.02) (c = 0 without
    guessing), competences assigned in turn."""
    a = np.clip(rng.normal(1.2, 0.25, n), 0.2, None)
    b = rng.normal(0.0, 1.0, n)
    c = np.clip(rng.normal(0.25, 0.02, n), 0.0, 0.9) if guessing else np.zeros(n)
    return ItemBank(
        ids=tuple(f"item{i:05d}" for i in range(n)),
        a=a,
        b=b,
        c=c,
        d=np.ones(n),
        competence=tuple(competences[i % len(competences)] for i in range(n)),
        part=(part,) * n,
    )
