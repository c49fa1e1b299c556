"""The documented defaults of the testing context's settings (docs/testing.md), in one place: the
settings module starts from them and the code merges a project's setting over them, so a setting that
leaves a key out gets its default. Pure Python: ``certeval/settings.py`` imports it."""

from __future__ import annotations

from typing import Any

# ``CERTEVAL_PLACEMENT`` — placement run « parcours bilan » (docs/testing.md, « Placement run »; the rule
# in docs/cat.md). A run keeps the values it started with.
DEFAULT_PLACEMENT: dict[str, Any] = {
    # Questions per part and audience, e.g. {"premier": {"crcn": 87, "crcn-edu": 40}, "second": {...}};
    # None: the référentiel's extras.automated_part.placement (seed 004: 87 CRCN + 40 CRCN-Édu subjects
    # for premier degré, 41 for second degré), capped by the items the person can still get.
    "composition": None,
    # The level proposed is the highest one whose cut the candidate clears with at least this
    # posterior probability (seed 004 §5.2: no over-placement).
    "confidence": 0.8,
    # Stop before the full length once the level is decided with that confidence (after min_items).
    "adaptive_stop": True,
    "min_items": 16,
    # How sure the level must be to stop early (None: the engine's default, docs/cat.md).
    "stop_confidence": None,
    # Optional: also stop once the posterior standard deviation of θ is at most this (None: not used).
    "target_se": None,
    # Cuts on the ability scale (θ, N(0, 1) population of the provisional parameters) between the
    # four levels: initié below the first, confirmé, avancé, expert from the last.
    "cuts": {"confirme": -1.0, "avance": 0.0, "expert": 1.0},
    # Pilot items served unscored in each run (to collect answers for their calibration).
    "pilot_items": 2,
}

# ``CERTEVAL_TRAINING`` — training (docs/testing.md, « Training »): free practice per competence with
# FSRS replays.
DEFAULT_TRAINING: dict[str, Any] = {
    # FSRS: the probability of still answering right that a replay is scheduled at.
    "desired_retention": 0.9,
    # A right answer given in at most this share of the item's expected time is rated Easy (longer
    # interval); None: never Easy. A wrong or passed answer is Again, any other right one Good.
    "easy_ratio": 0.5,
    # Answers in one session before its summary (the person may stop earlier, or start another).
    "questions_per_session": 10,
    # Weeks shown in the progress chart and table (the current week and the ones before it).
    "progress_weeks": 8,
}
