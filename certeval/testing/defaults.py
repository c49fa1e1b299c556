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

# ``CERTEVAL_DELIVERY`` — proctored certification sessions (docs/testing.md, « Proctored sessions »).
# A campaign's own choices (form, minimum, abandonment, retention) start from these values and are then
# set on the campaign (``CampaignDelivery``); the others apply to every session.
DEFAULT_DELIVERY: dict[str, Any] = {
    # The form of a new campaign: "level" (the seed's: drawn at the target level, scored by shares of
    # correct answers) or "adaptive" (scored on the ability scale with the cuts below).
    "form": "level",
    # Answered questions needed for a valid result (Pix uses 20).
    "min_answered": 20,
    # A test the candidate stops before the end of time: "score" (what was answered counts, as at the
    # end of time) or "void" (no result).
    "abandonment": "score",
    # Proctoring events and messages are deleted this many days after the session's results
    # (``certeval testing-purge``, docs/testing.md « Retention »).
    "retention_days": 30,
    # Questions of a new campaign's test at most: None keeps the référentiel's maximum (64 for Pix+ Édu);
    # a smaller number gives a short test (a mock test, the demo), each part of the form keeping its share.
    "max_questions": None,
    # Content constraints of the form per bank (files of certeval/domain/cat/forms/); a bank without
    # one gets a form of the référentiel's max_questions without quotas.
    "forms": {"pix-plus-edu": "pix_plus_edu.yaml"},
    # Overall level from the parts' levels: "lowest" (the level every part reached) or "first-part".
    "combination": "lowest",
    # Adaptive form: cuts on the ability scale and the posterior probability a level needs.
    "cuts": {"confirme": -1.0, "avance": 0.0, "expert": 1.0},
    "confidence": 0.8,
    # Level form: a competence is « acquired » when its share of correct answers reaches this.
    "acquired_share": 0.5,
    # An answer that arrives at most this many seconds after the end of time still counts (network).
    "grace_seconds": 5,
    # A silence of a candidate longer than this, during which the service answered nobody, is a
    # service outage: the time is given back and logged as an incident.
    "outage_seconds": 60,
    # Characters of the session access code (no ambiguous characters: no 0/O, 1/I/L).
    "access_code_length": 8,
    # Refused attempts to join a session allowed per client address and window (name and birth date are
    # weak secrets); counted in Django's cache, so several workers need a shared cache.
    "join_attempts": 10,
    "join_window_seconds": 600,
}
