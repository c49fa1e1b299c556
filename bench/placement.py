"""Placement rule against over-placement (issue 10): our rule vs a Pix-like point estimate.

    .venv/bin/python bench/placement.py [--candidates 10000] [--bank demo|synthetic] [--confidence 0.8]
        [--stop-confidence 0.9] [--min-items 16] [--targeting cuts] [--seed 0] [--workers 2]

Simulates candidates (θ ~ N(0, 1)) through two placements at the same maximum length, side by side on
the same candidates and the same answers (one uniform draw per item and candidate):

- **ours**: the highest level whose cut is cleared with posterior probability ≥ ``--confidence``,
  questions chosen where they separate two adjacent levels, stop once the level is decided
  (``certeval.domain.cat.placement``);
- **point estimate**: the engine's usual adaptive run (most information at the running EAP) to the full
  length, placed by the Pix-like EAP with its re-centred prior.

``--bank demo`` (default) uses the practice items of the demo bank (``certeval/data/items/pix-plus-edu``,
provisional parameters) with the seed's composition: 87 CRCN + 40 (primary) or 41 (secondary) CRCN-Édu
questions, every competence visited, half the candidates of each audience; cuts −1, 0, 1 between Initié,
Confirmé, Avancé and Expert. ``--bank synthetic`` uses issue 6's synthetic 3PL bank (400 items, one part)
at ``--length`` (default 40). Prints the share over-placed, under-placed and exact for both rules, and
the mean length. The goal: over-placement ≤ 5 % with our exact share within 5 points of the point
estimate's.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from bank_sufficiency import bank_of, part  # type: ignore[import-not-found]  # the demo bank, read alike

from certeval.domain.cat.form import FormSpec, Quota
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.placement import (
    PlacementComparison,
    PlacementSettings,
    Targeting,
    simulate_placement,
)
from certeval.domain.cat.simulation import synthetic_bank
from certeval.domain.items.content import Usage
from certeval.domain.items.records import read_item_file

ROOT = Path(__file__).resolve().parent.parent
PLACEMENT = {"premier": (87, 40), "second": (87, 41)}
CUTS = (("confirme", -1.0), ("avance", 0.0), ("expert", 1.0))


def demo_cases() -> list[tuple[ItemBank, FormSpec | None]]:
    records = [
        r
        for path in sorted((ROOT / "certeval/data/items/pix-plus-edu").glob("*.yaml"))
        for r in read_item_file(path)
    ]
    cases: list[tuple[ItemBank, FormSpec | None]] = []
    for audience, (crcn, edu) in PLACEMENT.items():
        practice = [r for r in records if r.usage is Usage.PRACTICE and r.audience in ("", audience)]
        form = FormSpec(
            length=crcn + edu,
            parts=(part("crcn", crcn, Quota(1, 7)), part("crcn-edu", edu, Quota(1, 4))),
        )
        cases.append((bank_of(practice), form))
    return cases


Job = tuple[argparse.Namespace, list[tuple[ItemBank, FormSpec | None]], int, int]


def run_chunk(job: Job) -> PlacementComparison:
    options, cases, chunk, count = job
    rng = np.random.default_rng([options.seed, chunk])
    thetas = rng.normal(0.0, 1.0, count)
    comparison = PlacementComparison()
    for case, (bank, form) in enumerate(cases):
        settings = settings_for(options, form.length if form else options.length)
        comparison.merge(simulate_placement(bank, thetas[case :: len(cases)], settings, rng, form=form))
    return comparison


def settings_for(options: argparse.Namespace, length: int) -> PlacementSettings:
    return PlacementSettings(
        base_level="initie",
        cuts=CUTS,
        max_items=length,
        confidence=options.confidence,
        min_items=options.min_items,
        stop_confidence=options.stop_confidence,
        targeting=Targeting(options.targeting),
    )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--bank", choices=("demo", "synthetic"), default="demo")
    parser.add_argument("--length", type=int, default=40, help="maximum length with --bank synthetic")
    parser.add_argument("--confidence", type=float, default=0.8)
    parser.add_argument("--stop-confidence", type=float, default=0.9)
    parser.add_argument("--min-items", type=int, default=16)
    parser.add_argument("--targeting", choices=[t.value for t in Targeting], default="cuts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    options = parser.parse_args()
    chunks = max(options.workers, 1) * 4
    sizes = [options.candidates // chunks + (i < options.candidates % chunks) for i in range(chunks)]
    started = time.perf_counter()
    total = PlacementComparison()
    cases = (
        demo_cases()
        if options.bank == "demo"
        else [(synthetic_bank(400, np.random.default_rng(options.seed)), None)]
    )
    jobs: list[Job] = [(options, cases, i, size) for i, size in enumerate(sizes) if size]
    if options.workers > 1:
        with ProcessPoolExecutor(options.workers) as pool:
            for part_result in pool.map(run_chunk, jobs):
                total.merge(part_result)
    else:
        for job in jobs:
            total.merge(run_chunk(job))
    elapsed = time.perf_counter() - started
    print(
        f"bank {options.bank}, {total.ours.candidates} candidates, confidence {options.confidence}, "
        f"stop confidence {options.stop_confidence}, min items {options.min_items}, "
        f"targeting {options.targeting}, seed {options.seed}"
    )
    print(f"{os.cpu_count()} CPUs ({cpu_model()}), {options.workers} worker(s), {elapsed:.1f} s")
    print("| rule | over-placed | under-placed | exact | mean length | stopped early |")
    print("|---|---|---|---|---|---|")
    for name, tally in (("ours", total.ours), ("point estimate (Pix-like EAP)", total.point_estimate)):
        figures = tally.as_dict()
        print(
            f"| {name} | {100 * figures['over_placed']:.1f} % | {100 * figures['under_placed']:.1f} % | "
            f"{100 * figures['exact']:.1f} % | {figures['mean_length']:.1f} | "
            f"{100 * figures['stopped_early']:.0f} % |"
        )
    ours, point = total.ours.as_dict(), total.point_estimate.as_dict()
    met = ours["over_placed"] <= 0.05 and ours["exact"] >= point["exact"] - 0.05
    print(f"goal (over ≤ 5 %, exact within 5 points of the point estimate): {'met' if met else 'NOT met'}")
    if not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
