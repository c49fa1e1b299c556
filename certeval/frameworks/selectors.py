"""Reads of published référentiels."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.http import Http404
from django.utils.translation import gettext as _

from certeval.domain.framework import Framework
from certeval.domain.loader import framework_from_dict, parse_yaml
from certeval.domain.rules import RuleSet
from certeval.frameworks.labels import framework_title
from certeval.frameworks.models import FrameworkVersion


def latest_versions() -> list[FrameworkVersion]:
    """The newest version of every framework, ordered by title."""
    newest = FrameworkVersion.objects.values("framework_id").annotate(n=Max("version_number"))
    condition = Q(pk__in=[])
    for row in newest:
        condition |= Q(framework_id=row["framework_id"], version_number=row["n"])
    return sorted(FrameworkVersion.objects.filter(condition).defer("source_yaml"), key=lambda v: v.title)


def framework_version(framework_id: str, version_number: int | None = None) -> FrameworkVersion:
    """One version (the newest when ``version_number`` is None); 404 when absent."""
    versions = FrameworkVersion.objects.filter(framework_id=framework_id)
    if version_number is not None:
        versions = versions.filter(version_number=version_number)
    version = versions.order_by("-version_number").first()
    if version is None:
        raise Http404("No such framework version.")
    return version


def versions_of(framework_id: str) -> list[FrameworkVersion]:
    return list(
        FrameworkVersion.objects.filter(framework_id=framework_id)
        .only("framework_id", "version_number", "label", "title", "content_hash", "published_at")
        .order_by("-version_number")
    )


def fold(text: str) -> str:
    """Lower-case and strip accents and typographic apostrophes, for accent-insensitive search."""
    text = text.replace("’", "'").casefold()
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def searchable_texts(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) pairs for every text of a framework document, in reading order."""
    yield _("Titre"), framework_title(document["title"])
    if document.get("description"):
        yield _("Présentation"), document["description"]
    kinds = {"bloc": _("Bloc"), "competences": _("Compétences")}
    levels = {level["id"]: level["label"] for level in document.get("levels", [])}
    for domain in document["domains"]:
        kind = kinds.get(domain.get("kind", ""), _("Domaine"))
        yield (
            f"{kind} {domain['id'] if domain.get('kind') != 'competences' else ''}".strip(),
            domain.get("title") or "",
        )
        for competence in domain["competences"]:
            where = _("Compétence %(id)s") % {"id": competence["id"]}
            yield where, competence.get("title") or ""
            if competence.get("statement"):
                yield where, competence["statement"]
            for ability in competence.get("abilities", []):
                yield where, ability
            for level, text in (competence.get("descriptors") or {}).items():
                yield f"{where} — {levels.get(level, level)}", text
            for criterion in competence.get("criteria", []):
                yield _("Critère %(id)s") % {"id": criterion["id"]}, criterion["text"]
    for grid in document.get("grids", []):
        for criterion in grid["criteria"]:
            where = _("%(grid)s — critère %(id)s") % {"grid": grid["title"], "id": criterion["id"]}
            yield where, criterion["text"]
            for level, text in (criterion.get("descriptors") or {}).items():
                yield f"{where} — {levels.get(level, level)}", text
    for component in document.get("components", []):
        yield _("Épreuve : %(title)s") % {"title": component["title"]}, component.get("description") or ""


def search_index_text(document: dict[str, Any]) -> str:
    return fold("\n".join(text for _where, text in searchable_texts(document)))


@dataclass(frozen=True)
class SearchHit:
    version: FrameworkVersion
    where: str
    excerpt_before: str
    match: str
    excerpt_after: str


def search(query: str, *, limit: int = 200) -> list[SearchHit]:
    """Accent- and case-insensitive search across the texts of the newest versions."""
    needle = fold(query.strip())
    if len(needle) < 2:
        return []
    hits: list[SearchHit] = []
    for version in latest_versions():
        if needle not in version.search_text:
            continue
        for where, text in searchable_texts(version.document):
            folded = fold(text)
            start = folded.find(needle)
            if start < 0 or len(folded) != len(text):
                start = _unfolded_find(text, needle) if start >= 0 else -1
            if start < 0:
                continue
            end = start + len(needle)
            hits.append(
                SearchHit(
                    version=version,
                    where=where,
                    excerpt_before=_clip_left(text[:start]),
                    match=text[start:end],
                    excerpt_after=_clip_right(text[end:]),
                )
            )
            if len(hits) >= limit:
                return hits
    return hits


def _unfolded_find(text: str, needle: str) -> int:
    """Index in ``text`` of the first window whose folded form equals ``needle``."""
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 2 * len(needle) + 2) + 1):
            if fold(text[start:end]) == needle:
                return start
    return -1


def _clip_left(text: str, width: int = 80) -> str:
    return text if len(text) <= width else "…" + re.sub(r"^\S*\s", "", text[-width:])


def _clip_right(text: str, width: int = 80) -> str:
    return text if len(text) <= width else re.sub(r"\s\S*$", "", text[:width]) + "…"


_FRAMEWORKS: dict[tuple[int, str], tuple[Framework, RuleSet]] = {}


def framework_of(version: FrameworkVersion) -> tuple[Framework, RuleSet]:
    """The parsed référentiel of a published version and its rules (cached: versions never change).

    Frameworks that the automated rule names (``parts.crcn.framework: crcn``) are read from
    their newest published version."""
    key = (version.pk, version.content_hash)
    if key not in _FRAMEWORKS:
        framework = _parse(version)
        parts = framework.rules.get("automated", {}).get("parts", {})
        named = {part["framework"] for part in parts.values() if "framework" in part}
        others = {
            other.framework_id: _parse(other)
            for other in FrameworkVersion.objects.filter(framework_id__in=named).order_by("version_number")
        }
        _FRAMEWORKS[key] = (framework, RuleSet.from_framework(framework, others))
    return _FRAMEWORKS[key]


def _parse(version: FrameworkVersion) -> Framework:
    return framework_from_dict(parse_yaml(version.source_yaml, f"{version.framework_id}.yaml"))
