"""Entry point of the jury composition and oral scheduling solver.

1. Cheap necessary conditions (:mod:`prechecks`); a failure is an explained infeasibility.
2. The decomposition (:mod:`decomposed`): greedy staffing, max-flow placement, CP-SAT
   improvement and lower bound. Large instances stop here.
3. When its result is not proven optimal and the exact model is small, the exact model
   (:mod:`exact`) runs with the time left; if it proves infeasibility, CP-SAT assumptions
   explain it.
"""

from __future__ import annotations

import time
from dataclasses import replace

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
"""Largest number of candidate × jury variables for which the exact model is also run."""

SMALL_DECOMPOSED_SHARE = 0.5
"""Share of the time limit the decomposition gets on small instances before the exact model."""


def counting_bound(instance: Instance) -> int:
    """Lower bound on the objective from counting alone."""
    n = len(instance.candidates)
    teams = -(-n // instance.halfday_slots)
    return load_weight(instance) * load_lower_bound(instance) + teams


def without_early_halfdays(instance: Instance) -> Instance:
    """The same instance where every juror's half-days before the earliest oral date are dropped."""
    jurors = tuple(
        replace(j, halfdays=frozenset(h for h in j.halfdays if not instance.too_early(h)))
        for j in instance.jurors
    )
    return replace(instance, jurors=jurors)


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
    if instance.earliest_date is not None:
        instance = without_early_halfdays(instance)
        if not instance.halfdays:
            return Solution(
                status=INFEASIBLE,
                method="precheck",
                explanation=(
                    Explanation(
                        "reading_delay",
                        f"no juror is available on or after {instance.earliest_date}, the earliest "
                        "oral date (the dossiers' reading delay)",
                    ),
                ),
                wall_seconds=time.perf_counter() - started,
            )
    blocking = precheck(instance)
    if blocking:
        return Solution(
            status=INFEASIBLE,
            method="precheck",
            explanation=tuple(blocking),
            wall_seconds=time.perf_counter() - started,
        )
    small = exact_size(instance) <= exact_limit
    target = load_lower_bound(instance)
    share = SMALL_DECOMPOSED_SHARE if small else 1.0
    decomposed = solve_decomposed(
        instance, (time_limit - (time.perf_counter() - started)) * share, workers, target
    )
    best = None
    if decomposed is not None:
        best = _finish(
            instance,
            "decomposed",
            decomposed.assignments,
            decomposed.bound,
            started,
            decomposed.first_solution_seconds,
        )
        if best.status == OPTIMAL or not small:
            return best
    if not small:
        return _unknown("decomposed", started, time_limit)
    result = solve_exact(instance, time_limit - (time.perf_counter() - started), workers)
    if result.status == "infeasible":
        remaining = max(1.0, time_limit - (time.perf_counter() - started))
        explanation = explain_exact(instance, remaining)
        return Solution(
            status=INFEASIBLE,
            method="exact",
            explanation=tuple(explanation),
            wall_seconds=time.perf_counter() - started,
        )
    bound = max(result.bound or 0, decomposed.bound if decomposed is not None else 0)
    if result.assignments:
        exact = _finish(instance, "exact", result.assignments, bound, started, result.first_solution_seconds)
        if best is None or (exact.objective or 0) <= (best.objective or 0):
            return exact
    if best is not None:
        return _finish(
            instance, "decomposed", list(best.assignments), bound, started, best.first_solution_seconds
        )
    return _unknown("exact", started, time_limit)


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
