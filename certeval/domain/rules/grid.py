"""Dossier grid, Annexe 3 of seed 004 (Pix+ Édu) and the INSPÉ activity grid of seed 002.

A level is attributed when at least ``min_criteria`` criteria are validated at that level or
above and no criterion is below the step's floor; steps are tried from the highest level down
(Expert with floor Avancé, Avancé with floor Confirmé, Confirmé, Initié); no step satisfied
gives no level. Unobserved criteria (``null`` or absent) count neither for nor against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from certeval.domain.framework import ScoringGrid
from certeval.domain.rules.errors import CaseError, index_path, item_path, key_path
from certeval.domain.rules.ladder import Ladder
from certeval.domain.rules.reading import CASE, RULES, kind_of
from certeval.domain.rules.result import Evaluation
from certeval.domain.rules.text import count, quoted

COMPONENT = "dossier"


@dataclass(frozen=True, slots=True)
class CascadeStep:
    level: str
    floor: str | None


@dataclass(frozen=True, slots=True)
class _Step:
    """A cascade step with its ranks and its wording computed once."""

    level: str
    rank: int
    floor_rank: int  # 0 when the step has no floor: nothing can be below rank 0
    at_level: str  # "au niveau Expert" / "au niveau Avancé ou au-dessus"
    under_floor: str  # "sous Avancé", empty without floor
    label: str


@dataclass(frozen=True, slots=True)
class GridRule:
    framework: str
    grid: str
    title: str
    criteria: tuple[str, ...]
    min_criteria: int
    cascade: tuple[CascadeStep, ...]
    source: str
    ladder: Ladder
    _steps: tuple[_Step, ...] = field(init=False, repr=False, compare=False)
    _known: frozenset[str] = field(init=False, repr=False, compare=False)
    _header: str = field(init=False, repr=False, compare=False)
    _decided: dict[tuple[int, ...], tuple[str | None, tuple[str, ...]]] = field(
        init=False, repr=False, compare=False
    )

    @classmethod
    def from_mapping(
        cls, data: Any, *, framework: str, ladder: Ladder, grids: Sequence[ScoringGrid], path: str
    ) -> GridRule:
        """From ``rules.dossier_grid``: ``{grid, min_criteria, cascade: [{level, floor}], source}``."""
        data = RULES.obj(data, path)
        RULES.keys(data, path, ("grid", "min_criteria", "cascade", "source"), ())
        by_id = {grid.id: grid for grid in grids}
        grid = by_id[RULES.ident(data["grid"], key_path(path, "grid"), list(by_id), "grid")]
        criteria = tuple(criterion.id for criterion in grid.criteria)
        min_criteria = RULES.integer(data["min_criteria"], key_path(path, "min_criteria"), 1)
        if min_criteria > len(criteria):
            raise RULES.fail(
                key_path(path, "min_criteria"),
                f"{min_criteria} criteria required but grid {grid.id!r} has {len(criteria)}",
            )
        steps_path = key_path(path, "cascade")
        steps: list[CascadeStep] = []
        for i, raw in enumerate(RULES.seq(data["cascade"], steps_path)):
            step_path = index_path(steps_path, i)
            step = RULES.obj(raw, step_path)
            RULES.keys(step, step_path, ("level", "floor"), ())
            level = RULES.level(step["level"], key_path(step_path, "level"), ladder, nullable=False)
            floor = RULES.level(step["floor"], key_path(step_path, "floor"), ladder, nullable=True)
            assert level is not None
            if floor is not None and ladder.rank(floor) > ladder.rank(level):
                raise RULES.fail(
                    key_path(step_path, "floor"), f"floor {floor!r} is above the step's level {level!r}"
                )
            if steps and ladder.rank(level) >= ladder.rank(steps[-1].level):
                raise RULES.fail(key_path(step_path, "level"), "steps must go from the highest level down")
            steps.append(CascadeStep(level, floor))
        if not steps:
            raise RULES.fail(steps_path, "expected at least one step")
        return cls(
            framework=framework,
            grid=grid.id,
            title=grid.title,
            criteria=criteria,
            min_criteria=min_criteria,
            cascade=tuple(steps),
            source=RULES.string(data["source"], key_path(path, "source")),
            ladder=ladder,
        )

    def __post_init__(self) -> None:
        ladder = self.ladder
        top = len(ladder.ids) - 1
        steps = []
        for step in self.cascade:
            rank = ladder.rank(step.level)
            label = ladder.label(step.level)
            steps.append(
                _Step(
                    level=step.level,
                    rank=rank,
                    floor_rank=0 if step.floor is None else ladder.rank(step.floor),
                    at_level=f"au niveau {label}" if rank == top else f"au niveau {label} ou au-dessus",
                    under_floor="" if step.floor is None else f"sous {ladder.label(step.floor)}",
                    label=label,
                )
            )
        object.__setattr__(self, "_steps", tuple(steps))
        object.__setattr__(self, "_known", frozenset(self.criteria))
        object.__setattr__(self, "_decided", {})
        object.__setattr__(
            self,
            "_header",
            f"Règle d'attribution de la grille {quoted(self.title)} ({self.source}) : un niveau est attribué "
            f"dès que {self.min_criteria} critères au moins sont validés à ce niveau ou au-dessus",
        )

    def evaluate(self, criteria: Mapping[str, Any], path: str = "criteria") -> Evaluation:
        """Level of a dossier from ``{criterion id: level id or None}``; absent = unobserved.

        The level and the reasons depend only on how many criteria sit at each level, so they
        are decided once per distinct count vector (at most C(n + 4, 4) of them, 4,845 for 16
        criteria and 4 levels) and looked up afterwards.
        """
        if not self._known.issuperset(criteria):
            raise self._unknown_criterion(criteria, path)
        levels = list(criteria.values())
        key = tuple(levels.count(level) for level in self.ladder.ids)
        if sum(key) + levels.count(None) != len(levels):
            raise self._unknown_level(criteria, path)
        decided = self._decided.get(key)
        if decided is None:
            decided = self._decided[key] = self._decide(key)
        observed = sum(key)
        return Evaluation(
            framework=self.framework,
            component=COMPONENT,
            level=decided[0],
            outcome=None,
            reasons=decided[1],
            details={
                "grid": self.grid,
                "observed": observed,
                "unobserved": len(self.criteria) - observed,
                "counts": dict(zip(self.ladder.ids, key, strict=True)),
                "min_criteria": self.min_criteria,
                "source": self.source,
            },
        )

    def _decide(self, counts: tuple[int, ...]) -> tuple[str | None, tuple[str, ...]]:
        """The cascade on ``counts[rank]`` = criteria at each level: the level and the reasons."""
        at_or_above = list(counts)
        for rank in range(len(counts) - 2, -1, -1):
            at_or_above[rank] += at_or_above[rank + 1]
        observed = at_or_above[0]
        minimum = self.min_criteria
        total = len(self.criteria)
        reasons = [
            f"{self._header} ; {count(observed, 'critère observé', 'critères observés')} "
            f"sur {total}, {count(total - observed, 'non observé', 'non observés')}"
        ]
        for step in self._steps:
            reached = at_or_above[step.rank]
            below = observed - at_or_above[step.floor_rank]
            figures = f"{count(reached, 'critère')} {step.at_level}"
            if reached >= minimum and below == 0:
                floor = f", aucun {step.under_floor}" if step.under_floor else ""
                reasons.append(f"{figures} ({minimum} requis){floor} : niveau {step.label}")
                return step.level, tuple(reasons)
            if reached < minimum:
                figures += f" ({minimum} requis)"
                if below:
                    figures += f" et {count(below, 'critère')} {step.under_floor}"
            else:
                figures += f" mais {count(below, 'critère')} {step.under_floor}"
            reasons.append(f"{figures} : le niveau {step.label} n'est pas atteint")
        reasons.append("Aucune étape de la règle n'est satisfaite : aucun niveau n'est attribué")
        return None, tuple(reasons)

    def _unknown_criterion(self, criteria: Mapping[str, Any], path: str) -> CaseError:
        criterion = next(str(c) for c in criteria if c not in self._known)
        expected = ", ".join(self.criteria)
        return CaseError(item_path(path, criterion), f"unknown criterion (expected one of {expected})")

    def _unknown_level(self, criteria: Mapping[str, Any], path: str) -> CaseError:
        ranks = self.ladder.ranks
        criterion, level = next(
            (c, v) for c, v in criteria.items() if v is not None and not (isinstance(v, str) and v in ranks)
        )
        shown = repr(level) if isinstance(level, str) else kind_of(level)
        return CaseError(
            item_path(path, criterion),
            f"unknown level {shown} (expected one of {self.ladder.expected(True)})",
        )

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "dossier", "criteria": {"1.1": "expert", "1.2": null, …}}``."""
        CASE.keys(case, "", ("component", "criteria"), ())
        return self.evaluate(CASE.obj(case["criteria"], "criteria"))
