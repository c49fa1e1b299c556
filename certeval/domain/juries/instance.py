"""The jury composition and oral scheduling problem, as plain typed data.

An instance is what ``certeval juries solve INSTANCE.json`` reads::

    {"rule": {"size": 3,
              "groups": [{"roles": ["drane", "inspecteur", "direction"], "min": 1},
                         {"roles": ["expert"], "min": 1, "max": 2}],
              "same_academy": false},
     "halfday_slots": 5,
     "candidates": [{"id": "C1", "academy": "Lyon", "conflicts": ["J7"]}],
     "jurors": [{"id": "J1", "role": "expert", "academy": "Nice",
                 "halfdays": ["2026-05-12-am"], "max_load": 12}],
     "earliest_date": "2026-05-12"}

``earliest_date`` (optional, ``YYYY-MM-DD``) is the first day an oral may take place: the jurors
read the frozen dossiers during a minimum delay before the orals, so half-days (labelled
``YYYY-MM-DD-am|pm``) before it are not used.

:func:`parse_instance` validates such a dict and reports the first error with its JSON path,
e.g. ``jurors[3].max_load: must be a positive integer``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InstanceError(ValueError):
    """An instance dict that does not describe a valid problem; ``path`` is the JSON path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class RoleGroup:
    """At least ``min`` and at most ``max`` members of a jury hold one of ``roles``."""

    roles: frozenset[str]
    min: int
    max: int

    def label(self) -> str:
        return "/".join(sorted(self.roles))


@dataclass(frozen=True)
class Rule:
    """Jury composition rule: ``size`` members, role groups, whether a juror may sit for a
    candidate of their own academy."""

    size: int
    groups: tuple[RoleGroup, ...]
    same_academy: bool = False

    def group_of(self, role: str) -> int | None:
        """Index of the group holding ``role`` (groups are disjoint), or None."""
        for index, group in enumerate(self.groups):
            if role in group.roles:
                return index
        return None


@dataclass(frozen=True)
class Candidate:
    id: str
    academy: str
    conflicts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Juror:
    id: str
    role: str
    academy: str
    halfdays: frozenset[str]
    max_load: int


@dataclass(frozen=True)
class Instance:
    rule: Rule
    halfday_slots: int
    candidates: tuple[Candidate, ...]
    jurors: tuple[Juror, ...]
    earliest_date: str | None = None
    halfdays: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        days = sorted({h for juror in self.jurors for h in juror.halfdays})
        object.__setattr__(self, "halfdays", tuple(days))

    def too_early(self, halfday: str) -> bool:
        """Whether ``halfday`` falls before the earliest oral date (ISO labels compare as text)."""
        return self.earliest_date is not None and halfday[:10] < self.earliest_date

    def eligible(self, candidate: Candidate, juror: Juror) -> bool:
        """Whether ``juror`` may sit on ``candidate``'s jury (academy and conflicts only)."""
        if not self.rule.same_academy and juror.academy == candidate.academy:
            return False
        return juror.id not in candidate.conflicts

    def to_dict(self) -> dict[str, object]:
        """The JSON form accepted by :func:`parse_instance`."""
        groups: list[dict[str, object]] = []
        for group in self.rule.groups:
            entry: dict[str, object] = {"roles": sorted(group.roles), "min": group.min}
            if group.max < self.rule.size:
                entry["max"] = group.max
            groups.append(entry)
        data: dict[str, object] = {
            "rule": {"size": self.rule.size, "groups": groups, "same_academy": self.rule.same_academy},
            "halfday_slots": self.halfday_slots,
            "candidates": [
                {"id": c.id, "academy": c.academy, "conflicts": sorted(c.conflicts)} for c in self.candidates
            ],
            "jurors": [
                {
                    "id": j.id,
                    "role": j.role,
                    "academy": j.academy,
                    "halfdays": sorted(j.halfdays),
                    "max_load": j.max_load,
                }
                for j in self.jurors
            ],
        }
        if self.earliest_date is not None:
            data["earliest_date"] = self.earliest_date
        return data


def _field(data: Mapping[str, object], key: str, path: str) -> object:
    if key not in data:
        raise InstanceError(f"{path}.{key}" if path else key, "missing field")
    return data[key]


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InstanceError(path, "must be an object")
    return value


def _list(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise InstanceError(path, "must be a list")
    return value


def _string(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(path, "must be a non-empty string")
    return value


def _int(value: object, path: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
        raise InstanceError(path, f"must be {kind}")
    return value


def _strings(value: object, path: str) -> list[str]:
    return [_string(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path))]


def _parse_rule(value: object) -> Rule:
    data = _mapping(value, "rule")
    size = _int(_field(data, "size", "rule"), "rule.size", 1)
    same_academy = data.get("same_academy", False)
    if not isinstance(same_academy, bool):
        raise InstanceError("rule.same_academy", "must be true or false")
    groups: list[RoleGroup] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(_list(_field(data, "groups", "rule"), "rule.groups")):
        path = f"rule.groups[{index}]"
        group = _mapping(raw, path)
        roles = _strings(_field(group, "roles", path), f"{path}.roles")
        if not roles:
            raise InstanceError(f"{path}.roles", "must name at least one role")
        for role in roles:
            if role in seen and seen[role] != index:
                raise InstanceError(f"{path}.roles", f"role {role!r} already in rule.groups[{seen[role]}]")
            seen[role] = index
        low = _int(_field(group, "min", path), f"{path}.min", 0)
        high = _int(group.get("max", size), f"{path}.max", 0)
        if low > high:
            raise InstanceError(f"{path}.max", f"must be ≥ min ({low})")
        if high > size:
            raise InstanceError(f"{path}.max", f"must be ≤ rule.size ({size})")
        groups.append(RoleGroup(frozenset(roles), low, high))
    if sum(g.min for g in groups) > size:
        raise InstanceError("rule.groups", f"the minimums add up to more than rule.size ({size})")
    return Rule(size, tuple(groups), same_academy)


def parse_instance(data: object) -> Instance:
    """Validate a decoded JSON value and build the :class:`Instance`; raise :class:`InstanceError`."""
    root = _mapping(data, "")
    rule = _parse_rule(_field(root, "rule", ""))
    halfday_slots = _int(_field(root, "halfday_slots", ""), "halfday_slots", 1)

    jurors: list[Juror] = []
    juror_ids: set[str] = set()
    for index, raw in enumerate(_list(_field(root, "jurors", ""), "jurors")):
        path = f"jurors[{index}]"
        item = _mapping(raw, path)
        juror_id = _string(_field(item, "id", path), f"{path}.id")
        if juror_id in juror_ids:
            raise InstanceError(f"{path}.id", f"duplicate juror id {juror_id!r}")
        juror_ids.add(juror_id)
        jurors.append(
            Juror(
                id=juror_id,
                role=_string(_field(item, "role", path), f"{path}.role"),
                academy=_string(_field(item, "academy", path), f"{path}.academy"),
                halfdays=frozenset(_strings(_field(item, "halfdays", path), f"{path}.halfdays")),
                max_load=_int(_field(item, "max_load", path), f"{path}.max_load", 1),
            )
        )

    candidates: list[Candidate] = []
    candidate_ids: set[str] = set()
    for index, raw in enumerate(_list(_field(root, "candidates", ""), "candidates")):
        path = f"candidates[{index}]"
        item = _mapping(raw, path)
        candidate_id = _string(_field(item, "id", path), f"{path}.id")
        if candidate_id in candidate_ids:
            raise InstanceError(f"{path}.id", f"duplicate candidate id {candidate_id!r}")
        candidate_ids.add(candidate_id)
        conflicts = _strings(item.get("conflicts", []), f"{path}.conflicts")
        for position, juror_id in enumerate(conflicts):
            if juror_id not in juror_ids:
                raise InstanceError(f"{path}.conflicts[{position}]", f"unknown juror id {juror_id!r}")
        candidates.append(
            Candidate(
                id=candidate_id,
                academy=_string(_field(item, "academy", path), f"{path}.academy"),
                conflicts=frozenset(conflicts),
            )
        )
    earliest = root.get("earliest_date")
    if earliest is not None and (not isinstance(earliest, str) or not ISO_DATE.match(earliest)):
        raise InstanceError("earliest_date", "must be a date YYYY-MM-DD")
    return Instance(rule, halfday_slots, tuple(candidates), tuple(jurors), earliest)
