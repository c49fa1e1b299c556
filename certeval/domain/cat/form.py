"""Test-form content constraints (FORM.yaml) and their exact feasibility check during a test.

A form is a tree of counting constraints: the whole test (exact length when the form has parts) →
parts (exact count, e.g. 16 ``crcn-edu`` + 48 ``crcn``) → domains of a part (optional min/max quota) →
competences of a part (min/max visits; ``competence: {min: 1}`` means every competence is visited).
Each item belongs to one leaf (part, competence). Because the constraint sets are nested (a laminar
family), the counts a subtree can still take form an integer interval [need, cap], computed bottom-up;
the remaining test is feasible exactly when need ≤ cap at every node. Before each selection
:meth:`ContentState.admissible_leaves` keeps only the leaves whose choice leaves the rest feasible, so
the constraints hold by construction whatever the answers, the estimator or the exposure control (no
penalty weights to tune, unlike the weighted-deviation or maximum-priority-index heuristics, and tens
of microseconds per step instead of a shadow-test MIP).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from certeval.domain.cat.irt import BoolArray, IntArray, ItemBank

UNBOUNDED = 1_000_000


class FormFormatError(ValueError):
    """A FORM.yaml file that cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class Quota:
    min: int = 0
    max: int = UNBOUNDED

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < self.min:
            raise ValueError(f"quota needs 0 ≤ min ≤ max, got min={self.min}, max={self.max}")


@dataclass(frozen=True)
class PartSpec:
    """Constraints on one part of the form (``crcn``, ``crcn-edu``)."""

    name: str
    count: int
    competence: Quota = Quota(1, UNBOUNDED)
    competences: tuple[str, ...] | None = None
    domains: dict[str, Quota] = field(default_factory=dict)


@dataclass(frozen=True)
class FormSpec:
    """A test form: its length and, optionally, content constraints per part."""

    length: int
    parts: tuple[PartSpec, ...] = ()
    no_repeat_competence: bool = False
    name: str = "form"

    def __post_init__(self) -> None:
        if self.length < 1:
            raise ValueError("length must be ≥ 1")
        if self.parts and sum(p.count for p in self.parts) != self.length:
            counts = "+".join(str(p.count) for p in self.parts)
            raise ValueError(f"part counts ({counts}) must add up to length {self.length}")


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormFormatError(f"{where}: expected an integer, got {value!r}")
    return value


def _quota(raw: Any, where: str) -> Quota:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Quota(raw, raw)
    if not isinstance(raw, dict) or not set(raw) <= {"min", "max"}:
        raise FormFormatError(f"{where}: expected an integer or a mapping with min and/or max")
    try:
        return Quota(_int(raw.get("min", 0), f"{where}.min"), _int(raw.get("max", UNBOUNDED), f"{where}.max"))
    except ValueError as exc:
        raise FormFormatError(f"{where}: {exc}") from exc


def parse_form(raw: Any, source: str = "FORM.yaml") -> FormSpec:
    """Build a :class:`FormSpec` from the parsed YAML mapping (see docs/cat.md for the shape)."""
    if not isinstance(raw, dict):
        raise FormFormatError(f"{source}: expected a mapping at the top level")
    unknown = set(raw) - {"name", "length", "parts", "no_repeat_competence"}
    if unknown:
        raise FormFormatError(f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if "length" not in raw:
        raise FormFormatError(f"{source}: missing key 'length'")
    parts = []
    raw_parts = raw.get("parts") or {}
    if not isinstance(raw_parts, dict):
        raise FormFormatError(f"{source}: parts: expected a mapping of part name to constraints")
    for name, spec in raw_parts.items():
        where = f"{source}: parts.{name}"
        if not isinstance(spec, dict) or "count" not in spec:
            raise FormFormatError(f"{where}: expected a mapping with at least 'count'")
        unknown = set(spec) - {"count", "competence", "competences", "domains"}
        if unknown:
            raise FormFormatError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        competences = spec.get("competences")
        if competences is not None and not isinstance(competences, list):
            raise FormFormatError(f"{where}.competences: expected a list")
        domains = spec.get("domains") or {}
        if not isinstance(domains, dict):
            raise FormFormatError(f"{where}.domains: expected a mapping of domain to quota")
        parts.append(
            PartSpec(
                name=str(name),
                count=_int(spec["count"], f"{where}.count"),
                competence=_quota(spec.get("competence", {"min": 1}), f"{where}.competence"),
                competences=None if competences is None else tuple(str(c) for c in competences),
                domains={str(k): _quota(v, f"{where}.domains.{k}") for k, v in domains.items()},
            )
        )
    try:
        return FormSpec(
            length=_int(raw["length"], f"{source}: length"),
            parts=tuple(parts),
            no_repeat_competence=bool(raw.get("no_repeat_competence", False)),
            name=str(raw.get("name", Path(source).stem)),
        )
    except ValueError as exc:
        if isinstance(exc, FormFormatError):
            raise
        raise FormFormatError(f"{source}: {exc}") from exc


def load_form(path: Path) -> FormSpec:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FormFormatError(f"{path}: not valid YAML: {exc}") from exc
    return parse_form(raw, str(path))


class ContentTree:
    """The constraint tree of a form over one bank: nodes in parent-before-child order, leaves last."""

    def __init__(self, bank: ItemBank, form: FormSpec | None, length: int) -> None:
        parents: list[int] = [-1]
        # With parts the length is exact (their counts add up to it); without, it is only a maximum:
        # a test may stop earlier (target SE, time) or run out of items.
        mins: list[int] = [length if form is not None and form.parts else 0]
        maxs: list[int] = [length]
        labels: list[str] = ["test"]
        leaf_keys: list[tuple[str, str]] = []
        leaf_nodes: list[int] = []
        if form is None or not form.parts:
            leaf_keys.append(("", ""))
            leaf_nodes.append(0)
            item_leaf = np.zeros(len(bank), dtype=np.intp)
        else:
            leaf_parent: list[int] = []
            leaf_quota: list[Quota] = []
            for spec in form.parts:
                part_node = len(parents)
                parents.append(0)
                mins.append(spec.count)
                maxs.append(spec.count)
                labels.append(spec.name)
                in_part = [i for i, p in enumerate(bank.part) if p == spec.name]
                competences = spec.competences or tuple(sorted({bank.competence[i] for i in in_part}))
                domain_of = {bank.competence[i]: bank.domain[i] for i in in_part}
                domain_nodes: dict[str, int] = {}
                for comp in competences:
                    dom = domain_of.get(comp, comp.split(".", 1)[0])
                    if dom not in domain_nodes:
                        quota = spec.domains.get(dom, Quota())
                        domain_nodes[dom] = len(parents)
                        parents.append(part_node)
                        mins.append(quota.min)
                        maxs.append(quota.max)
                        labels.append(f"{spec.name}/{dom}")
                    leaf_keys.append((spec.name, comp))
                    leaf_parent.append(domain_nodes[dom])
                    leaf_quota.append(spec.competence)
                unknown = set(spec.domains) - set(domain_nodes)
                if unknown:
                    raise ValueError(f"part {spec.name}: quota for unknown domain(s) {sorted(unknown)}")
            for key, parent, quota in zip(leaf_keys, leaf_parent, leaf_quota, strict=True):
                leaf_nodes.append(len(parents))
                parents.append(parent)
                mins.append(quota.min)
                maxs.append(quota.max)
                labels.append(f"{key[0]}/{key[1]}")
            leaf_of = {key: i for i, key in enumerate(leaf_keys)}
            item_leaf = np.array(
                [leaf_of.get((p, comp), -1) for p, comp in zip(bank.part, bank.competence, strict=True)],
                dtype=np.intp,
            )
        self.parents = parents
        self.mins = mins
        self.maxs = maxs
        self.labels = labels
        self.leaf_keys = leaf_keys
        self.leaf_nodes = leaf_nodes
        self.first_leaf_node = leaf_nodes[0]
        self.item_leaf: IntArray = item_leaf  # -1: the item belongs to no leaf of the form
        self.n_leaves = len(leaf_keys)


class InfeasibleFormError(ValueError):
    """The form's constraints cannot be met with the items still available."""


class ContentState:
    """Counts of one candidate's test against a :class:`ContentTree`."""

    __slots__ = ("available", "counts", "last_leaf", "no_repeat", "tree")

    def __init__(self, tree: ContentTree, eligible: BoolArray, no_repeat: bool) -> None:
        self.tree = tree
        self.counts = [0] * len(tree.parents)
        leaves = tree.item_leaf[eligible]
        self.available = np.bincount(leaves[leaves >= 0], minlength=tree.n_leaves).tolist()
        self.last_leaf = -1
        self.no_repeat = no_repeat
        need, cap, _ = self._bounds()
        bad = [tree.labels[n] for n in range(len(need)) if need[n] > cap[n]]
        if bad:
            raise InfeasibleFormError(
                "the form cannot be met with the available items; short at: " + ", ".join(bad)
            )

    def _bounds(self) -> tuple[list[int], list[int], list[int]]:
        """Per node: need (fewest items the subtree must still take), cap (most it may still take) and
        the children's total need, bottom-up (children come after their parent in node order)."""
        tree = self.tree
        n_nodes = len(tree.parents)
        child_need = [0] * n_nodes
        child_cap = [0] * n_nodes
        need = [0] * n_nodes
        cap = [0] * n_nodes
        first_leaf = tree.first_leaf_node
        counts, mins, maxs = self.counts, tree.mins, tree.maxs
        parents, available = tree.parents, self.available
        for node in range(n_nodes - 1, -1, -1):
            count = counts[node]
            if node >= first_leaf:
                room = min(maxs[node] - count, available[node - first_leaf])
                lower = mins[node] - count
                if lower < 0:
                    lower = 0
            else:
                room = min(maxs[node] - count, child_cap[node])
                lower = max(mins[node] - count, child_need[node])
            need[node] = lower
            cap[node] = room
            parent = parents[node]
            if parent >= 0:
                child_need[parent] += lower
                child_cap[parent] += room
        return need, cap, child_need

    def admissible_leaves(self) -> BoolArray:
        """Leaves from which the next item may come without making the form infeasible.

        Taking an item in a leaf adds one to every node on its path and removes one slot from each of
        their caps; the rest stays feasible iff every path node whose need equals its cap (a tight
        node) sees its need drop too. A tight node's need drops by itself when its own minimum
        dominates, otherwise only through a child whose need drops: that requirement flows down.
        """
        tree = self.tree
        need, cap, child_need = self._bounds()
        n_nodes = len(tree.parents)
        first_leaf = tree.first_leaf_node
        parents = tree.parents
        required = [False] * n_nodes
        open_ = [False] * n_nodes
        for node in range(n_nodes):
            parent = parents[node]
            room = cap[node] >= 1
            if parent < 0:
                required[node] = need[node] >= cap[node]
                open_[node] = room
            else:
                required[node] = need[node] >= cap[node] or (
                    required[parent] and child_need[parent] >= need[parent]
                )
                open_[node] = room and open_[parent]
        leaves = np.array(
            [open_[node] and (need[node] >= 1 or not required[node]) for node in range(first_leaf, n_nodes)],
            dtype=np.bool_,
        )
        if self.no_repeat and self.last_leaf >= 0 and leaves[self.last_leaf] and leaves.sum() > 1:
            leaves[self.last_leaf] = False
        return leaves

    def record(self, leaf: int) -> None:
        """Count one administered item of ``leaf`` along its path to the root."""
        node = self.tree.leaf_nodes[leaf]
        self.available[leaf] -= 1
        while node >= 0:
            self.counts[node] += 1
            node = self.tree.parents[node]
        self.last_leaf = leaf
