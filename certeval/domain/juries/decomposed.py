"""Two-phase decomposition for large instances (thousands of candidates, hundreds of jurors).

A monolithic model has a candidate × jury variable per pair, 2,000 candidates × ~300 juries:
hundreds of thousands of Booleans plus the load products. But candidates only differ by their
academy and their (rare) conflicts, and a jury's effect on loads is only how many orals it
hears. So:

**Phase A — staffing plan (CP-SAT).** ``x[j,h,v]``: juror ``j`` sits on half-day ``h`` in a jury
that will hear ``v`` orals (``1 ≤ v ≤ halfday_slots``); ``k[h,v]``: number of such juries.
Constraints: ``Σ_v x[j,h,v] ≤ 1`` (one jury per juror and half-day); for every ``(h,v)``,
``Σ_j x[j,h,v] = size·k[h,v]`` and each role group holds between ``min·k[h,v]`` and
``max·k[h,v]`` of those jurors (the groups are disjoint, so these counts are exactly what a
partition into ``k[h,v]`` juries needs); ``Σ_{h,v} v·k[h,v] ≥ N``; juror load
``Σ_{h,v} v·x[j,h,v] ≤ min(max_load_j, L)``; each role group sits ``≥ min·N`` orals; jurors
outside each academy ``A`` sit ``≥ size·N_A`` orals. Objective ``load_weight·L + Σ k``, the same
as the exact model. This is the exact problem without the academy/conflict pairing of each
candidate, so CP-SAT's bound on phase A is a lower bound on the real optimum.

**Partition.** The jurors of each ``(h,v)`` are dealt into ``k[h,v]`` juries: group minimums
first, then the others round-robin, which respects every group maximum.

**Phase B — hearing plan (max flow).** Candidates are grouped into classes of equal academy and
conflicts (≈ one per academy); arcs source → class (capacity = class size) → compatible jury
(no member from the academy, none in the conflicts) → sink (capacity ``v``). A flow of ``N``
is a schedule, and every juror's load stays within what phase A planned, since a jury hears at
most ``v`` orals.

If the flow falls short (an academy or conflict pattern phase A cannot see), phase A is solved
again with spare capacity and, for each academy ``A``, enough capacity in juries free of its
jurors: ``Σ v·k[h,v] − Σ_{j∈A} Σ v·x[j,h,v] ≥ N_A``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from math import ceil

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from certeval.domain.juries.cpsat import make_solver
from certeval.domain.juries.exact import team_slots
from certeval.domain.juries.instance import Candidate, Instance
from certeval.domain.juries.solution import load_weight, objective_value
from certeval.domain.juries.validation import Assignment

SLACK = (0.0, 0.05, 0.15, 0.3)
"""Spare capacity (share of the candidates) the greedy staffing plans at each attempt, when the
previous plan left candidates without a compatible jury."""


@dataclass
class DecomposedResult:
    assignments: list[Assignment]
    bound: int
    first_solution_seconds: float | None


@dataclass
class _Plan:
    teams: list[list[int]]
    halfday_of: list[str]
    capacity: list[int]


def _improve(
    instance: Instance, seed: _Plan, deadline: float, workers: int | None
) -> tuple[_Plan | None, int]:
    """Phase A on CP-SAT, warm-started from ``seed`` and stopped at ``deadline`` (a
    ``time.perf_counter`` value): a better staffing plan (or None) and a proven lower bound on
    the objective (0 when CP-SAT ran out of time before reporting one)."""
    model = cp_model.CpModel()
    rule, slots = instance.rule, instance.halfday_slots
    n = len(instance.candidates)
    jurors = instance.jurors
    limits = team_slots(instance)
    levels = range(1, slots + 1)
    x: dict[tuple[int, str, int], cp_model.IntVar] = {}
    for j, juror in enumerate(jurors):
        for h in juror.halfdays:
            row = [model.new_bool_var(f"x{j}_{h}_{v}") for v in levels]
            for v, var in zip(levels, row, strict=True):
                x[(j, h, v)] = var
            model.add_at_most_one(row)
    k: dict[tuple[str, int], cp_model.IntVar] = {}
    for h in instance.halfdays:
        present = [j for j, juror in enumerate(jurors) if h in juror.halfdays]
        for v in levels:
            k[(h, v)] = model.new_int_var(0, limits[h], f"k_{h}_{v}")
            model.add(sum(x[(j, h, v)] for j in present) == rule.size * k[(h, v)])
            for group in rule.groups:
                in_group = sum(x[(j, h, v)] for j in present if jurors[j].role in group.roles)
                model.add(in_group >= group.min * k[(h, v)])
                model.add(in_group <= group.max * k[(h, v)])
        model.add(sum(k[(h, v)] for v in levels) <= limits[h])
    model.add(sum(v * var for (_, v), var in k.items()) >= n)
    top = model.new_int_var(0, n, "max_load")
    loads: list[cp_model.LinearExprT] = []
    for j, juror in enumerate(jurors):
        load = sum(v * x[(j, h, v)] for h in juror.halfdays for v in levels)
        model.add(load <= juror.max_load)
        model.add(load <= top)
        loads.append(load)
    for group in rule.groups:
        model.add(
            sum(s for s, j in zip(loads, jurors, strict=True) if j.role in group.roles) >= group.min * n
        )
    if not rule.same_academy:
        per_academy: dict[str, int] = defaultdict(int)
        for candidate in instance.candidates:
            per_academy[candidate.academy] += 1
        for academy, count in per_academy.items():
            outside = sum(s for s, j in zip(loads, jurors, strict=True) if j.academy != academy)
            model.add(outside >= rule.size * count)
    model.minimize(load_weight(instance) * top + sum(k.values()))
    seated = {
        (j, h): v for team, h, v in zip(seed.teams, seed.halfday_of, seed.capacity, strict=True) for j in team
    }
    for (j, h, v), var in x.items():
        model.add_hint(var, seated.get((j, h)) == v)
    for (h, v), var in k.items():
        model.add_hint(
            var,
            sum(1 for hh, vv in zip(seed.halfday_of, seed.capacity, strict=True) if hh == h and vv == v),
        )
    solver = make_solver(deadline - time.perf_counter() - 0.3, workers)
    status = solver.solve(model)
    bound = int(solver.best_objective_bound) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, bound
    plan = _Plan([], [], [])
    for h in instance.halfdays:
        for v in levels:
            count = solver.value(k[(h, v)])
            if not count:
                continue
            members = [
                j
                for j, juror in enumerate(jurors)
                if h in juror.halfdays and solver.boolean_value(x[(j, h, v)])
            ]
            for team in partition(instance, members, count):
                plan.teams.append(team)
                plan.halfday_of.append(h)
                plan.capacity.append(v)
    return plan, bound


def _construct(instance: Instance, target: int, slack: float) -> _Plan | None:
    """Greedy staffing plan with every juror's load within ``min(max_load, target)``.

    Half-days are visited round-robin; on each, one jury is formed from the available jurors
    with the most remaining budget per remaining half-day (group minimums first, then the other
    seats within the group maximums), and it is planned to hear as many orals as its members'
    budgets and the slots allow. Stops when the planned capacity covers the candidates plus
    ``slack``; None if no further jury can be formed before that."""
    rule, slots = instance.rule, instance.halfday_slots
    jurors = instance.jurors
    need = len(instance.candidates) + ceil(slack * len(instance.candidates))
    budget = [min(j.max_load, target) for j in instance.jurors]
    days_left = [len(j.halfdays) for j in instance.jurors]
    present: dict[str, list[int]] = defaultdict(list)
    for j, juror in enumerate(jurors):
        for h in juror.halfdays:
            present[h].append(j)
    groups = [rule.group_of(j.role) for j in jurors]
    plan = _Plan([], [], [])
    planned = 0
    open_days = list(instance.halfdays)
    while planned < need and open_days:
        for h in list(open_days):
            if planned >= need:
                break
            pool = sorted(
                (j for j in present[h] if budget[j] > 0),
                key=lambda j: (-budget[j] / days_left[j], jurors[j].id),
            )
            team = _pick(instance, pool, groups)
            if team is None:
                open_days.remove(h)
                continue
            v = min(slots, need - planned, *(budget[j] for j in team))
            for j in team:
                budget[j] -= v
                days_left[j] -= 1
                present[h].remove(j)
            plan.teams.append(team)
            plan.halfday_of.append(h)
            plan.capacity.append(v)
            planned += v
    return plan if planned >= need else None


def _pick(instance: Instance, pool: list[int], groups: list[int | None]) -> list[int] | None:
    """The first jurors of ``pool`` (in order) that make a jury satisfying the rule, or None."""
    rule = instance.rule
    team: list[int] = []
    held = [0] * len(rule.groups)
    for g, group in enumerate(rule.groups):
        members = [j for j in pool if groups[j] == g][: group.min]
        if len(members) < group.min:
            return None
        team.extend(members)
        held[g] = group.min
    for j in pool:
        if len(team) == rule.size:
            break
        own = groups[j]
        if j in team or (own is not None and held[own] >= rule.groups[own].max):
            continue
        team.append(j)
        if own is not None:
            held[own] += 1
    return team if len(team) == rule.size else None


def partition(instance: Instance, members: list[int], count: int) -> list[list[int]]:
    """Deal ``members`` (juror indices, exactly ``size·count`` of them, group counts within the
    rule's bounds) into ``count`` juries satisfying the rule: each jury gets its group minimums,
    then the remaining members are dealt round-robin, group after group, so that no jury exceeds
    a group maximum. Members are sorted by academy so that a jury blocks few academies."""
    rule = instance.rule
    jurors = instance.jurors
    by_group: list[list[int]] = [[] for _ in rule.groups]
    free: list[int] = []
    for j in sorted(members, key=lambda i: (jurors[i].academy, jurors[i].id)):
        group = rule.group_of(jurors[j].role)
        (free if group is None else by_group[group]).append(j)
    teams: list[list[int]] = [[] for _ in range(count)]
    leftover: list[int] = []
    for role_group, pool in zip(rule.groups, by_group, strict=True):
        low = role_group.min
        for t in range(count):
            teams[t].extend(pool[t * low : (t + 1) * low])
        leftover.extend(pool[count * low :])
    leftover.extend(free)
    for position, j in enumerate(leftover):
        teams[position % count].append(j)
    return teams


def _classes(instance: Instance) -> list[list[Candidate]]:
    grouped: dict[tuple[str, frozenset[str]], list[Candidate]] = defaultdict(list)
    for candidate in instance.candidates:
        grouped[(candidate.academy, candidate.conflicts)].append(candidate)
    return list(grouped.values())


def _hear(instance: Instance, plan: _Plan) -> list[Assignment] | None:
    """Place the candidates in the planned juries by max flow; None if some cannot be placed."""
    jurors = instance.jurors
    classes = _classes(instance)
    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    class_node = 2
    team_node = 2 + len(classes)
    arcs: list[tuple[int, int, int]] = []
    for c, members in enumerate(classes):
        flow.add_arc_with_capacity(source, class_node + c, len(members))
        representative = members[0]
        for t, team in enumerate(plan.teams):
            if all(instance.eligible(representative, jurors[j]) for j in team):
                arcs.append(
                    (c, t, flow.add_arc_with_capacity(class_node + c, team_node + t, plan.capacity[t]))
                )
    for t, capacity in enumerate(plan.capacity):
        flow.add_arc_with_capacity(team_node + t, sink, capacity)
    if flow.solve(source, sink) != flow.OPTIMAL or flow.optimal_flow() < len(instance.candidates):
        return None
    per_team: dict[int, list[str]] = defaultdict(list)
    queues = [[candidate.id for candidate in members] for members in classes]
    for c, t, arc in arcs:
        count = flow.flow(arc)
        if count:
            per_team[t].extend(queues[c][:count])
            del queues[c][:count]
    result: list[Assignment] = []
    for t in sorted(per_team):
        jury = tuple(sorted(jurors[j].id for j in plan.teams[t]))
        for slot, candidate_id in enumerate(per_team[t], start=1):
            result.append(Assignment(candidate_id, jury, plan.halfday_of[t], slot))
    return result


def solve_decomposed(
    instance: Instance, time_limit: float, workers: int | None, target: int
) -> DecomposedResult | None:
    """Greedy staffing from load ``target`` up, max-flow placement, then CP-SAT improvement of the
    staffing with the time left. None when no schedule was found within ``time_limit``."""
    started = time.perf_counter()
    best: list[Assignment] | None = None
    seed: _Plan | None = None
    for slack in SLACK:
        for load in range(target, len(instance.candidates) + 1):
            seed = _construct(instance, load, slack)
            if seed is not None:
                break
        if seed is not None:
            best = _hear(instance, seed)
            if best is not None:
                break
    if best is None or seed is None:
        return None
    first = time.perf_counter() - started
    bound = 0
    if time_limit - first > 2.0:
        improved, bound = _improve(instance, seed, started + time_limit - 0.2, workers)
        if improved is not None:
            placed = _hear(instance, improved)
            if (
                placed is not None
                and objective_value(instance, placed)[0] < objective_value(instance, best)[0]
            ):
                best = placed
    return DecomposedResult(best, bound, first)
