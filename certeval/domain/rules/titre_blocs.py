"""The title by blocs (seed 003) across sessions: the person's bloc record completing a jury's
validations, and the épreuves of the blocs a candidate is enrolled in.

A bloc validated in an earlier session (of this campaign or another one on the same référentiel)
is held: the title's decision reads the jury's validations completed by the record, so that the
title is awarded once the six blocs are held, whichever session validated each of them. The web
app builds the same :class:`~certeval.domain.rules.deliberation.Verdicts` as a
``certeval evaluate <framework> deliberation.json`` case whose ``verdicts.blocks`` lists every bloc
held, with the day it was validated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from certeval.domain.framework import AssessmentComponent, Framework
from certeval.domain.rules.deliberation import Verdicts
from certeval.domain.rules.final import BlockStatus

# Component kinds taken in front of a jury (the others are written productions, deposited).
ORAL_KINDS: Final = ("oral_presentation", "interview", "final_interview")
WRITTEN_KINDS: Final = ("simulated_situation", "written_work", "written_synthesis")


def merge_record(verdicts: Verdicts, record: Mapping[str, date]) -> Verdicts:
    """The jury's validations completed by the person's record (bloc → day validated in an
    earlier session): a bloc held keeps its earliest validation day; a bloc this jury does not
    validate stays held if the record holds it (a validated bloc is capitalised)."""
    blocks = dict(verdicts.blocks)
    for bloc, on in record.items():
        current = blocks.get(bloc)
        if current is not None and current.validated and current.on is not None and current.on <= on:
            continue
        blocks[bloc] = BlockStatus(True, on)
    return replace(verdicts, blocks=blocks)


@dataclass(frozen=True, slots=True)
class Epreuve:
    """One épreuve of a bloc: the framework's component, whether it is deposited (written) or
    taken in front of the jury (oral), and its limits."""

    component: AssessmentComponent
    bloc: str
    oral: bool

    @property
    def jury_size(self) -> int | None:
        return self.component.limits.get("interviewers")


def bloc_epreuves(framework: Framework, blocs: Iterable[str]) -> tuple[Epreuve, ...]:
    """The épreuves of the given blocs, in the framework's order (the final interview, which
    assesses every bloc, is not a bloc's épreuve)."""
    wanted = set(blocs)
    found = []
    for component in framework.components:
        if component.kind == "final_interview" or len(component.assesses) != 1:
            continue
        bloc = component.assesses[0]
        if bloc in wanted:
            found.append(Epreuve(component, bloc, component.kind in ORAL_KINDS))
    return tuple(found)


def deposit_components(framework: Framework, blocs: Iterable[str]) -> tuple[str, ...]:
    """The ids of the written productions the candidate deposits for the given blocs."""
    return tuple(e.component.id for e in bloc_epreuves(framework, blocs) if not e.oral)


def final_interview(framework: Framework) -> AssessmentComponent | None:
    return next((c for c in framework.components if c.kind == "final_interview"), None)


def oral_minutes(
    framework: Framework,
    blocs: Iterable[str],
    *,
    minutes: Mapping[str, int],
    with_final_interview: bool,
) -> int:
    """The length of the candidate's oral: the duration of each oral épreuve of the enrolled
    blocs (the component's ``duration_minutes``, else ``minutes[component kind]``) plus the final
    interview's when it is taken in this session."""
    total = 0
    for epreuve in bloc_epreuves(framework, blocs):
        if epreuve.oral:
            total += epreuve.component.duration_minutes or minutes.get(epreuve.component.kind, 0)
    interview = final_interview(framework)
    if with_final_interview and interview is not None:
        total += interview.duration_minutes or minutes.get(interview.kind, 0)
    return total


def interview_points(
    points: Iterable[str], consensus: Mapping[str, str | None], validated_level: str
) -> dict[str, bool]:
    """The final interview's grid read from the jury's consensus grid: each point the jury
    scored is verified when at ``validated_level`` (``acquis``); unscored points are left out."""
    return {p: consensus[p] == validated_level for p in points if consensus.get(p)}


def grid_ids(framework: Framework, blocs: Iterable[str], *, with_final_interview: bool) -> set[str]:
    """The grids a jury scores for a candidate: those of the épreuves of the blocs presented, and
    the final interview's when it is taken."""
    ids = {e.component.grid for e in bloc_epreuves(framework, blocs) if e.component.grid}
    interview = final_interview(framework)
    if with_final_interview and interview is not None and interview.grid:
        ids.add(interview.grid)
    return {i for i in ids if i}
