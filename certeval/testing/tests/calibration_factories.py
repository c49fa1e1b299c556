"""Items, answers and managers for the calibration tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certeval.accounts.models import User
from certeval.campaigns.tests.factories import UserFactory
from certeval.testing.calibration_demo import simulate_answers
from certeval.testing.models import Item, ItemVersion
from certeval.testing.tests.factories import published

BANK = "pix-plus-edu"


def admin() -> User:
    published(BANK)
    return UserFactory(is_superuser=True, is_staff=True)


def make_items(
    count: int, *, start: int = 0, status: str = "active", a: float = 1.0, b: float = 0.0, c: float = 0.0
) -> list[Item]:
    """``count`` single-choice items of the bank with provisional parameters a, b, c."""
    items = []
    for n in range(start, start + count):
        item = Item.objects.create(
            bank=BANK,
            code=f"q{n:03d}",
            part="crcn-edu",
            competence=f"{1 + n % 5}.1",
            level="confirme",
            usage="practice",
            status=status,
        )
        version = ItemVersion.objects.create(
            item=item,
            number=1,
            kind="single",
            stem=f"Question {n}",
            options=[{"text": "Oui", "correct": True}, {"text": "Non", "correct": False}],
            explanation="Parce que.",
            a=a,
            b=b,
            c=c,
        )
        item.current = version
        item.save(update_fields=["current"])
        items.append(item)
    return items


def truth_for(items: Sequence[Item], seed: int = 1) -> dict[int, tuple[float, float, float]]:
    """True parameters, unlike the provisional ones: a log-normal around 1.2, b ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    return {item.pk: (float(rng.lognormal(0.15, 0.25)), float(rng.normal(0, 1)), 0.0) for item in items}


def answers(
    items: Sequence[Item],
    parameters: dict[int, tuple[float, float, float]],
    people: int,
    *,
    per_person: int | None = None,
    seed: int = 3,
    prefix: str = "test",
) -> int:
    return simulate_answers(
        BANK,
        list(items),
        parameters,
        candidates=people,
        per_person=per_person or len(items),
        seed=seed,
        prefix=prefix,
    )
