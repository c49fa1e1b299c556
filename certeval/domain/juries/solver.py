"""Entry point of the jury composition and oral scheduling solver.

1. Cheap necessary conditions (:mod:`prechecks`); a failure is an explained infeasibility.
2. Instances whose exact model is small are solved whole (:mod:`exact`), to optimality when time
   allows; an infeasible one is explained with CP-SAT assumptions.
3. Larger ones go through the two-phase decomposition (:mod:`decomposed`).
"""

from __future__ import annotations

import time

from certeval.domain.juries.decomposed import solve_decomposed
from certeval.domain.juries.exact import exact_size, explain_exact, solve_exact
from certeval.domain.juries.instance import Instance
from certeval.domain.juries.prechecks import Explanation, load_lower_bound, precheck
from certeval.domain.juries.solution import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    UNKNOWN,
    Solution,
    load_weight,
    objective_value,
)
from certeval.domain.juries.validation import Assignment

EXACT_MODEL_LIMIT = 20_000
"""Largest number of candidate × jury variables for which the exact model is used."""


def counting_bound(instance: Instance) -> int:
    """Lower bound on the objective from counting alone."""
    n = len(instance.candidates)
    teams = -(-n // instance.halfday_slots)
    return load_weight(instance) * load_lower_bound(instance) + teams


def _finish(
    instance: Instance,
    method: str,
    assignments: list[Assignment],
    bound: int,
    started: float,
    first: float | None,
) -> Solution:
    value, max_load, teams = objective_value(instance, assignments)
    bound = min(max(bound, counting_bound(instance)), value)
    return Solution(
        status=OPTIMAL if value == bound else FEASIBLE,
        method=method,
        assignments=tuple(sorted(assignments, key=lambda a: (a.halfday, a.jurors, a.slot))),
        objective=value,
        bound=bound,
        max_load=max_load,
        teams=teams,
        wall_seconds=time.perf_counter() - started,
        first_solution_seconds=first,
    )


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    workers: int | None = None,
    exact_limit: int = EXACT_MODEL_LIMIT,
) -> Solution:
    """Compose the juries and schedule the orals of ``instance`` within ``time_limit`` seconds."""
    started = time.perf_counter()
    if not instance.candidates:
        return Solution(status=OPTIMAL, method="trivial", objective=0, bound=0, max_load=0, teams=0)
    blocking = precheck(instance)
    if blocking:
        return Solution(
            status=INFEASIBLE,
            method="precheck",
            explanation=tuple(blocking),
            wall_seconds=time.perf_counter() - started,
        )
    if exact_size(instance) <= exact_limit:
        result = solve_exact(instance, time_limit, workers)
        if result.status == "infeasible":
            remaining = max(1.0, time_limit - (time.perf_counter() - started))
            explanation = explain_exact(instance, remaining)
            return Solution(
                status=INFEASIBLE,
                method="exact",
                explanation=tuple(explanation),
                wall_seconds=time.perf_counter() - started,
            )
        if result.assignments:
            return _finish(
                instance,
                "exact",
                result.assignments,
                result.bound or 0,
                started,
                result.first_solution_seconds,
            )
        return _unknown("exact", started, time_limit)
    remaining = time_limit - (time.perf_counter() - started)
    decomposed = solve_decomposed(instance, remaining, workers, load_lower_bound(instance))
    if decomposed is None:
        return _unknown("decomposed", started, time_limit)
    return _finish(
        instance,
        "decomposed",
        decomposed.assignments,
        decomposed.bound,
        started,
        decomposed.first_solution_seconds,
    )


def _unknown(method: str, started: float, time_limit: float) -> Solution:
    return Solution(
        status=UNKNOWN,
        method=method,
        explanation=(
            Explanation(
                "time_limit",
                f"no schedule found within {time_limit:g} s and no infeasibility proven; "
                "every necessary condition holds",
            ),
        ),
        wall_seconds=time.perf_counter() - started,
    )
