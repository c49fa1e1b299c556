"""The result of every evaluation: a level and/or an outcome, with French reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

CERTIFIED: Final = "certified"
ADJOURNED: Final = "adjourned"
NOT_CERTIFIED: Final = "not_certified"
INELIGIBLE: Final = "ineligible"
OUTCOMES: Final = (CERTIFIED, ADJOURNED, NOT_CERTIFIED, INELIGIBLE)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What a rule decided.

    ``level`` is a level id of the framework's scale or ``None``; ``outcome`` is one of
    :data:`OUTCOMES` for final decisions, ``None`` for a single component. ``reasons`` are
    French sentences naming the rule and the figures, in the order the rule applied them.
    ``details`` holds JSON-ready figures (counts, shares, dates as ISO strings).
    """

    framework: str
    component: str
    level: str | None
    outcome: str | None
    reasons: tuple[str, ...]
    details: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by ``certeval evaluate``: fixed fields, then the details."""
        return {
            "framework": self.framework,
            "component": self.component,
            "level": self.level,
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            **self.details,
        }
