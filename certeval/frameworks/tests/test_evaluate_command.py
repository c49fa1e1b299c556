"""``certeval evaluate FRAMEWORK_ID CASE.json``: one JSON object on success, exit 2 with a message."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


def run(tmp_path: Path, framework: str, case: Any, raw: str | None = None) -> tuple[int, Any, str]:
    path = tmp_path / "CASE.json"
    path.write_text(raw if raw is not None else json.dumps(case), encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("evaluate", framework, str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), None, err.getvalue().replace(str(path), "CASE.json")
    return 0, json.loads(out.getvalue()), err.getvalue()


def test_dossier(tmp_path: Path) -> None:
    criteria = [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
        "7.1",
        "7.2",
        "8.1",
        "8.2",
    ]
    levels = ["expert"] * 9 + ["avance"] * 6 + ["confirme"]
    code, result, _ = run(
        tmp_path,
        "pix-plus-edu",
        {"component": "dossier", "criteria": dict(zip(criteria, levels, strict=True))},
    )
    assert code == 0
    assert (result["framework"], result["component"], result["level"], result["outcome"]) == (
        "pix-plus-edu",
        "dossier",
        "avance",
        None,
    )
    assert result["reasons"][1] == (
        "9 critères au niveau Expert mais 1 critère sous Avancé : le niveau Expert n'est pas atteint"
    )
    assert result["counts"] == {"initie": 0, "confirme": 1, "avance": 6, "expert": 9}


def test_final_adjourned(tmp_path: Path) -> None:
    case = {
        "component": "final",
        "policy": "adjourn",
        "on": "2024-06-01",
        "automated": {"level": "expert", "obtained_on": "2024-02-29"},
        "practice": {"level": "confirme"},
    }
    code, result, _ = run(tmp_path, "pix-plus-edu", case)
    assert code == 0
    assert (result["level"], result["outcome"]) == (None, "adjourned")
    assert result["automated"]["valid_until"] == "2027-02-28"


def test_title(tmp_path: Path) -> None:
    case = {
        "component": "final",
        "blocks": {"1": {"validated": True, "on": "2024-01-10"}},
        "final_interview": True,
    }
    code, result, _ = run(tmp_path, "titre-responsable-formation", case)
    assert code == 0
    assert result["outcome"] == "not_certified"
    assert result["blocks_held"] == ["1"]


@pytest.mark.parametrize(
    ("framework", "case", "raw", "message"),
    [
        (
            "pix-plus-edu",
            {"component": "dossier", "criteria": {"1.2": "experte"}},
            None,
            "CASE.json: criteria[\"1.2\"]: unknown level 'experte' "
            "(expected one of initie, confirme, avance, expert or null)",
        ),
        ("pix-plus-edu", None, '{"component": "oral",', "CASE.json: line 1 column 22: invalid JSON:"),
        (
            "pix-plus-edu",
            {"component": "automated", "part": "crcn", "answers": [{"competence": "1.1"}]},
            None,
            "CASE.json: answers[0].correct: required key is missing",
        ),
        ("nope", {}, None, "FRAMEWORK_ID: unknown framework 'nope' (expected one of crcn, "),
    ],
)
def test_invalid_input_exits_2(
    tmp_path: Path, framework: str, case: Any, raw: str | None, message: str
) -> None:
    code, _, err = run(tmp_path, framework, case, raw)
    assert code == 2
    assert err.startswith(message)


def test_missing_file(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("evaluate", "pix-plus-edu", str(tmp_path / "absent.json"), stderr=err)
    assert caught.value.code == 2
    assert err.getvalue().startswith(f"{tmp_path / 'absent.json'}: cannot read: No such file or directory")


def test_console_script(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps({"component": "oral", "domains": {"1": "avance", "2": "avance"}}), encoding="utf-8"
    )
    ok = subprocess.run(
        [sys.executable, "-m", "certeval", "evaluate", "pix-plus-edu", str(path)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["level"] == "avance"
    path.write_text(json.dumps({"component": "oral", "domains": {"9": "avance"}}), encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "certeval", "evaluate", "pix-plus-edu", str(path)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == f'{path}: domains["9"]: unknown domain (expected one of 1, 2, 3, 4, 5)'
