"""A campaign's funnel: how many candidates reached each stage of a certification, and where each
candidate stands.

The stages, in order: enrolled → placement run finished → automated part obtained → dossier
deposited → heard (oral held) → decided (validated decision) → published (result visible to the
candidate). The placement run and the automated part only apply to a référentiel with an automated
test; the other stages always apply. A candidate may reach a later stage without an earlier one (an
automated result recorded without a placement run): each stage counts the candidates who reached it,
and a candidate's state is the furthest stage they reached. A withdrawn or eliminated candidate keeps
their stages in the counts; their state says so instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    ENROLLED = "enrolled"
    PLACEMENT = "placement"
    AUTOMATED = "automated"
    DEPOSITED = "deposited"
    HEARD = "heard"
    DECIDED = "decided"
    PUBLISHED = "published"


STAGES: tuple[Stage, ...] = tuple(Stage)
AUTOMATED_STAGES = frozenset({Stage.PLACEMENT, Stage.AUTOMATED})

# Enrolment statuses that stop a candidate's course (the state shown instead of the stage).
WITHDRAWN = "withdrawn"
ELIMINATED = "eliminated"


def applicable_stages(*, automated_test: bool) -> tuple[Stage, ...]:
    """The stages of a campaign: without an automated test, no placement run nor automated part."""
    return STAGES if automated_test else tuple(s for s in STAGES if s not in AUTOMATED_STAGES)


@dataclass(frozen=True)
class Progress:
    """One candidate: the stages they reached (``ENROLLED`` always) and their enrolment's status."""

    reached: frozenset[Stage]
    status: str = "enrolled"


def furthest_stage(progress: Progress, stages: Iterable[Stage]) -> Stage:
    """The last of ``stages`` (in order) the candidate reached; ``ENROLLED`` at least."""
    last = Stage.ENROLLED
    for stage in stages:
        if stage in progress.reached:
            last = stage
    return last


def candidate_state(progress: Progress, stages: Iterable[Stage]) -> str:
    """The state shown for a candidate: « withdrawn » or « eliminated » when their enrolment says
    so, else their furthest stage."""
    if progress.status in (WITHDRAWN, ELIMINATED):
        return progress.status
    return furthest_stage(progress, stages).value


@dataclass(frozen=True)
class FunnelStep:
    stage: Stage
    count: int
    percent: int  # of the enrolled candidates, rounded down (0 when nobody is enrolled)


def funnel(progresses: Iterable[Progress], stages: Iterable[Stage]) -> list[FunnelStep]:
    """The number of candidates who reached each stage, and its share of the enrolled ones."""
    stages = tuple(stages)
    counts = dict.fromkeys(stages, 0)
    total = 0
    for progress in progresses:
        total += 1
        for stage in stages:
            if stage is Stage.ENROLLED or stage in progress.reached:
                counts[stage] += 1
    return [
        FunnelStep(stage, counts[stage], counts[stage] * 100 // total if total else 0) for stage in stages
    ]
