"""Jury composition, oral scheduling and inter-rater agreement (pure Python, no Django)."""

from certeval.domain.juries.instance import (
    Candidate,
    Instance,
    InstanceError,
    Juror,
    RoleGroup,
    Rule,
    parse_instance,
)
from certeval.domain.juries.prechecks import Explanation
from certeval.domain.juries.solution import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, Solution
from certeval.domain.juries.solver import solve
from certeval.domain.juries.validation import Assignment, Violation, check_assignment

__all__ = [
    "FEASIBLE",
    "INFEASIBLE",
    "OPTIMAL",
    "UNKNOWN",
    "Assignment",
    "Candidate",
    "Explanation",
    "Instance",
    "InstanceError",
    "Juror",
    "RoleGroup",
    "Rule",
    "Solution",
    "Violation",
    "check_assignment",
    "parse_instance",
    "solve",
]
