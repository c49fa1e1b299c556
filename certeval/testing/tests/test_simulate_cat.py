from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management.base import CommandError

from certeval.testing.tests.simulation_files import REPO, bank_and_thetas, command_json, write

FORMS = Path(__file__).resolve().parents[2] / "domain" / "cat" / "forms"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return bank_and_thetas(tmp_path, items=120, people=25)


def run(*args: str) -> dict[str, Any]:
    return command_json("simulate_cat", *args)


def test_simulation_prints_the_figures(files: tuple[Path, Path]) -> None:
    bank, thetas = files
    figures = run("--bank", str(bank), "--thetas", str(thetas), "--length", "12", "--seed", "3")
    for key in (
        "rmse",
        "bias",
        "mean_se",
        "exposure_max",
        "items_never_used_pct",
        "us_per_step",
        "us_per_step_p99",
    ):
        assert isinstance(figures[key], float)
    assert figures["candidates"] == 25 and figures["mean_length"] == 12
    assert 0 < figures["rmse"] < 1 and figures["model"] == "3PL"
    again = run("--bank", str(bank), "--thetas", str(thetas), "--length", "12", "--seed", "3")
    assert again["rmse"] == figures["rmse"]  # seeded: the same candidates get the same answers


def test_options_select_model_exposure_and_content(files: tuple[Path, Path]) -> None:
    bank, thetas = files
    figures = run(
        "--bank", str(bank), "--thetas", str(thetas), "--length", "32", "--model", "2PL",
        "--select", "randomesque:3", "--exposure", "progressive", "--content", str(FORMS / "crcn16_32.yaml"),
    )  # fmt: skip
    assert figures["model"] == "2PL" and figures["mean_length"] == 32


@pytest.mark.parametrize(
    ("bank_text", "message"),
    [
        ("id,a,b\nq1,1,0\n", "line 1: missing column(s) c"),
        ("id,a,b,c\nq1,1,0,0\nq2,0,0.5,0.2\n", "line 3, column 'a': a must be > 0"),
        ("id,a,b,c\nq1,1,0,1.2\n", "line 2, column 'c': c must be in [0, 1)"),
        ("id,a,b,c\nq1,1,0,0\nq1,1,0,0\n", "line 3, column 'id': duplicate id 'q1'"),
        ("id,a,b,c\nq1,1,zero,0\n", "line 2, column 'b': not a number: 'zero'"),
    ],
)
def test_malformed_bank_exits_2_with_file_line_and_column(
    tmp_path: Path, files: tuple[Path, Path], bank_text: str, message: str
) -> None:
    bank = write(tmp_path, "bad.csv", bank_text)
    with pytest.raises(CommandError) as caught:
        run("--bank", str(bank), "--thetas", str(files[1]), "--length", "5")
    assert caught.value.returncode == 2
    assert str(bank) in str(caught.value) and message in str(caught.value)


def test_other_input_errors_exit_2(tmp_path: Path, files: tuple[Path, Path]) -> None:
    bank, thetas = files
    cases = [
        (["--thetas", str(write(tmp_path, "t.csv", "0.1\nabc\n"))], "t.csv, line 2, column 'theta'"),
        (["--thetas", str(tmp_path / "missing.csv")], "missing.csv: cannot read the file"),
        (["--thetas", str(thetas), "--select", "best"], "--select must be maxinfo or randomesque:K"),
        (
            ["--thetas", str(thetas), "--content", str(write(tmp_path, "f.yaml", "parts: {}\n"))],
            "missing key 'length'",
        ),
        (["--thetas", str(thetas), "--content", str(FORMS / "pix_plus_edu.yaml")], "the form has 64 items"),
    ]
    for extra, message in cases:
        with pytest.raises(CommandError) as caught:
            run("--bank", str(bank), "--length", "5", *extra)
        assert caught.value.returncode == 2, extra
        assert message in str(caught.value), (extra, str(caught.value))


def test_console_entry_point_maps_simulate_cat(files: tuple[Path, Path], tmp_path: Path) -> None:
    bank, thetas = files
    ok = subprocess.run(
        [sys.executable, "-m", "certeval", "simulate-cat", "--bank", str(bank), "--thetas", str(thetas),
         "--length", "8", "--json"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["candidates"] == 25
    bad = write(tmp_path, "bad.csv", "id,a,b,c\nq1,-1,0,0\n")
    failed = subprocess.run(
        [sys.executable, "-m", "certeval", "simulate-cat", "--bank", str(bad), "--thetas", str(thetas), "--length", "8"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert failed.returncode == 2
    assert "bad.csv, line 2, column 'a': a must be > 0" in failed.stderr
