from collections.abc import Callable
from typing import Any

import pytest

from certeval.domain.juries import InstanceError, parse_instance


def valid() -> dict[str, Any]:
    return {
        "rule": {
            "size": 3,
            "groups": [
                {"roles": ["drane", "inspecteur", "direction"], "min": 1},
                {"roles": ["expert"], "min": 1, "max": 2},
            ],
            "same_academy": False,
        },
        "halfday_slots": 5,
        "candidates": [{"id": "C1", "academy": "Lyon", "conflicts": ["J1"]}],
        "jurors": [
            {"id": "J1", "role": "expert", "academy": "Nice", "halfdays": ["2026-05-12-am"], "max_load": 4}
        ],
    }


def test_round_trip() -> None:
    instance = parse_instance(valid())
    assert instance.rule.groups[1].max == 2
    assert instance.rule.groups[0].max == 3
    assert instance.halfdays == ("2026-05-12-am",)
    assert parse_instance(instance.to_dict()) == instance


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["jurors"][0].update(max_load=0), "jurors[0].max_load: must be a positive integer"),
        (lambda d: d["jurors"][0].pop("role"), "jurors[0].role: missing field"),
        (
            lambda d: d["candidates"][0].update(conflicts=["J9"]),
            "candidates[0].conflicts[0]: unknown juror id 'J9'",
        ),
        (lambda d: d.pop("halfday_slots"), "halfday_slots: missing field"),
        (lambda d: d["rule"]["groups"][1].update(min=3), "rule.groups[1].max: must be ≥ min (3)"),
        (
            lambda d: d["rule"]["groups"][1].update(roles=["drane"]),
            "rule.groups[1].roles: role 'drane' already",
        ),
        (lambda d: d["rule"].update(same_academy="no"), "rule.same_academy: must be true or false"),
        (lambda d: d["jurors"].append(dict(d["jurors"][0])), "jurors[1].id: duplicate juror id 'J1'"),
        (lambda d: d["jurors"][0].update(halfdays="am"), "jurors[0].halfdays: must be a list"),
    ],
)
def test_errors_name_the_json_path(mutate: Callable[[dict[str, Any]], object], message: str) -> None:
    data = valid()
    mutate(data)
    with pytest.raises(InstanceError) as error:
        parse_instance(data)
    assert str(error.value).startswith(message)


def test_minimums_cannot_exceed_size() -> None:
    data = valid()
    data["rule"]["groups"][0]["min"] = 2
    data["rule"]["groups"][1]["min"] = 2
    with pytest.raises(InstanceError, match=r"rule\.groups: the minimums add up"):
        parse_instance(data)
