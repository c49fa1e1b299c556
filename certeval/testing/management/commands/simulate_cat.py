"""``certeval simulate-cat``: simulate candidates through the adaptive test engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.domain.cat.bank_io import BankFormatError, read_bank_csv, read_thetas
from certeval.domain.cat.engine import Exposure
from certeval.domain.cat.estimation import Estimator
from certeval.domain.cat.form import FormFormatError, InfeasibleFormError, load_form
from certeval.domain.cat.irt import Model
from certeval.domain.cat.runner import SimulationRequest, parse_selection, run_simulation


class Command(BaseCommand):
    help = (
        "Simulate one candidate per line of THETAS.csv on the item bank BANK.csv (columns id,a,b,c and "
        "optionally d,competence,part) and report RMSE, bias, exposure and the time per step."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", required=True, type=Path, help="item bank CSV")
        parser.add_argument("--thetas", required=True, type=Path, help="one true ability per line")
        parser.add_argument("--length", required=True, type=int, help="test length L")
        parser.add_argument(
            "--model", choices=[m.value for m in Model], help="scoring model (default: the bank's)"
        )
        parser.add_argument("--select", default="maxinfo", help="maxinfo (default) or randomesque:K")
        parser.add_argument("--exposure", default="none", choices=[e.value for e in Exposure])
        parser.add_argument(
            "--exposure-target", type=float, default=0.30, help="maximum exposure rate (0.30)"
        )
        parser.add_argument("--content", default="none", help="none (default) or a FORM.yaml file")
        parser.add_argument("--estimator", default="eap", choices=[e.value for e in Estimator])
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bank = read_bank_csv(options["bank"])
            thetas = read_thetas(options["thetas"])
            form = None if options["content"] == "none" else load_form(Path(options["content"]))
            selection, k = parse_selection(options["select"])
        except (BankFormatError, FormFormatError, OSError, ValueError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["length"] < 1:
            raise CommandError("--length must be ≥ 1", returncode=2)
        request = SimulationRequest(
            bank=bank,
            thetas=thetas,
            length=options["length"],
            model=Model(options["model"]) if options["model"] else None,
            selection=selection,
            randomesque_k=k,
            exposure=Exposure(options["exposure"]),
            exposure_target=options["exposure_target"],
            form=form,
            estimator=Estimator(options["estimator"]),
            seed=options["seed"],
        )
        try:
            figures = run_simulation(request)
        except (InfeasibleFormError, ValueError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key}: {value:.4g}" if isinstance(value, float) else f"{key}: {value}")
