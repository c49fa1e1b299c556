"""The French académies, a short fixed list kept as data (``certeval/data/academies.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ACADEMIES_FILE = Path(__file__).resolve().parent.parent / "data" / "academies.yaml"


def read_academies(path: Path = ACADEMIES_FILE) -> list[dict[str, str]]:
    """The list from the data file: ``code``, ``name`` and ``region`` (région académique)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        {"code": str(a["code"]), "name": str(a["name"]), "region": str(a["region"])}
        for a in document["academies"]
    ]


def load_academies(model: Any, path: Path = ACADEMIES_FILE) -> int:
    """Create or update every academy of the list (matched on its code, else on its name); idempotent.

    ``model`` is the ``Academy`` model (the historical one in a migration). Returns the number of
    rows created or changed."""
    changed = 0
    for entry in read_academies(path):
        academy = model.objects.filter(code=entry["code"]).first()
        if academy is None:
            academy = model.objects.filter(name=entry["name"]).first()
        if academy is None:
            model.objects.create(**entry)
            changed += 1
            continue
        if academy.name != entry["name"] or academy.region != entry["region"]:
            if not model.objects.filter(name=entry["name"]).exclude(pk=academy.pk).exists():
                academy.name = entry["name"]
            academy.region = entry["region"]
            academy.save(update_fields=["name", "region"])
            changed += 1
    return changed
