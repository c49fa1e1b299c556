"""People and items for the training tests."""

from __future__ import annotations

from typing import Any

from certeval.campaigns.models import Enrolment
from certeval.domain.items.content import ACCOMMODATIONS
from certeval.testing.models import Item, ItemVersion
from certeval.testing.tests.factories import campaign_of, enrolment_in, published

BANK = "pix-plus-edu"
RIGHT = "a"  # the right option of the single-choice items below
WRONG = "b"


def learner(**fields: Any) -> Enrolment:
    """An enrolment in a Pix+ Édu campaign (the CRCN référentiel published too, for its labels)."""
    published("crcn")
    return enrolment_in(campaign_of(BANK), **fields)


def make_item(
    code: str,
    *,
    part: str = "crcn-edu",
    competence: str = "1.1",
    level: str = "initie",
    usage: str = "practice",
    status: str = "active",
    audience: str = "",
    accessibility: tuple[str, ...] = ACCOMMODATIONS,
    kind: str = "single",
    expected_seconds: int = 60,
) -> Item:
    item = Item.objects.create(
        bank=BANK,
        code=code,
        part=part,
        competence=competence,
        level=level,
        usage=usage,
        status=status,
        audience=audience,
    )
    extra: dict[str, Any] = {}
    if kind == "single":
        extra["options"] = [
            {"text": f"Bonne réponse {code}", "correct": True},
            {"text": f"Mauvaise réponse {code}", "correct": False},
        ]
    else:
        extra["blanks"] = [{"answers": ["Cci", "copie cachée"]}]
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        kind=kind,
        stem=f"Énoncé de la question {code}",
        explanation=f"Explication de la question {code}.",
        resources=[{"label": f"Ressource {code}", "url": "https://eduscol.education.fr/"}],
        accessibility=list(accessibility),
        expected_seconds=expected_seconds,
        a=1.0,
        b=0.0,
        **extra,
    )
    item.current = version
    item.save(update_fields=["current"])
    return item
