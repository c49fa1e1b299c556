"""The earliest oral date (the jurors' reading delay after the dossier freeze): the solver uses no
half-day before it, the validator flags one, and an instance where no date fits is explained."""

from certeval.domain.juries import (
    INFEASIBLE,
    Assignment,
    Candidate,
    Instance,
    InstanceError,
    Juror,
    RoleGroup,
    Rule,
    check_assignment,
    parse_instance,
    solve,
)

RULE = Rule(3, (RoleGroup(frozenset({"drane"}), 1, 3), RoleGroup(frozenset({"expert"}), 1, 2)))
DAYS = frozenset({"2026-05-11-am", "2026-05-18-am"})


def instance(earliest: str | None) -> Instance:
    return Instance(
        RULE,
        2,
        (Candidate("C1", "lyon"), Candidate("C2", "nice")),
        (
            Juror("J1", "drane", "paris", DAYS, 5),
            Juror("J2", "expert", "lille", DAYS, 5),
            Juror("J3", "expert", "nantes", DAYS, 5),
        ),
        earliest,
    )


def test_solver_uses_no_halfday_before_the_earliest_date() -> None:
    solution = solve(instance("2026-05-15"), time_limit=5)
    assert solution.assignments
    assert {a.halfday for a in solution.assignments} == {"2026-05-18-am"}
    assert check_assignment(instance("2026-05-15"), solution.assignments) == []


def test_validator_flags_an_oral_before_the_earliest_date() -> None:
    early = [
        Assignment("C1", ("J1", "J2", "J3"), "2026-05-11-am", 1),
        Assignment("C2", ("J1", "J2", "J3"), "2026-05-11-am", 2),
    ]
    assert check_assignment(instance(None), early) == []
    violations = check_assignment(instance("2026-05-15"), early)
    assert [v.constraint for v in violations] == ["reading_delay", "reading_delay"]
    assert "before the earliest oral date 2026-05-15" in violations[0].message


def test_no_date_fits_is_explained() -> None:
    solution = solve(instance("2026-05-19"), time_limit=5)
    assert solution.status == INFEASIBLE
    assert [e.constraint for e in solution.explanation] == ["reading_delay"]
    assert "2026-05-19" in solution.explanation[0].message


def test_earliest_date_round_trips_and_is_checked() -> None:
    data = instance("2026-05-15").to_dict()
    assert data["earliest_date"] == "2026-05-15"
    assert parse_instance(data).earliest_date == "2026-05-15"
    assert "earliest_date" not in instance(None).to_dict()
    data["earliest_date"] = "15/05/2026"
    try:
        parse_instance(data)
    except InstanceError as error:
        assert error.path == "earliest_date"
    else:
        raise AssertionError("an invalid date is refused")
