import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

INSTANCE = {
    "rule": {
        "size": 3,
        "groups": [
            {"roles": ["drane", "inspecteur", "direction"], "min": 1},
            {"roles": ["expert"], "min": 1, "max": 2},
        ],
        "same_academy": False,
    },
    "halfday_slots": 2,
    "candidates": [
        {"id": "C1", "academy": "Lyon", "conflicts": []},
        {"id": "C2", "academy": "Nice", "conflicts": ["J4"]},
        {"id": "C3", "academy": "Lyon", "conflicts": []},
    ],
    "jurors": [
        {"id": "J1", "role": "drane", "academy": "Paris", "halfdays": ["am", "pm"], "max_load": 3},
        {"id": "J2", "role": "expert", "academy": "Paris", "halfdays": ["am"], "max_load": 3},
        {"id": "J3", "role": "expert", "academy": "Lille", "halfdays": ["am", "pm"], "max_load": 3},
        {"id": "J4", "role": "formateur", "academy": "Nantes", "halfdays": ["pm"], "max_load": 3},
        {"id": "J5", "role": "inspecteur", "academy": "Nice", "halfdays": ["am", "pm"], "max_load": 3},
    ],
}


def write(tmp_path: Path, data: object, name: str = "instance.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("juries", *args, stdout=out)
    return out.getvalue()


def test_solve_prints_the_schedule_as_json(tmp_path: Path) -> None:
    result = json.loads(run("solve", str(write(tmp_path, INSTANCE)), "--json", "--time-limit", "10"))
    assert result["status"] == "optimal"
    assert sorted(a["candidate"] for a in result["assignments"]) == ["C1", "C2", "C3"]
    assert all(len(a["jurors"]) == 3 and a["slot"] in (1, 2) for a in result["assignments"])
    assert result["objective"] == result["bound"]
    assert result["gap"] == 0


def test_solve_prints_a_readable_schedule(tmp_path: Path) -> None:
    text = run("solve", str(write(tmp_path, INSTANCE)))
    assert text.startswith("status: optimal")
    assert "C2  J1, J2, J3" in text


def test_infeasible_exits_3_with_an_explanation(tmp_path: Path) -> None:
    data = json.loads(json.dumps(INSTANCE))
    data["candidates"].append({"id": "C9", "academy": "Paris", "conflicts": ["J3"]})
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("juries", "solve", str(write(tmp_path, data)), "--json", stdout=out)
    assert error.value.returncode == 3
    result = json.loads(out.getvalue())
    assert result["status"] == "infeasible"
    assert any("candidate C9" in e["message"] for e in result["explanation"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        (json.dumps({**INSTANCE, "halfday_slots": 0}), "halfday_slots: must be a positive integer"),
        (json.dumps({k: v for k, v in INSTANCE.items() if k != "jurors"}), "jurors: missing field"),
    ],
)
def test_invalid_input_exits_2_naming_file_and_path(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(CommandError) as error:
        run("solve", str(path))
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_console_script_exit_codes(tmp_path: Path) -> None:
    data = json.loads(json.dumps(INSTANCE))
    data["jurors"][1]["max_load"] = 0
    bad = write(tmp_path, data, "bad.json")
    done = subprocess.run(
        [sys.executable, "-m", "certeval", "juries", "solve", str(bad), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert f"{bad}: jurors[1].max_load: must be a positive integer" in done.stderr
    data["jurors"][1]["max_load"] = 3
    data["jurors"][1]["role"] = "formateur"
    data["jurors"][2]["role"] = "formateur"
    done = subprocess.run(
        [sys.executable, "-m", "certeval", "juries", "solve", str(write(tmp_path, data)), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert json.loads(done.stdout)["status"] == "infeasible"
