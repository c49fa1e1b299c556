"""Independent re-check of a jury schedule against every hard constraint.

The solver's output goes through :func:`check_assignment` in the tests, and organisers' hand
edits will go through it too, so it shares no code with the solver: it only reads the instance
and the assignments.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from certeval.domain.juries.instance import Instance


@dataclass(frozen=True)
class Assignment:
    """One oral: a candidate, the jurors of their jury, the half-day and the slot (1-based)."""

    candidate: str
    jurors: tuple[str, ...]
    halfday: str
    slot: int

    def to_dict(self) -> dict[str, object]:
        return {
            "candidate": self.candidate,
            "jurors": list(self.jurors),
            "halfday": self.halfday,
            "slot": self.slot,
        }


@dataclass(frozen=True)
class Violation:
    """A broken hard constraint. ``constraint`` is one of: unknown_id, coverage, size, group,
    academy, conflict, availability, max_load, stable_team, slot, reading_delay."""

    constraint: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"constraint": self.constraint, "message": self.message}


def check_assignment(instance: Instance, assignments: Sequence[Assignment]) -> list[Violation]:
    """Every hard constraint broken by ``assignments``; empty when the schedule is valid."""
    violations: list[Violation] = []
    candidates = {c.id: c for c in instance.candidates}
    jurors = {j.id: j for j in instance.jurors}
    rule = instance.rule

    seen = Counter(a.candidate for a in assignments)
    for candidate in instance.candidates:
        if seen[candidate.id] == 0:
            violations.append(Violation("coverage", f"candidate {candidate.id} has no jury"))
        elif seen[candidate.id] > 1:
            violations.append(
                Violation("coverage", f"candidate {candidate.id} is scheduled {seen[candidate.id]} times")
            )

    load: Counter[str] = Counter()
    teams: defaultdict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    busy: defaultdict[tuple[str, str, int], list[str]] = defaultdict(list)
    for a in assignments:
        where = f"candidate {a.candidate} ({a.halfday} slot {a.slot})"
        heard = candidates.get(a.candidate)
        if heard is None:
            violations.append(Violation("unknown_id", f"unknown candidate {a.candidate}"))
        unknown = [j for j in a.jurors if j not in jurors]
        for juror_id in unknown:
            violations.append(Violation("unknown_id", f"{where}: unknown juror {juror_id}"))
        members = [jurors[j] for j in a.jurors if j in jurors]
        if len(set(a.jurors)) != len(a.jurors):
            violations.append(Violation("size", f"{where}: a juror is listed twice"))
        if len(set(a.jurors)) != rule.size:
            violations.append(
                Violation(
                    "size", f"{where}: jury of {len(set(a.jurors))} members, the rule needs {rule.size}"
                )
            )
        for group in rule.groups:
            count = sum(1 for j in members if j.role in group.roles)
            if count < group.min or count > group.max:
                bounds = f"{group.min}..{group.max}"
                violations.append(
                    Violation(
                        "group", f"{where}: {count} member(s) with role {group.label()}, needs {bounds}"
                    )
                )
        if instance.too_early(a.halfday):
            violations.append(
                Violation(
                    "reading_delay",
                    f"{where}: {a.halfday} is before the earliest oral date {instance.earliest_date}",
                )
            )
        if not 1 <= a.slot <= instance.halfday_slots:
            violations.append(Violation("slot", f"{where}: slot outside 1..{instance.halfday_slots}"))
        for juror in members:
            if heard is not None:
                if not rule.same_academy and juror.academy == heard.academy:
                    violations.append(
                        Violation(
                            "academy",
                            f"{where}: juror {juror.id} is from the candidate's academy {heard.academy}",
                        )
                    )
                if juror.id in heard.conflicts:
                    violations.append(Violation("conflict", f"{where}: juror {juror.id} declared a conflict"))
            if a.halfday not in juror.halfdays:
                violations.append(
                    Violation("availability", f"{where}: juror {juror.id} is not available on {a.halfday}")
                )
            load[juror.id] += 1
            teams[(juror.id, a.halfday)].add(frozenset(a.jurors))
            busy[(juror.id, a.halfday, a.slot)].append(a.candidate)

    for juror_id, count in sorted(load.items()):
        if count > jurors[juror_id].max_load:
            violations.append(
                Violation(
                    "max_load",
                    f"juror {juror_id}: {count} candidates, max_load is {jurors[juror_id].max_load}",
                )
            )
    for (juror_id, halfday), sets in sorted(teams.items()):
        if len(sets) > 1:
            violations.append(
                Violation(
                    "stable_team", f"juror {juror_id} sits in {len(sets)} different juries on {halfday}"
                )
            )
    for (juror_id, halfday, slot), names in sorted(busy.items()):
        if len(names) > 1:
            violations.append(
                Violation(
                    "slot",
                    f"juror {juror_id} has {len(names)} candidates on {halfday} slot {slot}: "
                    + ", ".join(sorted(names)),
                )
            )
    return violations
