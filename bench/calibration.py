"""Calibration benchmark (issue 6): recover 2PL/3PL item parameters from simulated respondents.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python bench/calibration.py

100 items from the benchmark bank distribution (a ~ N(1.2, 0.25), b ~ N(0, 1), c ~ N(0.25, 0.02)),
3,000 respondents θ ~ N(0, 1); prints the correlations of the estimates with the true parameters, the
mean standard errors, the number of flagged items and the time of the calibration. ``--a-sd`` widens
the spread of the discriminations: the correlation of â with a cannot exceed
sqrt(var(a) / (var(a) + mean SE(â)²)), printed as the "ceiling".
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from certeval.domain.cat.calibration import calibrate, simulate_responses
from certeval.domain.cat.irt import ItemBank, Model
from certeval.domain.cat.simulation import synthetic_bank


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--a-sd", type=float, default=0.25, help="SD of the discriminations (0.25)")
    args = parser.parse_args()
    for model in (Model.TWO_PL, Model.THREE_PL):
        rng = np.random.default_rng(args.seed)
        drawn = synthetic_bank(args.items, rng, guessing=model is Model.THREE_PL)
        a = np.clip(1.2 + (drawn.a - 1.2) * args.a_sd / 0.25, 0.2, None)
        truth = ItemBank(drawn.ids, a, drawn.b, drawn.c, drawn.d)
        responses = simulate_responses(truth, rng.normal(size=args.respondents), rng)
        started = time.perf_counter()
        result = calibrate(responses, truth.ids, model=model)
        spent = time.perf_counter() - started
        corr_b = np.corrcoef(result.bank.b, truth.b)[0, 1]
        corr_a = np.corrcoef(result.bank.a, truth.a)[0, 1]
        ceiling = np.sqrt(truth.a.var() / (truth.a.var() + result.se_a.mean() ** 2))
        line = (
            f"{model.value} (a sd {args.a_sd}): {args.respondents} respondents × {args.items} items in {spent:.1f} s"
            f" ({result.iterations} EM cycles, converged {result.converged}); corr(b) {corr_b:.3f},"
            f" corr(a) {corr_a:.3f} (ceiling {ceiling:.3f}), mean SE b {result.se_b.mean():.3f},"
            f" a {result.se_a.mean():.3f}"
        )
        if model is Model.THREE_PL:
            line += f", corr(c) {np.corrcoef(result.bank.c, truth.c)[0, 1]:.3f}"
        flagged = sum(1 for flags in result.flags if flags)
        print(f"{line}; flagged items {flagged}")


if __name__ == "__main__":
    main()
