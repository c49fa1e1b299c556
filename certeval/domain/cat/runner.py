"""One simulation request (the domain side of ``certeval simulate-cat``): settings in, figures out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from certeval.domain.cat.bounds import van_trees_bound
from certeval.domain.cat.engine import CatEngine, EngineSettings, Exposure, Selection, StoppingRule
from certeval.domain.cat.estimation import Estimator, GridSettings
from certeval.domain.cat.form import FormSpec
from certeval.domain.cat.irt import FloatArray, ItemBank, Model
from certeval.domain.cat.simulation import calibrate_sympson_hetter, simulate


@dataclass(frozen=True)
class SimulationRequest:
    bank: ItemBank
    thetas: FloatArray
    length: int
    model: Model | None = None
    selection: Selection = Selection.MAXINFO
    randomesque_k: int = 1
    exposure: Exposure = Exposure.NONE
    exposure_target: float = 0.30
    form: FormSpec | None = None
    estimator: Estimator = Estimator.EAP
    grid: GridSettings = field(default_factory=GridSettings)
    seed: int = 0
    sh_rounds: int = 10
    sh_simulees: int = 1000


def parse_selection(text: str) -> tuple[Selection, int]:
    """``maxinfo`` or ``randomesque:K``."""
    if text == "maxinfo":
        return Selection.MAXINFO, 1
    name, _, k = text.partition(":")
    if name == "randomesque" and k.isdigit() and int(k) >= 1:
        return Selection.RANDOMESQUE, int(k)
    raise ValueError(f"--select must be maxinfo or randomesque:K with K ≥ 1, got {text!r}")


def run_simulation(request: SimulationRequest) -> dict[str, float | int | str]:
    """Simulate every ability of the request on its bank; answers follow the bank as given, the engine
    scores with ``model`` (the bank's own model by default). Returns the JSON figures."""
    truth = request.bank
    model = request.model or truth.model
    scored = truth if model is truth.model else truth.as_model(model)
    settings = EngineSettings(
        grid=request.grid,
        estimator=request.estimator,
        selection=request.selection,
        randomesque_k=request.randomesque_k,
        exposure=request.exposure,
        exposure_target=request.exposure_target,
    )
    stopping = StoppingRule(max_items=request.length)
    rng = np.random.default_rng(request.seed)
    parameters = None
    if request.exposure is Exposure.SYMPSON_HETTER:
        calibration_rng = np.random.default_rng([request.seed, 1])
        parameters = calibrate_sympson_hetter(
            lambda k: CatEngine(scored, stopping, settings, request.form, k),
            request.sh_simulees,
            calibration_rng,
            request.exposure_target,
            iterations=request.sh_rounds,
        )
    engine = CatEngine(scored, stopping, settings, request.form, parameters)
    report = simulate(engine, request.thetas, rng, true_bank=truth).report
    bound = van_trees_bound(truth, request.length)
    return {
        **report.as_dict(),
        "rmse_bound_van_trees": bound,
        "rmse_over_bound": report.rmse / bound,
        "model": model.value,
        "items": len(truth),
        "length": request.length,
    }
