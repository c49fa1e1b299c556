"""The item bank through the API, with the pages' permissions: writers of a bank
(``permissions.banks_written``) search and read its items, create a draft item (JSON, without files)
and export the bank (zip, CSV or QTI 2.1); anyone else gets the same 404 as for an absent bank."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.domain.items.content import ACCOMMODATIONS, Blank, Content, Kind, Option, Resource, Usage
from certeval.domain.items.records import Irt, ItemRecord, provisional_irt
from certeval.testing import item_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.item_services import item_create
from certeval.testing.models import Item
from certeval.testing.models.items import Level
from certeval.testing.permissions import banks_written

router = Router(tags=["item bank"])
MAX_PAGE = 200


class OptionSchema(Schema):
    text: str
    correct: bool = False


class BlankSchema(Schema):
    answers: list[str | float]
    label: str = ""
    tolerance: float = 0.0


class ResourceSchema(Schema):
    label: str
    url: str


class IrtSchema(Schema):
    a: float
    b: float
    c: float = 0.0
    provisional: bool


class ItemSummary(Schema):
    id: int
    code: str
    part: str
    competence: str
    level: str
    level_label: str
    audience: str
    usage: str
    status: str
    status_label: str
    kind: str
    stem: str
    version: int
    url: str


class ItemOut(ItemSummary):
    options: list[OptionSchema]
    blanks: list[BlankSchema]
    explanation: str
    resources: list[ResourceSchema]
    image_alt: str
    has_image: bool
    has_attachment: bool
    expected_seconds: int
    accessibility: list[str]
    irt: IrtSchema


class ItemIn(Schema):
    """A new draft item. Every field has a default so that permissions are checked before the
    content; the structural rules then answer 422 with their reasons."""

    code: str = ""
    part: str = ""
    competence: str = ""
    level: str = ""
    audience: str = ""
    usage: Literal["practice", "certification"] = "practice"
    kind: Literal["single", "multiple", "short", "shorts"] = "single"
    stem: str = ""
    options: list[OptionSchema] = Field(default_factory=list)
    blanks: list[BlankSchema] = Field(default_factory=list)
    explanation: str = ""
    resources: list[ResourceSchema] = Field(default_factory=list)
    expected_seconds: int = 60
    accessibility: list[str] = Field(default_factory=lambda: list(ACCOMMODATIONS))
    irt: IrtSchema | None = None


class SearchIn(Schema):
    text: str = ""
    part: str = ""
    competence: str = ""
    level: str = ""
    status: str = ""
    audience: str = ""
    kind: str = ""
    usage: str = ""
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=MAX_PAGE)


def _check_bank(request: AuthenticatedHttpRequest, bank: str) -> None:
    if bank not in banks_written(request.user):
        raise Http404("No such bank.")


def _summary(item: Item) -> dict[str, Any]:
    version = item.current
    assert version is not None
    return {
        "id": item.pk,
        "code": item.code,
        "part": item.part,
        "competence": item.competence,
        "level": item.level,
        "level_label": item.get_level_display(),
        "audience": item.audience,
        "usage": item.usage,
        "status": item.status,
        "status_label": item.get_status_display(),
        "kind": version.kind,
        "stem": version.stem,
        "version": version.number,
        "url": reverse("items:detail", args=[item.bank, item.pk]),
    }


def _detail(item: Item) -> dict[str, Any]:
    version = item.current
    assert version is not None
    return {
        **_summary(item),
        "options": version.options,
        "blanks": version.blanks,
        "explanation": version.explanation,
        "resources": version.resources,
        "image_alt": version.image_alt,
        "has_image": bool(version.image),
        "has_attachment": bool(version.attachment),
        "expected_seconds": version.expected_seconds,
        "accessibility": version.accessibility,
        "irt": {"a": version.a, "b": version.b, "c": version.c, "provisional": version.irt_provisional},
    }


@router.get(
    "/banks/{bank}/items",
    response=list[ItemSummary],
    summary="Search a bank's items (filters as on the item list page; offset and limit ≤ 200)",
)
def list_items(
    request: AuthenticatedHttpRequest, bank: str, filters: Query[SearchIn]
) -> list[dict[str, Any]]:
    _check_bank(request, bank)
    data = filters.dict()
    offset, limit = data.pop("offset"), data.pop("limit")
    items = selectors.search(bank, data).filter(current__isnull=False)[offset : offset + limit]
    return [_summary(item) for item in items]


@router.get(
    "/banks/{bank}/items/export",
    summary="The bank's items as a zip: items.csv or QTI 2.1 documents with usagedata.xml, and the media",
)
def export_items(
    request: AuthenticatedHttpRequest, bank: str, format: Literal["csv", "qti"] = "csv"
) -> HttpResponse:
    _check_bank(request, bank)
    try:
        data = selectors.export_package(bank, format)
    except ValueError as error:
        raise HttpError(409, str(error)) from error
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bank}-{format}.zip"'
    return response


@router.get("/banks/{bank}/items/{item_id}", response=ItemOut, summary="One item at its current version")
def get_item(request: AuthenticatedHttpRequest, bank: str, item_id: int) -> dict[str, Any]:
    _check_bank(request, bank)
    return _detail(get_object_or_404(selectors.items_of(bank).filter(current__isnull=False), pk=item_id))


@router.post(
    "/banks/{bank}/items",
    response={201: ItemOut},
    summary="Create a draft item (version 1, provisional IRT parameters unless given); 422 with the reasons",
)
def create_item(request: AuthenticatedHttpRequest, bank: str, payload: ItemIn) -> Status:
    _check_bank(request, bank)
    kind = Kind(payload.kind)
    irt = (
        Irt(payload.irt.a, payload.irt.b, payload.irt.c, payload.irt.provisional)
        if payload.irt
        else provisional_irt(payload.code, payload.level)
        if payload.level in Level.values
        else Irt(1.0, 0.0, provisional=True)
    )
    record = ItemRecord(
        code=payload.code.strip(),
        part=payload.part,
        competence=payload.competence,
        level=payload.level,
        usage=Usage(payload.usage),
        content=Content(
            kind=kind,
            stem=payload.stem.strip(),
            options=tuple(Option(o.text.strip(), o.correct) for o in payload.options),
            blanks=tuple(
                Blank(tuple(a if isinstance(a, str) else float(a) for a in b.answers), b.label, b.tolerance)
                for b in payload.blanks
            ),
            explanation=payload.explanation.strip(),
            resources=tuple(Resource(r.label, r.url) for r in payload.resources),
            expected_seconds=payload.expected_seconds,
            accessibility=frozenset(payload.accessibility),
        ),
        irt=irt,
        audience=payload.audience,
    )
    errors = [] if record.code else ["code: empty"]
    if errors:
        raise HttpError(422, "; ".join(errors))
    try:
        item = item_create(bank=bank, record=record, actor=request.user)
    except TestingError as error:
        raise HttpError(422, "; ".join(error.reasons) or str(error)) from error
    item.refresh_from_db()
    return Status(201, _detail(item))
