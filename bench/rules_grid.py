"""Evaluate one million Annexe 3 dossier grids and print the rate.

Usage: ``.venv/bin/python bench/rules_grid.py [N]`` (default 1,000,000). The grids (16 criteria,
each unobserved or at one of the 4 levels) are drawn once with a fixed seed, then evaluated in
a loop through the Pix+ Édu rule set built from its YAML file, French reasons included.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

from certeval.domain.loader import load_frameworks
from certeval.domain.rules import RuleSet

DATA_DIR = Path(__file__).resolve().parent.parent / "certeval" / "data" / "frameworks"


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frameworks = {framework.id: framework for framework in load_frameworks(DATA_DIR)}
    grid = RuleSet.from_framework(frameworks["pix-plus-edu"], frameworks).dossier
    assert grid is not None
    rng = random.Random(20230601)
    choices = (None, "initie", "confirme", "avance", "expert")
    pool = [{c: rng.choice(choices) for c in grid.criteria} for _ in range(1000)]
    levels: Counter[str | None] = Counter()
    evaluate = grid.evaluate
    start = time.perf_counter()
    for i in range(total):
        levels[evaluate(pool[i % 1000]).level] += 1
    elapsed = time.perf_counter() - start
    rate = total / elapsed
    print(f"{total:,} dossier grids in {elapsed:.2f} s: {rate:,.0f} grids/s, {1e6 / rate:.2f} µs each")
    print("levels:", dict(sorted(levels.items(), key=lambda kv: str(kv[0]))))


if __name__ == "__main__":
    main()
