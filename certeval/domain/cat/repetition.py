"""Spaced repetition for training mode (FSRS): which items to replay to a candidate, and when.

Each (candidate, item) pair is an FSRS card. An answer is rated ``Again`` when wrong, ``Good`` when
right, and ``Easy`` when right faster than ``easy_seconds`` (when a duration is given); the scheduler
then sets the card's next due date at the desired retention (default 0.9, an FSRS setting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler


@dataclass
class ReplayPlan:
    """The FSRS cards of one candidate, by item id."""

    desired_retention: float = 0.9
    easy_seconds: float | None = None
    cards: dict[str, Card] = field(default_factory=dict)
    scheduler: Scheduler = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(desired_retention=self.desired_retention, enable_fuzzing=False)

    def record(
        self, item_id: str, correct: bool, when: datetime | None = None, seconds: float | None = None
    ) -> datetime:
        """Schedule ``item_id`` after an answer; returns its next due date."""
        when = when or datetime.now(UTC)
        if not correct:
            rating = Rating.Again
        elif seconds is not None and self.easy_seconds is not None and seconds <= self.easy_seconds:
            rating = Rating.Easy
        else:
            rating = Rating.Good
        card = self.cards.get(item_id) or Card()
        card, _ = self.scheduler.review_card(card, rating, when)
        self.cards[item_id] = card
        due: datetime = card.due
        return due

    def due(self, now: datetime | None = None, limit: int | None = None) -> list[str]:
        """Items due for replay at ``now``, most overdue first."""
        now = now or datetime.now(UTC)
        ready = sorted((card.due, item_id) for item_id, card in self.cards.items() if card.due <= now)
        return [item_id for _, item_id in ready[:limit]]

    def retrievability(self, item_id: str, now: datetime | None = None) -> float:
        """FSRS probability that the candidate still answers ``item_id`` right at ``now``."""
        value: float = self.scheduler.get_card_retrievability(self.cards[item_id], now or datetime.now(UTC))
        return value
