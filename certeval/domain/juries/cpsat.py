"""Small helpers shared by the CP-SAT models."""

from __future__ import annotations

import os
import time

from ortools.sat.python import cp_model


class FirstSolutionTimer(cp_model.CpSolverSolutionCallback):
    """Records the wall time of the first solution CP-SAT reports, measured from ``started``."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def make_solver(time_limit: float, workers: int | None, seed: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = workers if workers is not None else max(1, os.cpu_count() or 1)
    solver.parameters.random_seed = seed
    return solver
