"""The documented defaults of ``CERTEVAL_RETENTION`` (docs/privacy.md, « Retention »): how long each
category of personal data is kept, counted from the event named in ``from``. The seeds state no
retention period, so each is a setting; the settings module starts from these values and the code
merges a project's setting over them. ``days: None`` means kept for good (the law requires it).
Pure Python: ``certeval/settings.py`` imports it."""

from __future__ import annotations

from typing import Any

DEFAULT_RETENTION: dict[str, Any] = {
    # Events of remote proctoring (focus losses, incidents, invigilators' notes): the shortest, until
    # the review period of the result is over (two months of French administrative appeals) plus a
    # margin for a review under way.
    "proctoring_events": {"days": 90, "from": "result_published"},
    # Answers to the online test, item by item: long enough for a review and for item calibration.
    "test_responses": {"days": 365, "from": "result_published"},
    # Dossiers and their files, jurors' grids and comments: after the appeal period and the next
    # session, when a re-take may need the earlier work.
    "dossiers": {"days": 365, "from": "result_published"},
    # Enrolment identity and accommodations of candidates who hold no award: as long as a re-take or
    # a dispute may need them.
    "enrolments": {"days": 5 * 365, "from": "campaign_closed"},
    # Decisions, awards and the holders' register (attestations, credentials, the Caisse des Dépôts
    # declaration): kept for good, a holder must be able to prove the certification all their life.
    "decisions": {"days": None, "from": "decision"},
    # Sign-ins, failures and lock-outs: one year, as the CNIL recommends for access logs.
    "login_events": {"days": 365, "from": "event"},
    # Who consulted a candidate's file: as long as the file itself may be consulted, then some.
    "consultations": {"days": 5 * 365, "from": "event"},
    # Days between the notice to the person and the removal (they may ask for an export meanwhile).
    "grace_days": 30,
}
