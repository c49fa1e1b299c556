"""Adaptive test engine benchmark (issue 6): certeval's engine against catsim 0.21, side by side.

    .venv/bin/pip install catsim==0.21.0        # the ``bench`` extra
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python bench/cat_vs_catsim.py

Sections (all by default): ``compare`` (same seeded 3PL bank of 1,000 items, a ~ N(1.2, 0.25),
b ~ N(0, 1), c ~ N(0.25, 0.02), and 1,000 candidates θ ~ N(0, 1) through catsim and through ours, L = 32,
no exposure control), ``content`` (16-competence quotas from bench/../certeval/domain/cat/forms/
crcn16_32.yaml with randomesque, progressive and calibrated Sympson–Hetter exposure control) and
``big`` (time per step on a 10,000-item bank). The time of one step is select + update for one
candidate (the server path), measured with perf_counter_ns around those calls only.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from certeval.domain.cat.bounds import pointwise_bound, van_trees_bound
from certeval.domain.cat.engine import CatEngine, EngineSettings, Exposure, Selection, StoppingRule
from certeval.domain.cat.form import load_form
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.simulation import calibrate_sympson_hetter, simulate, synthetic_bank

FORM = Path(__file__).resolve().parents[1] / "certeval" / "domain" / "cat" / "forms" / "crcn16_32.yaml"


def run_catsim(bank: ItemBank, thetas: np.ndarray, length: int, seed: int) -> tuple[float, float, float]:
    """catsim 0.21 driven step by step: MaxInfoSelector + NumericalSearchEstimator (its only
    estimator: bounded maximum likelihood, with Dodd's heuristic while the pattern is constant)."""
    from catsim import irt
    from catsim.estimation import NumericalSearchEstimator
    from catsim.item_bank import ItemBank as CatsimBank
    from catsim.selection import MaxInfoSelector

    items = CatsimBank(np.column_stack([bank.a, bank.b, bank.c, bank.d]))
    selector, estimator = MaxInfoSelector(), NumericalSearchEstimator()
    rng = np.random.default_rng(seed)
    steps: list[int] = []
    errors = []
    clock = time.perf_counter_ns
    for theta in thetas:
        administered: list[int] = []
        responses: list[bool] = []
        estimate = 0.0
        for _ in range(length):
            start = clock()
            item = selector.select(item_bank=items, administered_items=administered, est_theta=estimate)
            selected = clock()
            correct = bool(
                irt.icc(theta, bank.a[item], bank.b[item], bank.c[item], bank.d[item]) >= rng.uniform()
            )
            administered.append(int(item))
            responses.append(correct)
            resumed = clock()
            estimate = estimator.estimate(
                item_bank=items,
                administered_items=administered,
                response_vector=responses,
                est_theta=estimate,
            )
            steps.append(clock() - resumed + selected - start)
        errors.append(estimate - theta)
    timings = np.asarray(steps) / 1e3
    return (
        float(np.median(timings)),
        float(np.percentile(timings, 99)),
        math.sqrt(float(np.mean(np.square(errors)))),
    )


def compare(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    bank = synthetic_bank(args.items, rng)
    thetas = rng.normal(size=args.candidates)
    bound = van_trees_bound(bank, args.length)
    print(f"bank: {args.items} items 3PL (seed {args.seed}), {args.candidates} candidates, L = {args.length}")
    print(
        f"van Trees bound on RMSE: {bound:.4f}   (pointwise Bayesian bound: {pointwise_bound(bank, args.length):.4f})"
    )
    ours = simulate(
        CatEngine(bank, StoppingRule(args.length)), thetas, np.random.default_rng(args.seed + 1)
    ).report
    print(
        f"certeval (EAP 61 pts, max info): {ours.us_per_step:8.1f} µs/step median, p99 {ours.us_per_step_p99:6.1f} µs,"
        f" RMSE {ours.rmse:.4f} = {ours.rmse / bound:.3f} × bound, exposure max {ours.exposure_max:.2f}"
    )
    if args.skip_catsim:
        return
    median, p99, rmse = run_catsim(bank, thetas, args.length, args.seed + 1)
    print(
        f"catsim 0.21 (ML, max info):      {median:8.1f} µs/step median, p99 {p99:6.1f} µs,"
        f" RMSE {rmse:.4f} = {rmse / bound:.3f} × bound"
    )
    print(f"speed ratio catsim / certeval (median step): {median / ours.us_per_step:.0f}×")


def content(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    bank = synthetic_bank(args.items, rng)
    thetas = rng.normal(size=args.candidates)
    form = load_form(FORM)
    length = form.length
    bound = van_trees_bound(bank, length)
    stopping = StoppingRule(length)
    print(f"content quotas ({FORM.name}: 16 competences, per-domain quotas), L = {length}, bound {bound:.4f}")
    variants = {
        "quotas only": EngineSettings(),
        "quotas + randomesque:5": EngineSettings(selection=Selection.RANDOMESQUE, randomesque_k=5),
        "quotas + progressive-restricted": EngineSettings(exposure=Exposure.PROGRESSIVE, exposure_target=0.3),
    }
    for name, settings in variants.items():
        report = simulate(
            CatEngine(bank, stopping, settings, form), thetas, np.random.default_rng(args.seed + 2)
        ).report
        print(
            f"{name:34s} RMSE {report.rmse:.4f} = {report.rmse / bound:.3f} × bound, exposure max"
            f" {report.exposure_max:.3f}, never used {report.items_never_used_pct:.1f} %,"
            f" {report.us_per_step:.1f} µs/step (p99 {report.us_per_step_p99:.1f})"
        )
    settings = EngineSettings(exposure=Exposure.SYMPSON_HETTER, exposure_target=0.3)
    started = time.perf_counter()
    k = calibrate_sympson_hetter(
        lambda k: CatEngine(bank, stopping, settings, form, k),
        args.sh_simulees,
        np.random.default_rng(args.seed + 3),
        0.3,
        iterations=args.sh_rounds,
    )
    spent = time.perf_counter() - started
    report = simulate(
        CatEngine(bank, stopping, settings, form, k), thetas, np.random.default_rng(args.seed + 2)
    ).report
    print(
        f"{'quotas + Sympson–Hetter (calibrated)':34s} RMSE {report.rmse:.4f} = {report.rmse / bound:.3f} × bound,"
        f" exposure max {report.exposure_max:.3f}, never used {report.items_never_used_pct:.1f} %,"
        f" {report.us_per_step:.1f} µs/step (p99 {report.us_per_step_p99:.1f});"
        f" calibration {args.sh_rounds} rounds × {args.sh_simulees} simulees in {spent:.0f} s"
    )


def big(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    bank = synthetic_bank(10_000, rng)
    thetas = rng.normal(size=args.candidates)
    report = simulate(
        CatEngine(bank, StoppingRule(args.length)), thetas, np.random.default_rng(args.seed + 4)
    ).report
    print(
        f"10,000-item bank, L = {args.length}: {report.us_per_step:.1f} µs/step median,"
        f" p99 {report.us_per_step_p99:.1f} µs, RMSE {report.rmse:.4f}"
        f" = {report.rmse / van_trees_bound(bank, args.length):.3f} × bound"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sections", nargs="*", help="compare, content and/or big (default: all)")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sh-rounds", type=int, default=12)
    parser.add_argument("--sh-simulees", type=int, default=1000)
    parser.add_argument("--skip-catsim", action="store_true")
    args = parser.parse_args()
    sections = {"compare": compare, "content": content, "big": big}
    unknown = set(args.sections) - set(sections)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose among {', '.join(sections)}")
    for section in args.sections or list(sections):
        sections[section](args)


if __name__ == "__main__":
    main()
