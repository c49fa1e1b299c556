"""Reads of the item bank: search, review queue, coverage, an item's history and the competences a
bank's items may name (the caller has already checked permissions with ``certeval.testing.permissions``).

**Coverage rule** (docs/testing.md, « Item bank »): for every competence of the bank's published
framework × intended level, the items are counted per status; a *gap* is a cell where the number of
*active* items of a usage is below ``CERTEVAL_ITEM_COVERAGE_MIN[usage]`` (default
:data:`DEFAULT_COVERAGE_MIN`: 1 practice item — placement run and training — and 2 certification items).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from certeval.audit.models import AuditEvent
from certeval.audit.selectors import audit_events_for
from certeval.domain.items.content import Blank, Usage
from certeval.domain.items.exchange import write_zip
from certeval.domain.items.records import Irt, ItemRecord
from certeval.frameworks.models import FrameworkVersion
from certeval.testing.models import Item, ItemVersion
from certeval.testing.models.items import ItemStatus, ItemUsage, Level
from certeval.testing.selectors import automated_test_of

DEFAULT_COVERAGE_MIN = {"practice": 1, "certification": 2}
SEARCH_FIELDS = ("text", "part", "competence", "level", "status", "audience", "kind", "usage")


def coverage_minimum() -> dict[str, int]:
    """Active items wanted per competence × level, by usage (setting ``CERTEVAL_ITEM_COVERAGE_MIN``)."""
    configured = getattr(settings, "CERTEVAL_ITEM_COVERAGE_MIN", None) or {}
    return {usage: int(configured.get(usage, default)) for usage, default in DEFAULT_COVERAGE_MIN.items()}


def bank_framework(bank: str) -> FrameworkVersion | None:
    """The latest published référentiel version whose automated test is the bank."""
    versions = FrameworkVersion.objects.order_by("framework_id", "-version_number")
    own = versions.filter(framework_id=bank).first()
    if own is not None and automated_test_of(own) == bank:
        return own
    for version in versions:
        if automated_test_of(version) == bank:
            return version
    return None


def part_framework(bank: str, part: str) -> FrameworkVersion | None:
    """The published référentiel version a part of the bank takes its competences from (a part may
    name another référentiel, e.g. ``crcn``), or None."""
    version = bank_framework(bank)
    if version is None:
        return None
    parts = ((version.document.get("rules") or {}).get("automated") or {}).get("parts") or {}
    if part not in parts:
        return None
    other = (parts[part] or {}).get("framework")
    if other and other != version.framework_id:
        return FrameworkVersion.objects.filter(framework_id=other).order_by("-version_number").first()
    return version


def competences(bank: str) -> dict[str, list[tuple[str, str]]]:
    """Part id → its competences ``(id, title)`` in the published framework of that part
    (``part_framework``; a référentiel not published gives no competence)."""
    version = bank_framework(bank)
    if version is None:
        return {}
    parts = ((version.document.get("rules") or {}).get("automated") or {}).get("parts") or {}
    out: dict[str, list[tuple[str, str]]] = {}
    for part in parts:
        source = part_framework(bank, part)
        out[part] = (
            [
                (str(c["id"]), str(c.get("title", "")))
                for domain in source.document.get("domains") or ()
                for c in domain.get("competences") or ()
            ]
            if source is not None
            else []
        )
    return out


def competence_label(bank_competences: dict[str, list[tuple[str, str]]], part: str, competence: str) -> str:
    titles = dict(bank_competences.get(part, ()))
    return f"{competence} {titles[competence]}" if competence in titles else competence


def items_of(bank: str) -> QuerySet[Item]:
    return Item.objects.filter(bank=bank).select_related("current", "author", "reviewer")


def search(bank: str, filters: dict[str, Any]) -> QuerySet[Item]:
    """The bank's items matching every filter given (empty ones are ignored): ``text`` in the code or
    the current wording, ``part``, ``competence``, ``level``, ``status``, ``audience`` (``both`` for
    items common to both degrees), ``kind``, ``usage``."""
    items = items_of(bank)
    text = (filters.get("text") or "").strip()
    if text:
        items = items.filter(Q(code__icontains=text) | Q(current__stem__icontains=text))
    for name in ("part", "competence", "level", "status", "usage"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    audience = filters.get("audience")
    if audience:
        items = items.filter(audience="" if audience == "both" else audience)
    if filters.get("kind"):
        items = items.filter(current__kind=filters["kind"])
    return items.order_by("part", "competence", "level", "code")


def review_queue(bank: str, user: Any) -> QuerySet[Item]:
    """Drafts submitted for review that the user may review: written by someone else (a second person
    reviews), oldest submission first."""
    return (
        items_of(bank)
        .filter(status=ItemStatus.DRAFT, submitted_at__isnull=False)
        .exclude(author_id=user.pk)
        .order_by("submitted_at", "code")
    )


def last_reviews(items: Iterable[Item]) -> dict[int, AuditEvent]:
    """The latest review (approval or sending back) of each item, by item id."""
    ids = [str(item.pk) for item in items]
    events = AuditEvent.objects.filter(
        target_type="testing.item",
        target_id__in=ids,
        action__in=("testing.item_review", "testing.item_status"),
    ).order_by("at", "pk")
    latest: dict[int, AuditEvent] = {}
    for event in events.select_related("actor"):
        latest[int(event.target_id)] = event
    return latest


def history(item: Item) -> QuerySet[AuditEvent]:
    """The audit rows of an item, newest first."""
    return audit_events_for(target=item).order_by("-at", "-pk")


def versions(item: Item) -> QuerySet[ItemVersion]:
    return item.versions.select_related("created_by").order_by("-number")


@dataclass
class CoverageCell:
    counts: dict[str, int] = field(default_factory=dict)  # status → items
    active: dict[str, int] = field(default_factory=dict)  # usage → active items
    gaps: list[str] = field(default_factory=list)  # usages below the minimum

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CoverageRow:
    part: str
    competence: str
    label: str
    cells: dict[str, CoverageCell]  # level → cell


def coverage(bank: str) -> list[CoverageRow]:
    """Items per competence × level × status, with the gaps of active items per usage."""
    minimum = coverage_minimum()
    counted: dict[tuple[str, str, str], CoverageCell] = {}
    rows = (
        Item.objects.filter(bank=bank)
        .values("part", "competence", "level", "status", "usage")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        cell = counted.setdefault((row["part"], row["competence"], row["level"]), CoverageCell())
        cell.counts[row["status"]] = cell.counts.get(row["status"], 0) + row["n"]
        if row["status"] == ItemStatus.ACTIVE:
            cell.active[row["usage"]] = cell.active.get(row["usage"], 0) + row["n"]
    known = competences(bank)
    keys = [(part, cid, title) for part, listed in known.items() for cid, title in listed]
    listed_keys = {(part, cid) for part, cid, _title in keys}
    keys += sorted(
        {(p, c, "") for p, c, _level in counted if (p, c) not in listed_keys}
    )  # items naming a competence the framework no longer has
    out = []
    for part, cid, title in keys:
        cells = {}
        for level in Level.values:
            cell = counted.get((part, cid, level), CoverageCell())
            cell.gaps = [usage for usage in ItemUsage.values if cell.active.get(usage, 0) < minimum[usage]]
            cells[level] = cell
        out.append(CoverageRow(part, cid, f"{cid} {title}".strip(), cells))
    return out


def coverage_gaps(rows: list[CoverageRow]) -> int:
    return sum(len(cell.gaps) for row in rows for cell in row.cells.values())


def record_of(item: Item, version: ItemVersion | None = None) -> ItemRecord:
    """The domain record of an item at a version (its current one by default), for export."""
    version = version or item.current
    assert version is not None
    return ItemRecord(
        code=item.code,
        part=item.part,
        competence=item.competence,
        level=item.level,
        usage=Usage(item.usage),
        content=version.content(),
        irt=Irt(version.a, version.b, version.c, provisional=version.irt_provisional),
        audience=item.audience,
        image=(version.image.name or "").rsplit("/", 1)[-1],
        attachment=(version.attachment.name or "").rsplit("/", 1)[-1],
    )


def version_fields(record: ItemRecord) -> dict[str, Any]:
    """The content columns of an ``ItemVersion`` for a domain record (files apart)."""
    content = record.content
    return {
        "kind": content.kind.value,
        "stem": content.stem,
        "options": [{"text": o.text, "correct": o.correct} for o in content.options],
        "blanks": [_blank_json(b) for b in content.blanks],
        "explanation": content.explanation,
        "resources": [{"label": r.label, "url": r.url} for r in content.resources],
        "image_alt": content.image_alt,
        "expected_seconds": content.expected_seconds,
        "accessibility": sorted(content.accessibility),
        "a": record.irt.a,
        "b": record.irt.b,
        "c": record.irt.c,
        "irt_provisional": record.irt.provisional,
    }


def _blank_json(blank: Blank) -> dict[str, Any]:
    data: dict[str, Any] = {"answers": list(blank.answers)}
    if blank.label:
        data["label"] = blank.label
    if blank.tolerance:
        data["tolerance"] = blank.tolerance
    return data


def export_records(bank: str, statuses: Iterable[str] = ()) -> tuple[list[ItemRecord], dict[str, bytes]]:
    """The bank's items (all, or those of the given statuses) at their current version, with the
    media they name (read from the storage)."""
    items = items_of(bank).filter(current__isnull=False).order_by("code")
    if statuses:
        items = items.filter(status__in=list(statuses))
    records, media = [], {}
    for item in items:
        record = record_of(item)
        records.append(record)
        version = item.current
        assert version is not None
        for stored, name in ((version.image, record.image), (version.attachment, record.attachment)):
            if name and name not in media:
                with stored.open("rb") as handle:
                    media[name] = handle.read()
    return records, media


def export_package(bank: str, fmt: str, statuses: Iterable[str] = ()) -> bytes:
    """A zip of the bank's items as CSV or QTI 2.1 with their media (``exchange.write_zip``)."""
    records, media = export_records(bank, statuses)
    return write_zip(records, media, fmt)
