"""Item files (YAML, one per part and competence) and the structural checks every item must pass.

An item record is the content plus its metadata: code, part, competence, intended level, audience
(CRCN-Édu practice variants for primary or secondary teachers), usage (practice = placement run and
training; certification = the proctored test only) and IRT parameters. Items of the demo bank carry no
parameters: :func:`provisional_irt` derives them from the intended level, declared provisional until a
calibration on real answers replaces them (docs/testing.md).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from certeval.domain.items.content import (
    ACCOMMODATIONS,
    AUDIENCES,
    LEVELS,
    Blank,
    Content,
    Kind,
    Option,
    Resource,
    Usage,
    normalise,
)

PARTS = ("crcn", "crcn-edu")
LEVEL_CENTRES = {"initie": -1.5, "confirme": -0.5, "avance": 0.5, "expert": 1.5}
"""Provisional difficulty of an item at each intended level (ability scale, N(0, 1) population)."""


@dataclass(frozen=True)
class Irt:
    a: float
    b: float
    c: float = 0.0
    provisional: bool = False


@dataclass(frozen=True)
class ItemRecord:
    code: str
    part: str
    competence: str
    level: str
    usage: Usage
    content: Content
    irt: Irt
    audience: str = ""
    image: str = ""
    attachment: str = ""


class ItemFileError(ValueError):
    """An item file that cannot be read; each message names the file and the item code."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def provisional_irt(code: str, level: str) -> Irt:
    """Deterministic provisional parameters: b within ±0.4 of the level centre, a in [0.9, 1.5]."""
    digest = hashlib.sha256(code.encode()).digest()
    u, v = digest[0] / 255, digest[1] / 255
    return Irt(a=round(0.9 + 0.6 * u, 3), b=round(LEVEL_CENTRES[level] - 0.4 + 0.8 * v, 3), provisional=True)


def structural_errors(item: ItemRecord) -> list[str]:
    """Everything wrong with one item on its own (the bank-wide checks are in :func:`bank_errors`)."""
    errors: list[str] = []
    c = item.content
    if item.part not in PARTS:
        errors.append(f"part must be one of {', '.join(PARTS)}")
    if item.level not in LEVELS:
        errors.append(f"level must be one of {', '.join(LEVELS)}")
    if item.audience and (item.audience not in AUDIENCES or item.part != "crcn-edu"):
        errors.append("audience (premier or second) only exists for crcn-edu items")
    if not c.stem.strip():
        errors.append("the stem is empty")
    if not c.explanation.strip():
        errors.append("the explanation is empty")
    if not 10 <= c.expected_seconds <= 1800:
        errors.append("expected_seconds must be between 10 and 1800")
    if not c.accessibility <= set(ACCOMMODATIONS):
        errors.append(f"accessibility flags must be among {', '.join(ACCOMMODATIONS)}")
    if item.image and not c.image_alt.strip():
        errors.append("an image needs its alternative text")
    if item.usage is Usage.CERTIFICATION and (item.image or item.attachment):
        errors.append("certification items are text only (no image, no attachment)")
    right = sum(o.correct for o in c.options)
    texts = [normalise(o.text) for o in c.options]
    if c.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if not 3 <= len(c.options) <= 6:
            errors.append("a choice item has 3 to 6 options")
        if len(set(texts)) != len(texts) or not all(texts):
            errors.append("options must be non-empty and distinct")
        if c.kind is Kind.SINGLE and right != 1:
            errors.append(f"a single-choice item has exactly one right option, not {right}")
        if c.kind is Kind.MULTIPLE and not 2 <= right < len(c.options):
            errors.append("a multiple-choice item has at least two right options and one wrong")
        if c.blanks:
            errors.append("a choice item has no typed answers")
    else:
        if c.options:
            errors.append("a typed-answer item has no options")
        expected = "one" if c.kind is Kind.SHORT else "2 to 4"
        if (c.kind is Kind.SHORT and len(c.blanks) != 1) or (
            c.kind is Kind.SHORTS and not 2 <= len(c.blanks) <= 4
        ):
            errors.append(f"a {c.kind} item has {expected} blank(s)")
        for n, blank in enumerate(c.blanks, 1):
            if not blank.answers:
                errors.append(f"blank {n} has no accepted answer")
            elif not blank.numeric and any(isinstance(a, float) for a in blank.answers):
                errors.append(f"blank {n} mixes numbers and texts")
            elif not blank.numeric and not all(normalise(str(a)) for a in blank.answers):
                errors.append(f"blank {n} has an answer that normalises to nothing")
            elif blank.numeric and not (blank.tolerance >= 0 and math.isfinite(blank.tolerance)):
                errors.append(f"blank {n} needs a tolerance ≥ 0")
            elif not blank.numeric and blank.tolerance:
                errors.append(f"blank {n}: a tolerance only applies to numeric answers")
            if c.kind is Kind.SHORTS and not blank.label.strip():
                errors.append(f"blank {n} needs a label")
    if not (item.irt.a > 0 and math.isfinite(item.irt.b) and 0 <= item.irt.c < 1):
        errors.append("IRT parameters need a > 0, a finite b and 0 ≤ c < 1")
    return errors


def bank_errors(items: Iterable[ItemRecord]) -> list[str]:
    """Checks across items: unique codes, no duplicate stems (after normalisation)."""
    errors: list[str] = []
    codes: set[str] = set()
    stems: dict[str, str] = {}
    for item in items:
        if item.code in codes:
            errors.append(f"{item.code}: duplicate code")
        codes.add(item.code)
        stem = normalise(item.content.stem)
        if stem in stems:
            errors.append(f"{item.code}: same stem as {stems[stem]}")
        stems.setdefault(stem, item.code)
    return errors


def _text(raw: dict[str, Any], key: str, default: str = "") -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise TypeError(f"{key} must be text")
    return value


def _answers(raw: Any) -> tuple[str | float, ...]:
    if not isinstance(raw, list):
        raise TypeError("answers must be a list")
    out: list[str | float] = []
    for answer in raw:
        if isinstance(answer, bool) or not isinstance(answer, str | int | float):
            raise TypeError(f"answer {answer!r} must be a text or a number")
        out.append(float(answer) if isinstance(answer, int | float) else answer)
    return tuple(out)


def _record(raw: Any, part: str, competence: str) -> ItemRecord:
    if not isinstance(raw, dict):
        raise TypeError("an item must be a mapping")
    code = _text(raw, "code")
    kind = Kind(_text(raw, "kind"))
    level = _text(raw, "level")
    options = tuple(
        Option(text=_text(o, "text"), correct=bool(o.get("correct", False))) for o in raw.get("options") or ()
    )
    tolerance = float(raw.get("tolerance", 0.0))
    if kind is Kind.SHORT:
        blanks: tuple[Blank, ...] = (Blank(answers=_answers(raw.get("answers")), tolerance=tolerance),)
    elif kind is Kind.SHORTS:
        blanks = tuple(
            Blank(
                answers=_answers(f.get("answers")),
                label=_text(f, "label"),
                tolerance=float(f.get("tolerance", tolerance)),
            )
            for f in raw.get("fields") or ()
        )
    else:
        blanks = ()
    image = raw.get("image") or {}
    flags = raw.get("accessibility", list(ACCOMMODATIONS))
    content = Content(
        kind=kind,
        stem=_text(raw, "stem"),
        options=options,
        blanks=blanks,
        explanation=_text(raw, "explanation"),
        resources=tuple(Resource(_text(r, "label"), _text(r, "url")) for r in raw.get("resources") or ()),
        image_alt=_text(image, "alt") if image else "",
        expected_seconds=int(raw.get("expected_seconds", 60)),
        accessibility=frozenset(flags),
    )
    irt_raw = raw.get("irt")
    if irt_raw:
        irt = Irt(float(irt_raw["a"]), float(irt_raw["b"]), float(irt_raw.get("c", 0.0)))
    else:
        irt = provisional_irt(code, level) if level in LEVEL_CENTRES else Irt(1.0, 0.0, provisional=True)
    return ItemRecord(
        code=code,
        part=part,
        competence=competence,
        level=level,
        usage=Usage(_text(raw, "usage")),
        content=content,
        irt=irt,
        audience=_text(raw, "audience"),
        image=_text(image, "file") if image else "",
        attachment=_text(raw, "attachment"),
    )


def read_item_file(path: Path) -> list[ItemRecord]:
    """Read and check one item file; raises :class:`ItemFileError` listing every error."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ItemFileError([f"{path}: {exc}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ItemFileError([f"{path}: expected keys part, competence and items (a list)"])
    part, competence = str(data.get("part", "")), str(data.get("competence", ""))
    errors: list[str] = []
    records: list[ItemRecord] = []
    for n, raw in enumerate(data["items"], 1):
        label = raw.get("code", f"item {n}") if isinstance(raw, dict) else f"item {n}"
        try:
            record = _record(raw, part, competence)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            errors.append(f"{path}: {label}: {exc}")
            continue
        errors += [f"{path}: {record.code}: {e}" for e in structural_errors(record)]
        for name in (record.image, record.attachment):
            if name and not (path.parent / name).is_file():
                errors.append(f"{path}: {record.code}: file {name} not found beside the item file")
        records.append(record)
    errors += [f"{path}: {e}" for e in bank_errors(records)]
    if errors:
        raise ItemFileError(errors)
    return records
