"""Rule sets of the real frameworks, loaded once, and small case builders."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from certeval.domain.framework import Framework
from certeval.domain.loader import load_frameworks
from certeval.domain.rules import RuleSet

DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "frameworks"
LEVELS = ("initie", "confirme", "avance", "expert")


@cache
def frameworks() -> dict[str, Framework]:
    return {framework.id: framework for framework in load_frameworks(DATA_DIR)}


@cache
def rules(framework_id: str) -> RuleSet:
    return RuleSet.from_framework(frameworks()[framework_id], frameworks())


def grid_criteria() -> tuple[str, ...]:
    grid = rules("pix-plus-edu").dossier
    assert grid is not None
    return grid.criteria


def dossier(expert: int = 0, avance: int = 0, confirme: int = 0, initie: int = 0) -> dict[str, Any]:
    """A dossier case with that many criteria at each level, the rest unobserved (null)."""
    levels = ["expert"] * expert + ["avance"] * avance + ["confirme"] * confirme + ["initie"] * initie
    criteria = grid_criteria()
    assert len(levels) <= len(criteria)
    return {
        "component": "dossier",
        "criteria": {c: (levels[i] if i < len(levels) else None) for i, c in enumerate(criteria)},
    }
