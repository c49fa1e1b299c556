"""A level scale with precomputed ranks, for constant-time comparisons in the rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from certeval.domain.framework import Scale


@dataclass(frozen=True, slots=True)
class Ladder:
    """Level ids lowest first, their French labels and their ranks (0 = lowest)."""

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    ranks: Mapping[str, int] = field(compare=False, hash=False)

    @classmethod
    def of(cls, levels: Iterable[tuple[str, str]]) -> Ladder:
        """From ``(id, label)`` pairs, lowest first."""
        pairs = tuple(levels)
        ids = tuple(level_id for level_id, _ in pairs)
        if len(set(ids)) != len(ids) or not ids:
            raise ValueError(f"a scale needs distinct level ids, got {ids!r}")
        return cls(
            ids, tuple(label for _, label in pairs), MappingProxyType({i: r for r, i in enumerate(ids)})
        )

    @classmethod
    def from_scale(cls, scale: Scale) -> Ladder:
        return cls.of((level.id, level.label) for level in scale.levels)

    def rank(self, level_id: str) -> int:
        return self.ranks[level_id]

    def label(self, level_id: str) -> str:
        return self.labels[self.ranks[level_id]]

    def lower(self, a: str, b: str) -> str:
        return a if self.ranks[a] <= self.ranks[b] else b

    def expected(self, nullable: bool) -> str:
        """``initie, confirme, avance, expert or null`` — for error messages."""
        ids = ", ".join(self.ids)
        return f"{ids} or null" if nullable else ids
