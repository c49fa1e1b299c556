"""Candidate guides: what a référentiel's own document tells candidates about the dossier and the
oral (Pix+ Édu: §6.2, §6.3.2, Annexes 6 and 7 of the 2022-2023 jury report), stored as data in
``certeval/data/guides/<framework id>.yaml`` and validated when loaded.

A guide is a list of parts (a heading, the document's reference, paragraphs, groups of items); one
part (``feedback_part``) gives the sections of the dossier that peers comment on
(:mod:`certeval.dossiers.peer_services`). A framework without a guide file has no guide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDES_DIR = Path(__file__).resolve().parents[1] / "data" / "guides"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class GuideError(ValueError):
    """A guide file that does not follow the expected shape (the message says where, in French)."""


@dataclass(frozen=True)
class GuideGroup:
    title: str
    items: tuple[str, ...]
    id: str = ""


@dataclass(frozen=True)
class GuidePart:
    id: str
    heading: str
    reference: str
    paragraphs: tuple[str, ...]
    groups: tuple[GuideGroup, ...]


@dataclass(frozen=True)
class Guide:
    framework: str
    title: str
    source: str
    parts: tuple[GuidePart, ...]
    feedback_part: str

    def feedback_sections(self) -> list[tuple[str, str]]:
        """The (id, title) of the dossier's sections peers comment on (the Annexe 6 headings)."""
        part = next(p for p in self.parts if p.id == self.feedback_part)
        return [(g.id, g.title) for g in part.groups]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where} : texte attendu.")
    return value.strip()


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GuideError(f"{where} : liste de textes attendue.")
    return tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(value))


def _mapping(value: Any, where: str, required: set[str], allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise GuideError(f"{where} : dictionnaire attendu.")
    missing = sorted(required - value.keys())
    if missing:
        raise GuideError(f"{where} : clé(s) manquante(s) : {', '.join(missing)}.")
    unknown = sorted(value.keys() - allowed)
    if unknown:
        raise GuideError(f"{where} : clé(s) inconnue(s) : {', '.join(unknown)}.")
    return value


def parse_guide(data: Any, *, name: str = "guide") -> Guide:
    """Validate a guide's parsed YAML and build it; raise ``GuideError`` with a French reason."""
    top = _mapping(
        data,
        name,
        {"framework", "title", "source", "parts", "feedback_part"},
        {"framework", "title", "source", "parts", "feedback_part", "decisions"},
    )
    if not isinstance(top["parts"], list) or not top["parts"]:
        raise GuideError(f"{name}.parts : au moins une partie est attendue.")
    parts: list[GuidePart] = []
    for i, raw in enumerate(top["parts"]):
        where = f"{name}.parts[{i}]"
        part = _mapping(
            raw,
            where,
            {"id", "heading", "reference", "groups"},
            {"id", "heading", "reference", "paragraphs", "groups"},
        )
        part_id = _text(part["id"], f"{where}.id")
        if not _ID.match(part_id):
            raise GuideError(f"{where}.id : identifiant invalide « {part_id} ».")
        if not isinstance(part["groups"], list):
            raise GuideError(f"{where}.groups : liste attendue.")
        groups: list[GuideGroup] = []
        for j, raw_group in enumerate(part["groups"]):
            gwhere = f"{where}.groups[{j}]"
            group = _mapping(raw_group, gwhere, {"title"}, {"id", "title", "items"})
            group_id = group.get("id", "")
            if group_id and not (isinstance(group_id, str) and _ID.match(group_id)):
                raise GuideError(f"{gwhere}.id : identifiant invalide « {group_id} ».")
            groups.append(
                GuideGroup(
                    id=group_id,
                    title=_text(group["title"], f"{gwhere}.title"),
                    items=_texts(group.get("items"), f"{gwhere}.items"),
                )
            )
        parts.append(
            GuidePart(
                id=part_id,
                heading=_text(part["heading"], f"{where}.heading"),
                reference=_text(part["reference"], f"{where}.reference"),
                paragraphs=_texts(part.get("paragraphs"), f"{where}.paragraphs"),
                groups=tuple(groups),
            )
        )
    ids = [p.id for p in parts]
    if len(set(ids)) != len(ids):
        raise GuideError(f"{name}.parts : identifiants de parties en double.")
    feedback_part = _text(top["feedback_part"], f"{name}.feedback_part")
    target = next((p for p in parts if p.id == feedback_part), None)
    if target is None:
        raise GuideError(f"{name}.feedback_part : aucune partie « {feedback_part} ».")
    section_ids = [g.id for g in target.groups]
    if not section_ids or not all(section_ids) or len(set(section_ids)) != len(section_ids):
        raise GuideError(
            f"{name}.feedback_part : chaque rubrique de « {feedback_part} » doit avoir un identifiant unique."
        )
    if "overall" in section_ids:
        raise GuideError(f"{name}.feedback_part : « overall » est réservé à l'avis d'ensemble.")
    return Guide(
        framework=_text(top["framework"], f"{name}.framework"),
        title=_text(top["title"], f"{name}.title"),
        source=_text(top["source"], f"{name}.source"),
        parts=tuple(parts),
        feedback_part=feedback_part,
    )


@cache
def guide_for(framework_id: str) -> Guide | None:
    """The guide of a framework (by its id, e.g. ``pix-plus-edu``), or None when it has none."""
    if not _ID.match(framework_id.replace("-", "_")):
        return None
    path = GUIDES_DIR / f"{framework_id}.yaml"
    if not path.is_file():
        return None
    guide = parse_guide(yaml.safe_load(path.read_text(encoding="utf-8")), name=path.name)
    if guide.framework != framework_id:
        raise GuideError(f"{path.name}.framework : « {guide.framework} » au lieu de « {framework_id} ».")
    return guide
