"""The exact CP-SAT model, for instances small enough to solve whole.

Variables, for every half-day ``h`` and jury index ``k < K_h`` (``K_h`` = how many juries the
jurors available on ``h`` can form):

* ``y[j,h,k]`` juror ``j`` sits in jury ``(h,k)`` (only for jurors available on ``h``);
* ``u[h,k]`` jury ``(h,k)`` is used; ``a[c,h,k]`` candidate ``c`` is heard by it;
* ``n[h,k] = Σ_c a[c,h,k]`` its number of orals, ``w[j,h,k] = n[h,k]`` if ``y[j,h,k]`` else 0.

Constraints: ``Σ_j y = size·u``, each role group between ``min·u`` and ``max·u``, a juror in at most
one jury per half-day (stable teams), ``u ≤ n ≤ halfday_slots·u`` (a jury's orals take distinct
slots), ``Σ_{h,k} a[c,h,k] = 1``, ``a[c,h,k] + y[j,h,k] ≤ 1`` for an ineligible juror (academy,
conflict), ``load_j = Σ w[j,·] ≤ max_load_j``. Objective: ``load_weight · max_j load_j + Σ u``.
Slots are numbered afterwards in each jury: nothing else depends on them.

For explanations the academy/conflict exclusions of each candidate, each juror's max load, each
role group, the slot limit and each candidate's coverage are enforced by assumption literals;
CP-SAT returns a subset of them that is already infeasible, which is shrunk by deletion.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from certeval.domain.juries.cpsat import FirstSolutionTimer, make_solver
from certeval.domain.juries.instance import Instance
from certeval.domain.juries.prechecks import Explanation, max_teams
from certeval.domain.juries.solution import load_weight
from certeval.domain.juries.validation import Assignment


def team_slots(instance: Instance) -> dict[str, int]:
    """``K_h``: how many juries could sit on each half-day."""
    available: dict[str, list[int]] = defaultdict(list)
    for index, juror in enumerate(instance.jurors):
        for halfday in juror.halfdays:
            available[halfday].append(index)
    limit = len(instance.candidates)
    return {
        h: min(limit, max_teams(instance.rule, [instance.jurors[i] for i in available[h]]))
        for h in instance.halfdays
    }


def exact_size(instance: Instance) -> int:
    """Number of candidate-to-jury variables of the exact model."""
    return len(instance.candidates) * sum(team_slots(instance).values())


@dataclass
class ExactResult:
    status: str
    assignments: list[Assignment]
    bound: int | None
    first_solution_seconds: float | None


class _Model:
    def __init__(self, instance: Instance, explain: bool) -> None:
        self.instance = instance
        self.model = cp_model.CpModel()
        model = self.model
        rule, slots = instance.rule, instance.halfday_slots
        n = len(instance.candidates)
        self.assumptions: dict[int, tuple[str, str]] = {}
        self.assumption_vars: dict[int, cp_model.IntVar] = {}

        def literal(kind: str, subject: str) -> cp_model.IntVar | None:
            if not explain:
                return None
            var = model.new_bool_var(f"{kind}:{subject}")
            self.assumptions[var.index] = (kind, subject)
            self.assumption_vars[var.index] = var
            return var

        def enforce(constraint: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
            if lit is not None:
                constraint.only_enforce_if(lit)

        self.teams = [(h, k) for h, count in team_slots(instance).items() for k in range(count)]
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.u: dict[int, cp_model.IntVar] = {}
        self.a: dict[tuple[int, int], cp_model.IntVar] = {}
        members: dict[int, list[int]] = defaultdict(list)
        group_lits = [literal("group", str(g)) for g in range(len(rule.groups))]
        slot_lit = literal("slots", "")
        for t, (h, k) in enumerate(self.teams):
            self.u[t] = model.new_bool_var(f"u{t}")
            if k > 0 and self.teams[t - 1][0] == h:
                model.add(self.u[t] <= self.u[t - 1])
            for j, juror in enumerate(instance.jurors):
                if h in juror.halfdays:
                    self.y[(j, t)] = model.new_bool_var(f"y{j}_{t}")
                    members[t].append(j)
            model.add(sum(self.y[(j, t)] for j in members[t]) == rule.size * self.u[t])
            for g, group in enumerate(rule.groups):
                count = sum(self.y[(j, t)] for j in members[t] if instance.jurors[j].role in group.roles)
                enforce(model.add(count >= group.min * self.u[t]), group_lits[g])
                enforce(model.add(count <= group.max * self.u[t]), group_lits[g])
        by_halfday: dict[str, list[int]] = defaultdict(list)
        for t, (h, _) in enumerate(self.teams):
            by_halfday[h].append(t)
        for j in range(len(instance.jurors)):
            for ts in by_halfday.values():
                seats = [self.y[(j, t)] for t in ts if (j, t) in self.y]
                if len(seats) > 1:
                    model.add_at_most_one(seats)

        for c, candidate in enumerate(instance.candidates):
            cover = literal("cover", candidate.id)
            eligible = literal("eligible", candidate.id)
            for t in range(len(self.teams)):
                self.a[(c, t)] = model.new_bool_var(f"a{c}_{t}")
                for j in members[t]:
                    if not instance.eligible(candidate, instance.jurors[j]):
                        enforce(model.add_bool_or([~self.a[(c, t)], ~self.y[(j, t)]]), eligible)
            chosen = [self.a[(c, t)] for t in range(len(self.teams))]
            model.add(sum(chosen) <= 1)
            enforce(model.add(sum(chosen) == 1), cover)

        loads: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self.n: dict[int, cp_model.IntVar] = {}
        for t in range(len(self.teams)):
            self.n[t] = model.new_int_var(0, n, f"n{t}")
            model.add(self.n[t] == sum(self.a[(c, t)] for c in range(n)))
            model.add(self.n[t] >= self.u[t])
            model.add(self.n[t] <= n * self.u[t])
            enforce(model.add(self.n[t] <= slots * self.u[t]), slot_lit)
            for j in members[t]:
                w = model.new_int_var(0, n, f"w{j}_{t}")
                model.add(w == self.n[t]).only_enforce_if(self.y[(j, t)])
                model.add(w == 0).only_enforce_if(~self.y[(j, t)])
                loads[j].append(w)
        self.max_load = model.new_int_var(0, n, "max_load")
        for j, juror in enumerate(instance.jurors):
            if not loads[j]:
                continue
            load = sum(loads[j])
            enforce(model.add(load <= juror.max_load), literal("load", juror.id))
            model.add(self.max_load >= load)
        if not explain:
            model.minimize(load_weight(instance) * self.max_load + sum(self.u.values()))

    def assignments(self, solver: cp_model.CpSolver) -> list[Assignment]:
        result: list[Assignment] = []
        for t, (h, _) in enumerate(self.teams):
            if not solver.boolean_value(self.u[t]):
                continue
            jury = tuple(
                sorted(
                    self.instance.jurors[j].id
                    for (j, tt), v in self.y.items()
                    if tt == t and solver.boolean_value(v)
                )
            )
            heard = [c for c in range(len(self.instance.candidates)) if solver.boolean_value(self.a[(c, t)])]
            for slot, c in enumerate(heard, start=1):
                result.append(Assignment(self.instance.candidates[c].id, jury, h, slot))
        return result


def solve_exact(instance: Instance, time_limit: float, workers: int | None) -> ExactResult:
    started = time.perf_counter()
    built = _Model(instance, explain=False)
    solver = make_solver(time_limit - (time.perf_counter() - started), workers)
    timer = FirstSolutionTimer(started)
    status = solver.solve(built.model, timer)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        name = "optimal" if status == cp_model.OPTIMAL else "feasible"
        return ExactResult(name, built.assignments(solver), int(solver.best_objective_bound), timer.first)
    if status == cp_model.INFEASIBLE:
        return ExactResult("infeasible", [], None, None)
    return ExactResult("unknown", [], None, None)


def _infeasible(built: _Model, literals: list[cp_model.IntVar], time_limit: float) -> tuple[bool, list[int]]:
    built.model.clear_assumptions()
    built.model.add_assumptions(literals)
    solver = make_solver(time_limit, 1)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return True, list(solver.sufficient_assumptions_for_infeasibility())
    return False, []


def explain_exact(instance: Instance, time_limit: float) -> list[Explanation]:
    """Which constraint groups, for whom, make the instance infeasible (shrunk by deletion)."""
    started = time.perf_counter()
    built = _Model(instance, explain=True)
    variables = built.assumption_vars
    infeasible, core = _infeasible(built, list(variables.values()), time_limit / 2)
    if not infeasible:
        return []
    core = core or list(variables)
    for index in list(core):
        if time.perf_counter() - started > time_limit or len(core) == 1:
            break
        trial = [i for i in core if i != index]
        still, smaller = _infeasible(built, [variables[i] for i in trial], max(0.5, time_limit / 10))
        if still:
            core = [i for i in trial if not smaller or i in smaller] or trial
    return _describe(instance, [built.assumptions[i] for i in core])


def _describe(instance: Instance, core: list[tuple[str, str]]) -> list[Explanation]:
    kinds: dict[str, list[str]] = defaultdict(list)
    for kind, subject in core:
        kinds[kind].append(subject)
    candidates = {c.id: c for c in instance.candidates}
    jurors = {j.id: j for j in instance.jurors}
    found: list[Explanation] = []
    covered = sorted(kinds["cover"])
    if covered:
        found.append(
            Explanation(
                "coverage",
                "candidates "
                + ", ".join(covered)
                + " cannot all get a jury, given the jurors' half-days and "
                "one jury per juror per half-day, under the constraints below",
            )
        )
    for candidate_id in sorted(kinds["eligible"]):
        candidate = candidates[candidate_id]
        parts = [] if instance.rule.same_academy else [f"no juror from academy {candidate.academy}"]
        if candidate.conflicts:
            parts.append("no juror among their conflicts " + ", ".join(sorted(candidate.conflicts)))
        found.append(
            Explanation(
                "conflict" if candidate.conflicts and instance.rule.same_academy else "academy",
                f"candidate {candidate_id}: " + " and ".join(parts),
            )
        )
    for g in sorted(kinds["group"]):
        group = instance.rule.groups[int(g)]
        found.append(
            Explanation(
                "group",
                f"role group {group.label()}: {group.min} to {group.max} per jury of {instance.rule.size}",
            )
        )
    if kinds["slots"]:
        found.append(
            Explanation(
                "slot", f"at most halfday_slots = {instance.halfday_slots} orals per jury and half-day"
            )
        )
    loads = sorted(kinds["load"])
    if loads:
        found.append(
            Explanation(
                "max_load",
                "max_load of juror(s) " + ", ".join(f"{j} ({jurors[j].max_load})" for j in loads),
            )
        )
    return found
