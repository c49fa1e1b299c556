"""Shared inputs of the simulation commands' tests (``simulate_cat``, ``simulate_placement``)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management import call_command

from certeval.domain.cat.bank_io import bank_to_csv
from certeval.domain.cat.simulation import synthetic_bank

REPO = Path(__file__).resolve().parents[3]


def bank_and_thetas(tmp_path: Path, items: int, people: int) -> tuple[Path, Path]:
    """A synthetic bank of ``items`` items and the abilities of ``people`` simulated people (seed 0)."""
    rng = np.random.default_rng(0)
    bank = write(tmp_path, "bank.csv", bank_to_csv(synthetic_bank(items, rng)))
    thetas = write(tmp_path, "thetas.csv", "\n".join(f"{t:.3f}" for t in rng.normal(size=people)) + "\n")
    return bank, thetas


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def command_json(command: str, *args: str) -> dict[str, Any]:
    """The figures a simulation command prints with ``--json``."""
    out = StringIO()
    call_command(command, *args, "--json", stdout=out)
    figures: dict[str, Any] = json.loads(out.getvalue())
    return figures
