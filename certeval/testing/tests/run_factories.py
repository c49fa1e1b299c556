"""Item banks and enrolled candidates for the placement-run tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from certeval.campaigns.models import Enrolment
from certeval.testing import engine
from certeval.testing.models import Item, ItemVersion
from certeval.testing.tests.factories import campaign_of, enrolment_in

BANK = "pix-plus-edu"
LEVEL_B = {"initie": -1.5, "confirme": -0.5, "avance": 0.5, "expert": 1.5}
# A small composition so that a run is short in tests.
SMALL = {
    "composition": {"premier": {"crcn": 6, "crcn-edu": 4}, "second": {"crcn": 6, "crcn-edu": 4}},
    "min_items": 4,
    "pilot_items": 0,
    "adaptive_stop": False,
}


def make_bank(
    per_competence: int = 2,
    *,
    competences: int = 3,
    usage: str = "practice",
    status: str = "active",
    audience: str = "",
    accessibility: list[str] | None = None,
    kind: str = "single",
    prefix: str = "it",
    seed: int = 0,
) -> list[Item]:
    """``per_competence`` items per level for ``competences`` competences of each part."""
    rng = np.random.default_rng(seed)
    items = []
    n = Item.objects.count()
    for part in ("crcn", "crcn-edu"):
        for c in range(competences):
            competence = f"{1 + c}.1"
            for level, centre in LEVEL_B.items():
                for _ in range(per_competence):
                    n += 1
                    item = Item.objects.create(
                        bank=BANK,
                        code=f"{prefix}-{n:04d}",
                        part=part,
                        competence=competence,
                        level=level,
                        audience=audience,
                        usage=usage,
                        status=status,
                    )
                    fields: dict[str, Any] = {
                        "kind": kind,
                        "options": [{"text": "Juste", "correct": True}, {"text": "Faux", "correct": False}],
                    }
                    if kind == "short":
                        fields = {"kind": "short", "options": [], "blanks": [{"answers": ["ctrl+s"]}]}
                    version = ItemVersion.objects.create(
                        item=item,
                        number=1,
                        stem=f"Énoncé {item.code}",
                        explanation="Parce que.",
                        accessibility=["screen-reader", "colour-vision", "motor"]
                        if accessibility is None
                        else accessibility,
                        a=float(rng.lognormal(0.2, 0.2)),
                        b=centre + float(rng.normal(0, 0.3)),
                        **fields,
                    )
                    item.current = version
                    item.save(update_fields=["current"])
                    items.append(item)
    engine.clear_cache()
    return items


def enrolled(**fields: Any) -> Enrolment:
    campaign = fields.pop("campaign", None) or campaign_of(BANK)
    return enrolment_in(campaign, fields.pop("academy_code", "lyon"), **fields)
