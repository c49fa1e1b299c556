"""The campaign funnel: counts per stage, shares of the enrolled, each candidate's state."""

from __future__ import annotations

from certeval.domain.campaign_funnel import (
    STAGES,
    Progress,
    Stage,
    applicable_stages,
    candidate_state,
    funnel,
)


def progress(*stages: Stage, status: str = "enrolled") -> Progress:
    return Progress(frozenset({Stage.ENROLLED, *stages}), status)


def test_without_an_automated_test_the_placement_and_automated_stages_are_left_out() -> None:
    assert applicable_stages(automated_test=True) == STAGES
    assert applicable_stages(automated_test=False) == (
        Stage.ENROLLED,
        Stage.DEPOSITED,
        Stage.HEARD,
        Stage.DECIDED,
        Stage.PUBLISHED,
    )


def test_each_stage_counts_the_candidates_who_reached_it() -> None:
    people = [
        progress(),
        progress(Stage.PLACEMENT, Stage.AUTOMATED, Stage.DEPOSITED),
        progress(Stage.AUTOMATED, Stage.DEPOSITED, Stage.HEARD, Stage.DECIDED),
        progress(Stage.DEPOSITED, Stage.HEARD, Stage.DECIDED, Stage.PUBLISHED, status="enrolled"),
    ]
    steps = funnel(people, STAGES)
    assert [(s.stage, s.count, s.percent) for s in steps] == [
        (Stage.ENROLLED, 4, 100),
        (Stage.PLACEMENT, 1, 25),
        (Stage.AUTOMATED, 2, 50),
        (Stage.DEPOSITED, 3, 75),
        (Stage.HEARD, 2, 50),
        (Stage.DECIDED, 2, 50),
        (Stage.PUBLISHED, 1, 25),
    ]


def test_an_empty_campaign_has_zero_everywhere() -> None:
    assert [(s.count, s.percent) for s in funnel([], STAGES)] == [(0, 0)] * len(STAGES)


def test_a_candidate_state_is_the_furthest_stage_or_their_withdrawal() -> None:
    stages = applicable_stages(automated_test=False)
    assert candidate_state(progress(), stages) == "enrolled"
    # An automated result does not count as a stage of a campaign without an automated test.
    assert candidate_state(progress(Stage.AUTOMATED), stages) == "enrolled"
    assert candidate_state(progress(Stage.DEPOSITED, Stage.HEARD), stages) == "heard"
    assert candidate_state(progress(Stage.DEPOSITED, status="withdrawn"), stages) == "withdrawn"
    assert candidate_state(progress(status="eliminated"), stages) == "eliminated"
