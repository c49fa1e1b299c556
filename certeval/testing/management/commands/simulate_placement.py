"""``certeval simulate-placement``: our placement rule against a point-estimate placement."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.domain.cat.bank_io import BankFormatError, read_bank_csv, read_thetas
from certeval.domain.cat.placement import parse_cuts, run_placement_simulation


class Command(BaseCommand):
    help = (
        "Simulate one candidate per line of THETAS.csv through a placement run on the item bank BANK.csv "
        "(columns id,a,b,c and optionally d,competence,part) and report, for our rule (highest level "
        "cleared with posterior probability ≥ confidence, early stop once decided) and for a Pix-like "
        "point estimate at the same maximum length, the shares placed above, below and at the true level."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # ``--cuts -1,0,1`` must read as a value (argparse alone only takes ``-1`` or ``-0.5`` for one).
        parser._negative_number_matcher = re.compile(r"^-[\d.]")
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", required=True, type=Path, help="item bank CSV")
        parser.add_argument("--thetas", required=True, type=Path, help="one true ability per line")
        parser.add_argument(
            "--cuts",
            required=True,
            help="three increasing cuts C1,C2,C3 on the ability scale between the four levels",
        )
        parser.add_argument("--length", required=True, type=int, help="maximum length L of a run")
        parser.add_argument(
            "--confidence", type=float, default=0.8, help="P(θ ≥ cut) needed to propose a level (0.8)"
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["length"] < 1:
            raise CommandError(f"--length must be ≥ 1, got {options['length']}", returncode=2)
        confidence = options["confidence"]
        if not (math.isfinite(confidence) and 0 < confidence < 1):
            raise CommandError(f"--confidence must be in (0, 1), got {confidence}", returncode=2)
        try:
            cuts = parse_cuts(options["cuts"])
            bank = read_bank_csv(options["bank"])
            thetas = read_thetas(options["thetas"])
        except (BankFormatError, OSError, ValueError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        try:
            figures = run_placement_simulation(
                bank, thetas, cuts, options["length"], confidence, options["seed"]
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self.stdout.write(
            f"{figures['candidates']} candidates, {figures['items']} items, maximum length {figures['length']}, "
            f"confidence {figures['confidence']}"
        )
        for rule in ("ours", "point_estimate"):
            tally = figures[rule]
            assert isinstance(tally, dict)
            self.stdout.write(
                f"{rule}: over_placed {tally['over_placed']:.3f}, under_placed {tally['under_placed']:.3f}, "
                f"exact {tally['exact']:.3f}, mean_length {tally['mean_length']:.1f}"
            )
