"""Item records, writers and banks for the item-bank tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from certeval.accounts.models import User
from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.items.content import Blank, Content, Kind, Option, Usage
from certeval.domain.items.records import ItemRecord, provisional_irt
from certeval.testing.models import ItemWriter
from certeval.testing.tests.factories import published

BANK = "pix-plus-edu"


def bank() -> str:
    """Publish the référentiels of the Pix+ Édu bank (its own and the CRCN, for the crcn part)."""
    published(BANK)
    published("crcn")
    return BANK


def writer(bank_id: str = BANK, **fields: Any) -> User:
    user = UserFactory(**fields)
    ItemWriter.objects.create(bank=bank_id, user=user)
    return user


def record(code: str = "t-001", **changes: Any) -> ItemRecord:
    """A valid single-choice practice item of competence crcn-edu 1.1 (confirmé)."""
    content = Content(
        kind=Kind.SINGLE,
        stem=f"Quelle messagerie utiliser pour écrire aux familles ? ({code})",
        options=(
            Option("La messagerie de l'ENT", True),
            Option("Un réseau social"),
            Option("Un SMS personnel"),
        ),
        explanation="L'ENT est le canal institutionnel.",
    )
    content = replace(content, **changes.pop("content", {}))
    base = ItemRecord(
        code=code,
        part="crcn-edu",
        competence="1.1",
        level="confirme",
        usage=Usage.PRACTICE,
        content=content,
        irt=provisional_irt(code, changes.get("level", "confirme")),
    )
    return replace(base, **changes)


def short_record(code: str = "t-short", **changes: Any) -> ItemRecord:
    return record(
        code,
        content={
            "kind": Kind.SHORT,
            "stem": f"Combien font 7 × 6 ? ({code})",
            "options": (),
            "blanks": (Blank(answers=(42.0,), tolerance=0.5),),
        },
        **changes,
    )
