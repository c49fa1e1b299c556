"""Cheap necessary conditions, checked before any model is built.

Each check is a counting argument that every schedule must satisfy; when one fails the instance
is infeasible and the failure names the blocking constraint and whom it concerns. The same
counts give the lower bounds used to report the optimality gap of the solver's objective.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil

from certeval.domain.juries.instance import Candidate, Instance, Juror, Rule


@dataclass(frozen=True)
class Explanation:
    """Why no schedule exists: the blocking ``constraint`` and a sentence naming whom it concerns."""

    constraint: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"constraint": self.constraint, "message": self.message}


def max_teams(rule: Rule, jurors: Iterable[Juror]) -> int:
    """How many disjoint juries satisfying ``rule`` can be formed from ``jurors``.

    Exact because the rule's role groups are disjoint: ``k`` juries exist iff every group has
    ``min·k`` members and, capping each group at ``max·k`` seats, ``size·k`` seats can be filled
    (give each jury its minimums, then deal the remaining members round-robin).
    """
    per_group = [0] * len(rule.groups)
    free = 0
    total = 0
    for juror in jurors:
        total += 1
        group = rule.group_of(juror.role)
        if group is None:
            free += 1
        else:
            per_group[group] += 1
    for k in range(total // rule.size, 0, -1):
        if any(count < g.min * k for count, g in zip(per_group, rule.groups, strict=True)):
            continue
        seats = free + sum(min(count, g.max * k) for count, g in zip(per_group, rule.groups, strict=True))
        if seats >= rule.size * k:
            return k
    return 0


def seat_capacity(instance: Instance, juror: Juror) -> int:
    """The most orals ``juror`` can sit: their max load, and at most every slot of their half-days."""
    return min(juror.max_load, len(juror.halfdays) * instance.halfday_slots)


def _available(instance: Instance) -> dict[str, list[Juror]]:
    by_halfday: dict[str, list[Juror]] = defaultdict(list)
    for juror in instance.jurors:
        for halfday in juror.halfdays:
            by_halfday[halfday].append(juror)
    return by_halfday


def _group_name(instance: Instance, index: int) -> str:
    return instance.rule.groups[index].label()


def _capacity_checks(instance: Instance) -> list[Explanation]:
    rule, slots, n = instance.rule, instance.halfday_slots, len(instance.candidates)
    available = _available(instance)
    teams = sum(max_teams(rule, jurors) for jurors in available.values())
    if teams * slots >= n:
        return []
    found: list[Explanation] = []
    needed_teams = ceil(n / slots)
    juror_halfdays = sum(len(jurors) for jurors in available.values())
    if sum(len(j) // rule.size for j in available.values()) < needed_teams:
        found.append(
            Explanation(
                "capacity",
                f"not enough juror-half-days: {n} candidates need ≥ {needed_teams} juries of {rule.size} "
                f"(≥ {needed_teams * rule.size} juror-half-days), the jurors offer {juror_halfdays}",
            )
        )
    for index, group in enumerate(rule.groups):
        if group.min == 0:
            continue
        have = sum(sum(1 for j in jurors if j.role in group.roles) for jurors in available.values())
        group_teams = sum(
            sum(1 for j in jurors if j.role in group.roles) // group.min for jurors in available.values()
        )
        if group_teams < needed_teams:
            found.append(
                Explanation(
                    "group",
                    f"not enough {_group_name(instance, index)}-half-days: need ≥ {needed_teams * group.min} "
                    f"({group.min} per jury × {needed_teams} juries), have {have}",
                )
            )
    found.append(
        Explanation(
            "capacity",
            f"total capacity: at most {teams} juries over {len(available)} half-days × {slots} slots = "
            f"{teams * slots} orals < {n} candidates",
        )
    )
    return found


def _load_checks(instance: Instance) -> list[Explanation]:
    rule, n = instance.rule, len(instance.candidates)
    found: list[Explanation] = []
    seats = sum(seat_capacity(instance, j) for j in instance.jurors)
    if seats < rule.size * n:
        found.append(
            Explanation(
                "max_load",
                f"total juror load: the jurors can sit {seats} orals in all (max_load and half-days), "
                f"{n} candidates × {rule.size} jurors need {rule.size * n}",
            )
        )
    for index, group in enumerate(rule.groups):
        have = sum(seat_capacity(instance, j) for j in instance.jurors if j.role in group.roles)
        if have < group.min * n:
            found.append(
                Explanation(
                    "max_load",
                    f"role group {_group_name(instance, index)}: their loads add up to {have} orals, "
                    f"the rule needs ≥ {group.min} × {n} = {group.min * n}",
                )
            )
    return found


def _describe_candidate(instance: Instance, candidate: Candidate, eligible: list[Juror]) -> Explanation:
    rule = instance.rule
    who = f"candidate {candidate.id} (academy {candidate.academy})"
    outside = "" if rule.same_academy else f" outside academy {candidate.academy}"
    conflicts = " and free of conflicts" if candidate.conflicts else ""
    constraint = "conflict" if candidate.conflicts else ("availability" if rule.same_academy else "academy")
    if len(eligible) < rule.size:
        return Explanation(
            constraint,
            f"{who}: only {len(eligible)} eligible juror(s){outside}{conflicts}; the rule needs {rule.size}",
        )
    for index, group in enumerate(rule.groups):
        count = sum(1 for j in eligible if j.role in group.roles)
        if count < group.min:
            return Explanation(
                constraint,
                f"{who}: only {count} eligible {_group_name(instance, index)} juror(s){outside}{conflicts}; "
                f"the rule needs {group.min}",
            )
    return Explanation(
        "availability",
        f"{who}: no half-day on which enough eligible jurors{outside}{conflicts} are available together "
        "to form a jury",
    )


def _candidate_checks(instance: Instance) -> list[Explanation]:
    found: list[Explanation] = []
    classes: dict[tuple[str, frozenset[str]], list[Candidate]] = defaultdict(list)
    for candidate in instance.candidates:
        classes[(candidate.academy, candidate.conflicts)].append(candidate)
    available = _available(instance)
    for members in classes.values():
        first = members[0]
        eligible = [j for j in instance.jurors if instance.eligible(first, j)]
        ok_ids = {j.id for j in eligible}
        if any(
            max_teams(instance.rule, [j for j in jurors if j.id in ok_ids]) > 0
            for jurors in available.values()
        ):
            continue
        found.extend(_describe_candidate(instance, c, eligible) for c in members)
    return found


def _academy_checks(instance: Instance) -> list[Explanation]:
    rule, slots = instance.rule, instance.halfday_slots
    if rule.same_academy:
        return []
    found: list[Explanation] = []
    available = _available(instance)
    per_academy = Counter(c.academy for c in instance.candidates)
    for academy, count in sorted(per_academy.items()):
        outsiders = [j for j in instance.jurors if j.academy != academy]
        seats = sum(seat_capacity(instance, j) for j in outsiders)
        if seats < rule.size * count:
            found.append(
                Explanation(
                    "academy",
                    f"academy {academy}: {count} candidates need {rule.size * count} juror seats from other "
                    f"academies, those jurors can sit {seats}",
                )
            )
            continue
        short = [
            (
                index,
                group.min * count,
                sum(seat_capacity(instance, j) for j in outsiders if j.role in group.roles),
            )
            for index, group in enumerate(rule.groups)
            if group.min
        ]
        short = [(index, needed, held) for index, needed, held in short if held < needed]
        if short:
            found.extend(
                Explanation(
                    "academy",
                    f"academy {academy}: {count} candidates need {needed} {_group_name(instance, index)} "
                    f"juror seats from other academies, those jurors can sit {held}",
                )
                for index, needed, held in short
            )
            continue
        teams = sum(
            max_teams(rule, [j for j in jurors if j.academy != academy]) for jurors in available.values()
        )
        if teams * slots < count:
            found.append(
                Explanation(
                    "academy",
                    f"academy {academy}: {count} candidates, but juries without a juror from {academy} "
                    f"can hold at most {teams} × {slots} = {teams * slots} orals",
                )
            )
    return found


def precheck(instance: Instance) -> list[Explanation]:
    """Necessary conditions that fail, most specific first; empty when none fails."""
    if not instance.candidates:
        return []
    candidate_level = _candidate_checks(instance)
    if candidate_level:
        return candidate_level
    return _academy_checks(instance) + _load_checks(instance) + _capacity_checks(instance)


def load_lower_bound(instance: Instance) -> int:
    """A lower bound on the largest juror load of any schedule (water-filling over seat capacities)."""
    rule, n = instance.rule, len(instance.candidates)
    if n == 0:
        return 0
    caps = [(j, seat_capacity(instance, j)) for j in instance.jurors]
    per_academy = Counter(c.academy for c in instance.candidates)

    def enough(level: int) -> bool:
        if sum(min(level, cap) for _, cap in caps) < rule.size * n:
            return False
        for group in rule.groups:
            if sum(min(level, cap) for j, cap in caps if j.role in group.roles) < group.min * n:
                return False
        if not rule.same_academy:
            for academy, count in per_academy.items():
                if sum(min(level, cap) for j, cap in caps if j.academy != academy) < rule.size * count:
                    return False
        return True

    low, high = 1, n
    if not enough(high):
        return n
    while low < high:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle + 1
    return low
