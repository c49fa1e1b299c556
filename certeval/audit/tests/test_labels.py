"""Every action the code records has a French label, and objects are named by their model."""

from __future__ import annotations

import re
from pathlib import Path

from certeval.audit.labels import ACTIONS, action_label, target_label, target_type_label

PACKAGE = Path(__file__).resolve().parents[2]
ACTION_LITERAL = re.compile(r"""\baction=["']([a-z_]+\.[a-z_]+)["']""")


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        if "tests" not in source.parts:
            found |= set(ACTION_LITERAL.findall(source.read_text(encoding="utf-8")))
    return found


def test_every_recorded_action_has_a_label() -> None:
    actions = recorded_actions()
    assert len(actions) > 30
    assert actions - set(ACTIONS) == set()


def test_labels_and_the_fallback_for_an_unknown_code() -> None:
    assert action_label("juries.score_submit") == "Évaluation transmise"
    assert action_label("plugin.something") == "plugin.something"
    assert target_type_label("campaigns.enrolment") == "Inscription"
    assert target_label("juries.jury", "4") == "Jury n° 4"
    assert target_label("gone.model", "7") == "gone.model n° 7"
