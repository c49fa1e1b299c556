from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certeval.testing.tests.simulation_files import REPO, bank_and_thetas, command_json, write


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return bank_and_thetas(tmp_path, items=150, people=60)


def run(*args: str) -> dict[str, Any]:
    return command_json("simulate_placement", *args)


def test_prints_both_rules_side_by_side(files: tuple[Path, Path]) -> None:
    bank, thetas = files
    args = ("--bank", str(bank), "--thetas", str(thetas), "--cuts", "-1,0,1", "--length", "30", "--seed", "2")
    figures = run(*args)
    assert figures["candidates"] == 60 and figures["length"] == 30 and figures["confidence"] == 0.8
    assert figures["cuts"] == [-1.0, 0.0, 1.0]
    for rule in ("ours", "point_estimate"):
        shares = figures[rule]
        assert shares["over_placed"] + shares["under_placed"] + shares["exact"] == pytest.approx(1.0)
        assert 0 < shares["mean_length"] <= 30
    assert figures["point_estimate"]["mean_length"] == 30
    assert figures["ours"]["mean_length"] < 30  # our rule stops once the level is decided
    assert run(*args) == figures  # seeded
    stricter = run(*args[:-2], "--seed", "2", "--confidence", "0.95")
    assert stricter["ours"]["over_placed"] <= figures["ours"]["over_placed"]
    assert stricter["point_estimate"] == figures["point_estimate"]


def test_text_output(files: tuple[Path, Path]) -> None:
    bank, thetas = files
    out = StringIO()
    call_command(
        "simulate_placement", "--bank", str(bank), "--thetas", str(thetas), "--cuts", "-1,0,1",
        "--length", "10", stdout=out,
    )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("60 candidates, 150 items, maximum length 10")
    assert lines[1].startswith("ours: over_placed ") and lines[2].startswith("point_estimate: over_placed ")


def test_bad_inputs_exit_2_with_a_precise_message(tmp_path: Path, files: tuple[Path, Path]) -> None:
    bank, thetas = files
    cases = [
        (["--bank", str(tmp_path / "missing.csv")], "missing.csv: cannot read the file"),
        (["--thetas", str(tmp_path / "none.csv")], "none.csv: cannot read the file"),
        (
            ["--bank", str(write(tmp_path, "bad.csv", "id,a,b,c\nq1,1,0,0\nq2,1,zero,0\n"))],
            "bad.csv, line 3, column 'b': not a number: 'zero'",
        ),
        (["--thetas", str(write(tmp_path, "t.csv", "0.1\nabc\n"))], "t.csv, line 2, column 'theta'"),
        (["--cuts", "0,-1,1"], "--cuts must strictly increase (C1 < C2 < C3), got '0,-1,1'"),
        (["--cuts", "-1,0,0"], "--cuts must strictly increase"),
        (["--cuts", "-1,0"], "--cuts needs exactly 3 comma-separated numbers, got '-1,0'"),
        (["--cuts", "-1,0,1,2"], "--cuts needs exactly 3 comma-separated numbers"),
        (["--cuts", "-1,zero,1"], "--cuts needs exactly 3 comma-separated numbers"),
        (["--length", "0"], "--length must be ≥ 1, got 0"),
        (["--confidence", "1"], "--confidence must be in (0, 1), got 1.0"),
        (["--confidence", "0"], "--confidence must be in (0, 1), got 0.0"),
        (["--confidence", "nan"], "--confidence must be in (0, 1), got nan"),
    ]
    defaults = {"--bank": str(bank), "--thetas": str(thetas), "--cuts": "-1,0,1", "--length": "5"}
    for extra, message in cases:
        options = {**defaults, extra[0]: extra[1]}
        with pytest.raises(CommandError) as caught:
            run(*(text for pair in options.items() for text in pair))
        assert caught.value.returncode == 2, extra
        assert message in str(caught.value), (extra, str(caught.value))


def test_console_entry_point(files: tuple[Path, Path], tmp_path: Path) -> None:
    bank, thetas = files
    ok = subprocess.run(
        [sys.executable, "-m", "certeval", "simulate-placement", "--bank", str(bank), "--thetas", str(thetas),
         "--cuts", "-1,0,1", "--length", "8", "--json"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert set(json.loads(ok.stdout)["ours"]) >= {"over_placed", "under_placed", "exact", "mean_length"}
    failed = subprocess.run(
        [sys.executable, "-m", "certeval", "simulate-placement", "--bank", str(bank), "--thetas", str(thetas),
         "--cuts", "1,0,-1", "--length", "8"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert failed.returncode == 2
    assert "--cuts must strictly increase" in failed.stderr
