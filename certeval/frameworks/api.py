"""Read-only API of the published référentiels."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from certeval.frameworks import selectors

router = Router(tags=["référentiels"])


class FrameworkSummary(Schema):
    id: str
    title: str
    version: int
    label: str
    content_hash: str


@router.get("/", response=list[FrameworkSummary], auth=None, summary="Newest version of every framework")
def list_frameworks(request: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": v.framework_id,
            "title": v.title,
            "version": v.version_number,
            "label": v.label,
            "content_hash": v.content_hash,
        }
        for v in selectors.latest_versions()
    ]


@router.get("/{framework_id}", auth=None, summary="One framework version as a JSON document")
def get_framework(request: Any, framework_id: str, version: int | None = None) -> dict[str, Any]:
    found = selectors.framework_version(framework_id, version)
    return {**found.document, "published_version": found.version_number, "content_hash": found.content_hash}
