"""Solver properties: every schedule passes the independent validator, infeasible instances are
explained by the right constraint, and a tiny instance is solved to its hand-checked optimum."""

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certeval.domain.juries import (
    INFEASIBLE,
    OPTIMAL,
    Assignment,
    Candidate,
    Instance,
    Juror,
    RoleGroup,
    Rule,
    check_assignment,
    parse_instance,
    solve,
)
from certeval.domain.juries.decomposed import partition

PIX_RULE = Rule(
    3,
    (
        RoleGroup(frozenset({"drane", "inspecteur", "direction"}), 1, 3),
        RoleGroup(frozenset({"expert"}), 1, 2),
    ),
)


def juror(id: str, role: str, academy: str, halfdays: str, max_load: int = 10) -> Juror:
    return Juror(id, role, academy, frozenset(halfdays.split()), max_load)


TINY = Instance(
    PIX_RULE,
    2,
    (Candidate("C1", "Lyon"), Candidate("C2", "Nice", frozenset({"J4"})), Candidate("C3", "Lyon")),
    (
        juror("J1", "drane", "Paris", "am pm", 3),
        juror("J2", "expert", "Paris", "am", 3),
        juror("J3", "expert", "Lille", "am pm", 3),
        juror("J4", "formateur", "Nantes", "pm", 3),
        juror("J5", "inspecteur", "Nice", "am pm", 3),
    ),
)


def test_tiny_instance_hand_checked() -> None:
    # Three candidates, two slots: two juries. In the morning only one jury fits (J1, J2, J3,
    # J5) and for C2 (Nice) it must be J1, J2, J3; in the afternoon J3 is the only expert. So J3
    # sits all three orals: max load 3 and 2 juries are optimal.
    solution = solve(TINY, time_limit=10)
    assert solution.status == OPTIMAL
    assert check_assignment(TINY, solution.assignments) == []
    assert solution.max_load == 3
    assert solution.teams == 2
    assert solution.objective == solution.bound == 4 * 3 + 2
    assert solution.gap == 0


def test_validator_reports_each_broken_constraint() -> None:
    good = list(solve(TINY, time_limit=10).assignments)
    c2 = next(a for a in good if a.candidate == "C2")
    edits = {
        "coverage": [a for a in good if a.candidate != "C1"],
        "size": [replace(c2, jurors=c2.jurors[:2]) if a is c2 else a for a in good],
        "academy": [replace(c2, jurors=("J1", "J3", "J5")) if a is c2 else a for a in good],
        "conflict": [replace(c2, jurors=("J1", "J3", "J4")) if a is c2 else a for a in good],
        "availability": [
            replace(c2, halfday="pm" if c2.halfday == "am" else "am", slot=2) if a is c2 else a for a in good
        ],
        "slot": [replace(a, slot=3) for a in good],
        "group": [replace(c2, jurors=("J1", "J4", "J5")) if a is c2 else a for a in good],
    }
    for constraint, edited in edits.items():
        assert constraint in {v.constraint for v in check_assignment(TINY, edited)}, constraint
    overloaded = replace(TINY, jurors=tuple(replace(j, max_load=1) for j in TINY.jurors))
    assert "max_load" in {v.constraint for v in check_assignment(overloaded, good)}
    split = [Assignment("C1", ("J1", "J3", "J4"), "pm", 1), Assignment("C3", ("J1", "J2", "J3"), "pm", 2)]
    assert "stable_team" in {v.constraint for v in check_assignment(TINY, split)}


def explained(instance: Instance, constraint: str, needle: str) -> None:
    solution = solve(instance, time_limit=10)
    assert solution.status == INFEASIBLE
    messages = [e.message for e in solution.explanation if e.constraint == constraint]
    assert any(needle in m for m in messages), solution.explanation


def test_candidate_without_enough_eligible_jurors() -> None:
    blocked = replace(TINY, candidates=(*TINY.candidates, Candidate("C9", "Paris", frozenset({"J3"}))))
    explained(
        blocked, "conflict", "candidate C9 (academy Paris): only 2 eligible juror(s) outside academy Paris"
    )


def test_not_enough_experts() -> None:
    no_expert = replace(
        TINY, jurors=tuple(replace(j, role="formateur") if j.role == "expert" else j for j in TINY.jurors)
    )
    explained(no_expert, "conflict", "only 0 eligible expert juror(s)")


def test_total_capacity() -> None:
    crowded = replace(TINY, candidates=tuple(Candidate(f"C{i}", "Marseille") for i in range(5)))
    explained(crowded, "capacity", "total capacity")


def test_max_load() -> None:
    tired = replace(TINY, jurors=tuple(replace(j, max_load=1) for j in TINY.jurors))
    explained(tired, "max_load", "total juror load")


def test_academy_capacity() -> None:
    lyon = replace(TINY, halfday_slots=1, candidates=tuple(Candidate(f"C{i}", "Lyon") for i in range(3)))
    explained(lyon, "academy", "academy Lyon: 3 candidates")


def test_pairing_infeasibility_found_by_assumptions() -> None:
    # Every necessary condition holds, but the single half-day allows one jury of two, which
    # cannot exclude both academies X and Y.
    instance = parse_instance(
        {
            "rule": {"size": 2, "groups": []},
            "halfday_slots": 2,
            "candidates": [{"id": "C1", "academy": "X"}, {"id": "C2", "academy": "Y"}],
            "jurors": [
                {"id": f"J{i}", "role": "expert", "academy": a, "halfdays": ["h1"], "max_load": 2}
                for i, a in enumerate("XYZ", start=1)
            ],
        }
    )
    solution = solve(instance, time_limit=10)
    assert solution.status == INFEASIBLE
    assert solution.method == "exact"
    constraints = {e.constraint for e in solution.explanation}
    assert constraints == {"coverage", "academy"}
    assert any("C1" in e.message and "C2" in e.message for e in solution.explanation)


ROLES = ["drane", "inspecteur", "expert", "expert", "formateur"]


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    academies = ["A", "B", "C", "D"][: draw(st.integers(2, 4))]
    halfdays = ["d1-am", "d1-pm", "d2-am"][: draw(st.integers(1, 3))]
    size = draw(st.sampled_from([2, 3]))
    rule = PIX_RULE if size == 3 else Rule(2, (RoleGroup(frozenset({"expert"}), 1, 1),))
    rule = replace(rule, same_academy=draw(st.booleans()))
    jurors = tuple(
        Juror(
            f"J{i}",
            draw(st.sampled_from(ROLES)),
            draw(st.sampled_from(academies)),
            frozenset(draw(st.lists(st.sampled_from(halfdays), min_size=1, unique=True))),
            draw(st.integers(1, 4)),
        )
        for i in range(draw(st.integers(size, 7)))
    )
    ids = [j.id for j in jurors]
    candidates = tuple(
        Candidate(
            f"C{i}",
            draw(st.sampled_from(academies)),
            frozenset(draw(st.lists(st.sampled_from(ids), max_size=1))),
        )
        for i in range(draw(st.integers(1, 6)))
    )
    return Instance(rule, draw(st.integers(1, 3)), candidates, jurors)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_schedules_satisfy_every_hard_constraint(instance: Instance) -> None:
    exact = solve(instance, time_limit=10)
    assert exact.status in {OPTIMAL, "feasible", INFEASIBLE}
    if exact.status == INFEASIBLE:
        assert exact.explanation
    else:
        assert check_assignment(instance, exact.assignments) == []
        assert exact.bound is not None and exact.objective is not None
        assert exact.bound <= exact.objective
    decomposed = solve(instance, time_limit=3, exact_limit=0)
    if decomposed.assignments:
        assert exact.status != INFEASIBLE
        assert check_assignment(instance, decomposed.assignments) == []
        assert decomposed.objective is not None and exact.objective is not None
        assert decomposed.objective >= (exact.bound or 0)
    if exact.status == INFEASIBLE:
        assert decomposed.status in {INFEASIBLE, "unknown"}


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_partition_respects_the_rule(data: st.DataObject) -> None:
    teams = data.draw(st.integers(1, 6))
    experts = data.draw(st.integers(teams, 2 * teams))
    heads = data.draw(st.integers(teams, 3 * teams - experts))
    jurors = [juror(f"E{i}", "expert", "X", "h") for i in range(experts)]
    jurors += [juror(f"D{i}", "drane", "Y", "h") for i in range(heads)]
    jurors += [juror(f"F{i}", "formateur", "Z", "h") for i in range(3 * teams - experts - heads)]
    instance = Instance(PIX_RULE, 1, (), tuple(jurors))
    dealt = partition(instance, list(range(len(jurors))), teams)
    assert sorted(j for team in dealt for j in team) == list(range(len(jurors)))
    for team in dealt:
        roles = [jurors[j].role for j in team]
        assert len(team) == 3
        assert 1 <= roles.count("expert") <= 2
        assert roles.count("drane") >= 1


def test_decomposition_on_a_mid_size_instance() -> None:
    rng = random.Random(7)
    academies = [f"A{i}" for i in range(8)]
    halfdays = [f"d{d}-{p}" for d in range(3) for p in ("am", "pm")]
    jurors = tuple(
        Juror(f"J{i}", rng.choice(ROLES), rng.choice(academies), frozenset(rng.sample(halfdays, 3)), 12)
        for i in range(60)
    )
    candidates = tuple(
        Candidate(
            f"C{i}",
            rng.choice(academies),
            frozenset({f"J{rng.randrange(60)}"}) if i % 25 == 0 else frozenset(),
        )
        for i in range(200)
    )
    instance = Instance(PIX_RULE, 5, candidates, jurors)
    solution = solve(instance, time_limit=5)
    assert solution.method == "decomposed"
    assert solution.status in {OPTIMAL, "feasible"}
    assert check_assignment(instance, solution.assignments) == []
    assert solution.bound is not None and solution.objective is not None
    assert solution.bound <= solution.objective
    assert solution.first_solution_seconds is not None and solution.first_solution_seconds < 5


def test_too_few_role_seats_outside_an_academy_is_explained_on_a_large_instance() -> None:
    # Academy A's 300 candidates each need a DRANE member, inspector or head of school from another
    # academy; the 10 from academy C can sit 2 orals each. Every other count holds (A's own
    # inspectors hear B's candidates), so only this per-academy, per-role count shows it.
    halfdays = " ".join(f"d{d}-{part}" for d in range(5) for part in ("am", "pm"))
    jurors = (
        [juror(f"IA{i}", "inspecteur", "A", halfdays, 30) for i in range(40)]
        + [juror(f"IC{i}", "inspecteur", "C", halfdays, 2) for i in range(10)]
        + [juror(f"EC{i}", "expert", "C", halfdays, 30) for i in range(60)]
    )
    candidates = [Candidate(f"A{i}", "A") for i in range(300)] + [Candidate(f"B{i}", "B") for i in range(300)]
    instance = Instance(PIX_RULE, 4, tuple(candidates), tuple(jurors))
    solution = solve(instance, time_limit=20)
    assert solution.status == INFEASIBLE and solution.method == "precheck"
    assert [e.message for e in solution.explanation] == [
        "academy A: 300 candidates need 300 direction/drane/inspecteur juror seats from other academies, "
        "those jurors can sit 20"
    ]
