"""What the solver returns, and the objective it minimises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from certeval.domain.juries.instance import Instance
from certeval.domain.juries.prechecks import Explanation
from certeval.domain.juries.validation import Assignment

OPTIMAL = "optimal"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"
UNKNOWN = "unknown"


def load_weight(instance: Instance) -> int:
    """Weight of the largest juror load in the objective.

    The objective is ``load_weight · max_load + teams`` where ``teams`` counts the (half-day, jury)
    pairs in use. A schedule never uses more juries than candidates, so with this weight the
    objective is lexicographic: first balance the loads, then use as few juries as possible.
    """
    return len(instance.candidates) + 1


def objective_value(instance: Instance, assignments: Sequence[Assignment]) -> tuple[int, int, int]:
    """``(objective, max_load, teams)`` of a schedule."""
    loads = Counter(j for a in assignments for j in a.jurors)
    max_load = max(loads.values(), default=0)
    teams = len({(a.halfday, frozenset(a.jurors)) for a in assignments})
    return load_weight(instance) * max_load + teams, max_load, teams


@dataclass(frozen=True)
class Solution:
    """The solver's answer.

    ``bound`` is a proven lower bound on the objective (from CP-SAT on the exact model, or from
    the counting bounds of :mod:`prechecks`), so ``gap = (objective - bound) / objective`` is
    honest whichever method ran. ``first_solution_seconds`` is the wall time to the first
    schedule found.
    """

    status: str
    method: str
    assignments: tuple[Assignment, ...] = ()
    objective: int | None = None
    bound: int | None = None
    max_load: int | None = None
    teams: int | None = None
    wall_seconds: float = 0.0
    first_solution_seconds: float | None = None
    explanation: tuple[Explanation, ...] = field(default=())

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None or self.objective == 0:
            return None
        return max(0.0, (self.objective - self.bound) / self.objective)

    def to_dict(self) -> dict[str, object]:
        if self.status in (INFEASIBLE, UNKNOWN):
            return {
                "status": self.status,
                "method": self.method,
                "explanation": [e.to_dict() for e in self.explanation],
                "wall_seconds": round(self.wall_seconds, 3),
            }
        return {
            "status": self.status,
            "method": self.method,
            "assignments": [a.to_dict() for a in self.assignments],
            "objective": self.objective,
            "bound": self.bound,
            "gap": None if self.gap is None else round(self.gap, 6),
            "max_load": self.max_load,
            "teams": self.teams,
            "wall_seconds": round(self.wall_seconds, 3),
            "first_solution_seconds": (
                None if self.first_solution_seconds is None else round(self.first_solution_seconds, 3)
            ),
        }
