"""Pure-Python model of a référentiel (competency framework).

Every object is a frozen dataclass holding tuples and read-only mappings, so a loaded
framework can be shared freely and compared by value.  Mapping fields are excluded from
``__hash__`` (a ``MappingProxyType`` is not hashable) but take part in equality.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Protocol

EMPTY: Mapping[str, Any] = MappingProxyType({})


def _mapping() -> Any:
    """A read-only mapping field: compared, not hashed, empty by default."""
    return field(default=EMPTY, hash=False)


@dataclass(frozen=True)
class Level:
    id: str
    label: str


@dataclass(frozen=True)
class Scale:
    """Ordered levels, lowest first."""

    levels: tuple[Level, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    def __contains__(self, level_id: object) -> bool:
        return level_id in self.ids

    def __iter__(self) -> Iterator[Level]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def rank(self, level_id: str) -> int:
        """Position of a level, 0 for the lowest; ``KeyError`` for an unknown id."""
        try:
            return self.ids.index(level_id)
        except ValueError:
            raise KeyError(level_id) from None

    def label(self, level_id: str) -> str:
        return self.levels[self.rank(level_id)].label

    def lower(self, a: str, b: str) -> str:
        return a if self.rank(a) <= self.rank(b) else b

    def higher(self, a: str, b: str) -> str:
        return a if self.rank(a) >= self.rank(b) else b


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    descriptors: Mapping[str, str] = _mapping()
    notes: str | None = None


@dataclass(frozen=True)
class EvidenceRequirement:
    """Something a dossier must show: ``count`` (at least ``minimum`` of something),
    ``item`` (a declared item must be present) or ``boolean`` (a yes/no statement)."""

    id: str
    text: str
    competence: str | None = None
    minimum: int | None = None
    kind: str = "item"


@dataclass(frozen=True)
class Competence:
    id: str
    title: str
    statement: str | None = None
    abilities: tuple[str, ...] = ()
    descriptors: Mapping[str, str] = _mapping()
    criteria: tuple[Criterion, ...] = ()
    evidence: tuple[EvidenceRequirement, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Group:
    """A grouping of domains, e.g. the three functions of a professional title."""

    id: str
    title: str


@dataclass(frozen=True)
class Domain:
    """A domain, a bloc (``kind='bloc'``, certifiable on its own) or, for a framework
    whose source has no grouping, the single ``competences`` domain."""

    id: str
    title: str
    description: str | None = None
    kind: str = "domaine"
    group: str | None = None
    competences: tuple[Competence, ...] = ()
    modality: str | None = None


@dataclass(frozen=True)
class GridItem:
    """An item of a grid; ``points`` are the item's points in the source's own words (seed 002's
    « Item 4 : Enseigner, animer, éduquer » and its three points), shown above its criteria."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class GridPhase:
    id: str
    title: str
    items: tuple[GridItem, ...]


@dataclass(frozen=True)
class ScoringGrid:
    """Criteria grouped in phases and items; ``levels`` are the levels every criterion
    describes (empty when the source gives no per-level descriptor)."""

    id: str
    title: str
    levels: tuple[str, ...]
    phases: tuple[GridPhase, ...]
    source: str | None = None

    @property
    def items(self) -> tuple[GridItem, ...]:
        return tuple(item for phase in self.phases for item in phase.items)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(criterion for item in self.items for criterion in item.criteria)


@dataclass(frozen=True)
class ScoreSheet:
    """A bordereau: one level and comments per listed domain. ``level_texts``: what each level
    means on the sheet (the column headings of Annexe 4 of seed 004), by level id."""

    id: str
    title: str
    domains: tuple[str, ...]
    notes: str | None = None
    level_texts: Mapping[str, str] = _mapping()


@dataclass(frozen=True)
class AssessmentComponent:
    id: str
    kind: str
    title: str
    description: str | None = None
    duration_minutes: int | None = None
    limits: Mapping[str, int] = _mapping()
    # What the candidate deposits for this épreuve (a written production), if anything.
    deliverable: str | None = None
    evidence: tuple[EvidenceRequirement, ...] = ()
    grid: str | None = None
    assesses: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class Source:
    seed: str
    title: str
    section: str | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    source: Source
    scale: Scale
    domains: tuple[Domain, ...]
    description: str | None = None
    groups: tuple[Group, ...] = ()
    components: tuple[AssessmentComponent, ...] = ()
    grids: tuple[ScoringGrid, ...] = ()
    score_sheets: tuple[ScoreSheet, ...] = ()
    rules: Mapping[str, Any] = _mapping()
    extras: Mapping[str, Any] = _mapping()
    decisions: tuple[str, ...] = ()

    @property
    def levels(self) -> tuple[Level, ...]:
        return self.scale.levels

    @property
    def competences(self) -> tuple[Competence, ...]:
        return tuple(c for domain in self.domains for c in domain.competences)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Competence criteria, flat, in order (grid criteria live in ``grids``)."""
        return tuple(cr for c in self.competences for cr in c.criteria)

    @property
    def evidence(self) -> tuple[EvidenceRequirement, ...]:
        """Every evidence requirement, competences first, then components."""
        own = tuple(e for c in self.competences for e in c.evidence)
        return own + tuple(e for component in self.components for e in component.evidence)

    def domain(self, domain_id: str) -> Domain:
        return _find(self.domains, domain_id, "domain")

    def competence(self, competence_id: str) -> Competence:
        return _find(self.competences, competence_id, "competence")

    def grid(self, grid_id: str) -> ScoringGrid:
        return _find(self.grids, grid_id, "grid")

    def component(self, component_id: str) -> AssessmentComponent:
        return _find(self.components, component_id, "component")

    def score_sheet(self, sheet_id: str) -> ScoreSheet:
        return _find(self.score_sheets, sheet_id, "score sheet")

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of the whole content."""
        canonical = json.dumps(plain(self), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _find[T: _HasId](items: tuple[T, ...], item_id: str, what: str) -> T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"unknown {what} {item_id!r}")


def plain(value: Any) -> Any:
    """Dataclasses, read-only mappings and tuples turned into dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def freeze(value: Any) -> Any:
    """Dicts and lists turned into read-only mappings and tuples, recursively."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value
