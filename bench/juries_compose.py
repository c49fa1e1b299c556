"""Benchmark of jury composition and oral scheduling (issue 5).

Generates a seeded, realistic instance (by default 2,000 candidates from 30 academies, 300 jurors
over 10 days = 20 half-days, 7 orals per jury and half-day, Pix+ Édu rule), solves it and checks
the schedule with the independent validator.

    .venv/bin/python bench/juries_compose.py [--candidates 2000] [--jurors 300] [--days 10]
        [--slots 7] [--time-limit 60] [--seed 5] [--write-instance PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from certeval.domain.juries import check_assignment, parse_instance, solve
from certeval.domain.juries.instance import Instance

ROLES = [("drane", 0.13), ("inspecteur", 0.13), ("direction", 0.17), ("expert", 0.40), ("formateur", 0.17)]
ACADEMIES = [
    "Aix-Marseille",
    "Amiens",
    "Besançon",
    "Bordeaux",
    "Clermont-Ferrand",
    "Corse",
    "Créteil",
    "Dijon",
    "Grenoble",
    "Guadeloupe",
    "Guyane",
    "La Réunion",
    "Lille",
    "Limoges",
    "Lyon",
    "Martinique",
    "Mayotte",
    "Montpellier",
    "Nancy-Metz",
    "Nantes",
    "Nice",
    "Normandie",
    "Orléans-Tours",
    "Paris",
    "Poitiers",
    "Reims",
    "Rennes",
    "Strasbourg",
    "Toulouse",
    "Versailles",
]


def generate(candidates: int, jurors: int, days: int, slots: int, seed: int) -> dict[str, object]:
    """A Pix+ Édu-like instance: academy sizes vary tenfold, jurors give 4–10 half-days, loads 15–30."""
    rng = random.Random(seed)
    halfdays = [f"2026-05-{11 + day:02d}-{part}" for day in range(days) for part in ("am", "pm")]
    weights = [rng.uniform(1, 10) for _ in ACADEMIES]
    juror_list: list[dict[str, object]] = []
    for index in range(jurors):
        role = rng.choices([r for r, _ in ROLES], weights=[w for _, w in ROLES])[0]
        juror_list.append(
            {
                "id": f"J{index + 1:03d}",
                "role": role,
                "academy": rng.choices(ACADEMIES, weights=weights)[0],
                "halfdays": sorted(rng.sample(halfdays, rng.randint(4, 10))),
                "max_load": rng.choice([15, 18, 20, 24, 30]),
            }
        )
    candidate_list: list[dict[str, object]] = []
    for index in range(candidates):
        conflicts = (
            rng.sample([str(j["id"]) for j in juror_list], rng.randint(1, 2)) if rng.random() < 0.02 else []
        )
        candidate_list.append(
            {
                "id": f"C{index + 1:04d}",
                "academy": rng.choices(ACADEMIES, weights=weights)[0],
                "conflicts": conflicts,
            }
        )
    return {
        "rule": {
            "size": 3,
            "groups": [
                {"roles": ["drane", "inspecteur", "direction"], "min": 1},
                {"roles": ["expert"], "min": 1, "max": 2},
            ],
            "same_academy": False,
        },
        "halfday_slots": slots,
        "candidates": candidate_list,
        "jurors": juror_list,
    }


def describe(instance: Instance) -> str:
    roles = Counter(j.role for j in instance.jurors)
    academies = len({c.academy for c in instance.candidates})
    return (
        f"{len(instance.candidates)} candidates from {academies} academies, "
        f"{len(instance.jurors)} jurors ({', '.join(f'{r} {n}' for r, n in sorted(roles.items()))}), "
        f"{len(instance.halfdays)} half-days × {instance.halfday_slots} slots, "
        f"{sum(len(j.halfdays) for j in instance.jurors)} juror-half-days, "
        f"{sum(1 for c in instance.candidates if c.conflicts)} candidates with conflicts"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--jurors", type=int, default=300)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--slots", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--write-instance", type=Path, help="also save the generated instance as JSON")
    args = parser.parse_args()

    data = generate(args.candidates, args.jurors, args.days, args.slots, args.seed)
    if args.write_instance:
        args.write_instance.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    instance = parse_instance(data)
    print(describe(instance))
    started = time.perf_counter()
    solution = solve(instance, time_limit=args.time_limit)
    elapsed = time.perf_counter() - started
    print(f"method                 {solution.method}")
    print(f"status                 {solution.status}")
    first = solution.first_solution_seconds
    print(f"first feasible         {'-' if first is None else f'{first:.2f} s'}")
    print(f"wall time              {elapsed:.2f} s (time limit {args.time_limit:g} s)")
    if solution.objective is None:
        for line in solution.explanation:
            print(f"explanation            [{line.constraint}] {line.message}")
        return 1
    gap = solution.gap
    print(
        f"objective              {solution.objective} (max load {solution.max_load}, juries {solution.teams})"
    )
    print(f"bound                  {solution.bound}")
    print(f"gap                    {'-' if gap is None else f'{100 * gap:.2f} %'}")
    loads = Counter(j for a in solution.assignments for j in a.jurors)
    used = [loads[j.id] for j in instance.jurors if loads[j.id]]
    print(
        f"loads                  {len(used)} jurors used, min {min(used)}, max {max(used)}, "
        f"mean {sum(used) / len(used):.1f}"
    )
    violations = check_assignment(instance, solution.assignments)
    print(f"check_assignment       {len(violations)} violation(s)")
    for violation in violations[:10]:
        print(f"  [{violation.constraint}] {violation.message}")
    return 0 if not violations else 1


if __name__ == "__main__":
    sys.exit(main())
