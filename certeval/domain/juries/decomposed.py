"""Two-phase decomposition for large instances (thousands of candidates, hundreds of jurors).

A monolithic model has a candidate × jury × half-day variable per pair, 2,000 × ~300 juries per
campaign: millions of Booleans. The candidates, though, only differ by their academy and their
(rare) conflicts, and the juries only matter through their members. So:

**Phase A — staffing plan (CP-SAT, a relaxation).** ``x[j,h]``: juror ``j`` sits on half-day
``h``; ``k_h``: number of juries on ``h``; ``s_j``: orals juror ``j`` will sit. Constraints:
``Σ_j x[j,h] = size·k_h``; each role group holds between ``min·k_h`` and ``max·k_h`` of them (the
groups are disjoint, so these counts are exactly what a partition into ``k_h`` juries needs);
``Σ_h slots·k_h ≥ N``; ``t_j = Σ_h x[j,h] ≤ s_j ≤ min(max_load_j, slots·t_j, L)``;
``Σ_j s_j = size·N``; each role group sits ``≥ min·N`` orals; jurors outside each academy sit
``≥ size·N_A`` orals. Objective ``load_weight·L + Σ_h k_h``, as in the exact model. Any schedule
satisfies these constraints, so CP-SAT's bound on phase A is a lower bound on the real optimum.

**Partition.** On each half-day the chosen jurors are dealt into ``k_h`` juries: each jury gets its
group minimums, then the remaining members are dealt round-robin, which respects every group
maximum.

**Phase B — hearing plan (CP-SAT).** Candidates are grouped into classes of equal academy and
conflicts (≈ one class per academy); ``m[c,t]``: number of candidates of class ``c`` heard by
jury ``t``, defined only for compatible pairs (no member from the academy, none in the
conflicts). ``Σ_t m[c,t] = |c|``, ``f_t = Σ_c m[c,t] ≤ slots``, ``load_j = Σ_{t∋j} f_t ≤ max_load_j``.
Same objective. It is warm-started from a greedy assignment (fill the compatible jury whose
busiest member is least loaded), which is usually already a complete schedule.

If phase B finds no schedule (an academy or conflict pattern the relaxation cannot see), phase A
is solved again with more juries and with, for each academy, enough juries free of its jurors:
``Σ_h slots·(k_h − Σ_{j∈A} x[j,h]) ≥ N_A``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from math import ceil

from ortools.sat.python import cp_model

from certeval.domain.juries.cpsat import FirstSolutionTimer, make_solver
from certeval.domain.juries.exact import team_slots
from certeval.domain.juries.instance import Candidate, Instance, Rule
from certeval.domain.juries.solution import load_weight
from certeval.domain.juries.validation import Assignment


@dataclass
class DecomposedResult:
    assignments: list[Assignment]
    bound: int
    first_solution_seconds: float | None


@dataclass
class _Plan:
    staffed: dict[str, list[int]]
    bound: int


def _plan(
    instance: Instance, extra_teams: int, guard: bool, time_limit: float, workers: int | None
) -> _Plan | None:
    model = cp_model.CpModel()
    rule, slots = instance.rule, instance.halfday_slots
    n = len(instance.candidates)
    jurors = instance.jurors
    limits = team_slots(instance)
    x: dict[tuple[int, str], cp_model.IntVar] = {}
    for j, juror in enumerate(jurors):
        for h in juror.halfdays:
            x[(j, h)] = model.new_bool_var(f"x{j}_{h}")
    k = {h: model.new_int_var(0, limits[h], f"k_{h}") for h in instance.halfdays}
    for h in instance.halfdays:
        present = [j for j, juror in enumerate(jurors) if h in juror.halfdays]
        model.add(sum(x[(j, h)] for j in present) == rule.size * k[h])
        for group in rule.groups:
            in_group = sum(x[(j, h)] for j in present if jurors[j].role in group.roles)
            model.add(in_group >= group.min * k[h])
            model.add(in_group <= group.max * k[h])
    model.add(slots * sum(k.values()) >= n)
    model.add(sum(k.values()) >= ceil(n / slots) + extra_teams)
    top = model.new_int_var(0, n, "max_load")
    sits: list[cp_model.IntVar] = []
    for j, juror in enumerate(jurors):
        taken = cp_model.LinearExpr.sum([x[(j, h)] for h in juror.halfdays])
        s = model.new_int_var(0, min(juror.max_load, n), f"s{j}")
        model.add(s >= taken)
        model.add(s <= slots * taken)
        model.add(s <= top)
        sits.append(s)
    model.add(sum(sits) == rule.size * n)
    for group in rule.groups:
        model.add(sum(s for s, j in zip(sits, jurors, strict=True) if j.role in group.roles) >= group.min * n)
    if not rule.same_academy:
        per_academy: dict[str, int] = defaultdict(int)
        for candidate in instance.candidates:
            per_academy[candidate.academy] += 1
        for academy, count in per_academy.items():
            model.add(
                sum(s for s, j in zip(sits, jurors, strict=True) if j.academy != academy) >= rule.size * count
            )
            if guard:
                blocked = sum(v for (j, _), v in x.items() if jurors[j].academy == academy)
                model.add(slots * (sum(k.values()) - blocked) >= count)
    model.minimize(load_weight(instance) * top + sum(k.values()))
    solver = make_solver(time_limit, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    staffed = {
        h: [j for j, juror in enumerate(jurors) if h in juror.halfdays and solver.boolean_value(x[(j, h)])]
        for h in instance.halfdays
    }
    bound = 0 if guard or extra_teams else int(solver.best_objective_bound)
    return _Plan(staffed, bound)


def partition(instance: Instance, members: list[int], count: int) -> list[list[int]]:
    """Deal ``members`` (juror indices, exactly ``size·count`` of them, group counts within the
    rule's bounds) into ``count`` juries satisfying the rule."""
    rule: Rule = instance.rule
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


def _greedy(
    instance: Instance, teams: list[list[int]], classes: list[list[Candidate]], compatible: list[list[int]]
) -> list[dict[int, int]] | None:
    """Class → {jury: count}; each oral goes to the compatible jury whose busiest member is least
    loaded, preferring juries already in use. None when some candidate finds no room."""
    slots = instance.halfday_slots
    jurors = instance.jurors
    load = [0] * len(jurors)
    fill = [0] * len(teams)
    plan: list[dict[int, int]] = [defaultdict(int) for _ in classes]
    order = sorted(range(len(classes)), key=lambda c: len(compatible[c]) / len(classes[c]))
    for c in order:
        for _ in classes[c]:
            best: tuple[int, int, int] | None = None
            for t in compatible[c]:
                if fill[t] >= slots:
                    continue
                busiest = max(load[j] for j in teams[t])
                if any(load[j] >= jurors[j].max_load for j in teams[t]):
                    continue
                key = (busiest, 0 if fill[t] else 1, t)
                if best is None or key < best:
                    best = key
            if best is None:
                return None
            t = best[2]
            fill[t] += 1
            for j in teams[t]:
                load[j] += 1
            plan[c][t] += 1
    return plan


def _hear(
    instance: Instance,
    teams: list[list[int]],
    halfday_of: list[str],
    deadline: float,
    workers: int | None,
    bound: int,
    started: float,
    retry_share: float,
) -> tuple[list[Assignment], float | None] | None:
    jurors = instance.jurors
    slots = instance.halfday_slots
    n = len(instance.candidates)
    classes = _classes(instance)
    compatible: list[list[int]] = []
    for members in classes:
        representative = members[0]
        compatible.append(
            [
                t
                for t, team in enumerate(teams)
                if all(instance.eligible(representative, jurors[j]) for j in team)
            ]
        )
    greedy = _greedy(instance, teams, classes, compatible)
    greedy_at = time.perf_counter() - started if greedy is not None else None

    model = cp_model.CpModel()
    m: dict[tuple[int, int], cp_model.IntVar] = {}
    heard: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for c, members in enumerate(classes):
        for t in compatible[c]:
            cap = min(len(members), slots, min(jurors[j].max_load for j in teams[t]))
            m[(c, t)] = model.new_int_var(0, cap, f"m{c}_{t}")
            heard[t].append(m[(c, t)])
        model.add(sum(m[(c, t)] for t in compatible[c]) == len(members))
    used: list[cp_model.IntVar] = []
    fills: dict[int, cp_model.LinearExprT] = {}
    for t in range(len(teams)):
        if not heard[t]:
            continue
        u = model.new_bool_var(f"u{t}")
        fills[t] = sum(heard[t])
        model.add(fills[t] <= slots * u)
        model.add(fills[t] >= u)
        used.append(u)
    top = model.new_int_var(0, n, "max_load")
    on: dict[int, list[int]] = defaultdict(list)
    for t, team in enumerate(teams):
        for j in team:
            on[j].append(t)
    for j, ts in on.items():
        load = sum(fills[t] for t in ts if t in fills)
        model.add(load <= jurors[j].max_load)
        model.add(load <= top)
    objective = load_weight(instance) * top + sum(used)
    model.add(objective >= bound)
    model.minimize(objective)
    if greedy is not None:
        for (c, t), var in m.items():
            model.add_hint(var, greedy[c].get(t, 0))
    remaining = deadline - time.perf_counter()
    if greedy is None:
        remaining *= retry_share
    solver = make_solver(remaining, workers)
    timer = FirstSolutionTimer(started)
    status = solver.solve(model, timer)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        counts = {key: int(solver.value(var)) for key, var in m.items()}
    elif greedy is not None:
        counts = {(c, t): v for c, plan in enumerate(greedy) for t, v in plan.items()}
    else:
        return None
    first_at = min((v for v in (greedy_at, timer.first) if v is not None), default=None)
    return _schedule(instance, teams, halfday_of, classes, counts), first_at


def _schedule(
    instance: Instance,
    teams: list[list[int]],
    halfday_of: list[str],
    classes: list[list[Candidate]],
    counts: dict[tuple[int, int], int],
) -> list[Assignment]:
    per_team: dict[int, list[str]] = defaultdict(list)
    for c, members in enumerate(classes):
        queue = [candidate.id for candidate in members]
        for (cc, t), count in sorted(counts.items()):
            if cc == c and count:
                per_team[t].extend(queue[:count])
                del queue[:count]
    result: list[Assignment] = []
    for t in sorted(per_team):
        jury = tuple(sorted(instance.jurors[j].id for j in teams[t]))
        for slot, candidate_id in enumerate(per_team[t], start=1):
            result.append(Assignment(candidate_id, jury, halfday_of[t], slot))
    return result


def solve_decomposed(instance: Instance, time_limit: float, workers: int | None) -> DecomposedResult | None:
    """Phase A, partition, phase B; retried with more juries and academy guards if phase B fails.
    None when no schedule was found within ``time_limit``."""
    started = time.perf_counter()
    bound = 0
    for attempt in range(3):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0.5:
            return None
        extra = (
            0 if attempt == 0 else ceil(len(instance.candidates) / instance.halfday_slots * 0.05 * attempt)
        )
        plan = _plan(
            instance, extra, guard=attempt > 0, time_limit=min(remaining * 0.4, 20.0), workers=workers
        )
        if plan is None:
            continue
        bound = max(bound, plan.bound)
        teams: list[list[int]] = []
        halfday_of: list[str] = []
        for h, members in plan.staffed.items():
            count = len(members) // instance.rule.size
            if count:
                for team in partition(instance, members, count):
                    teams.append(team)
                    halfday_of.append(h)
        found = _hear(
            instance,
            teams,
            halfday_of,
            started + time_limit,
            workers,
            bound,
            started,
            retry_share=(0.5, 0.6, 1.0)[attempt],
        )
        if found is not None:
            assignments, first = found
            return DecomposedResult(assignments, bound, first)
    return None
