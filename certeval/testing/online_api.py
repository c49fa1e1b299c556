"""What the placement run's API (``run_api``) and training's API (``training_api``) share: the
question as sent to a candidate (its content, never its answers) and the answer read from a request."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import Schema
from ninja.errors import HttpError

from certeval.domain.items.content import Content, Kind, Response, ResponseError, check_response
from certeval.testing.models import Question


class OptionOut(Schema):
    id: str
    text: str


class BlankOut(Schema):
    label: str
    numeric: bool


def question_content(question: Question) -> dict[str, Any]:
    """A served question's key and content without the answers: options, blanks, image and file."""
    version = question.item_version
    content: Content = version.content()
    return {
        "key": question.idempotency_key,
        "kind": content.kind.value,
        "kind_label": version.get_kind_display(),
        "stem": content.stem,
        "options": [
            {"id": oid, "text": o.text} for oid, o in zip(content.option_ids, content.options, strict=True)
        ],
        "blanks": [{"label": b.label, "numeric": b.numeric} for b in content.blanks],
        "image_url": reverse("item_files:image", args=[version.pk]) if version.image else None,
        "image_alt": content.image_alt,
        "attachment_url": reverse("item_files:attachment", args=[version.pk]) if version.attachment else None,
    }


class QuestionContentOut(Schema):
    """A served question as a candidate sees it: its key, content and files, never its answers."""

    key: str
    kind: str
    kind_label: str
    stem: str
    options: list[OptionOut]
    blanks: list[BlankOut]
    image_url: str | None
    image_alt: str
    attachment_url: str | None


def fitting_response(
    content: Content, *, skip: bool, choices: list[str], texts: list[str], empty: str
) -> Response:
    """:func:`response_of`, and 422 when the answer does not fit the question (unknown option, several
    choices for a single choice, texts for a choice question…)."""
    response = response_of(content, skip=skip, choices=choices, texts=texts, empty=empty)
    try:
        check_response(content, response)
    except ResponseError as error:
        raise HttpError(422, f"This answer does not fit the question: {error}.") from error
    return response


def response_of(
    content: Content, *, skip: bool, choices: list[str], texts: list[str], empty: str
) -> Response:
    """The answer sent: with ``skip``, an empty one (one empty text a blank for typed answers);
    otherwise the choices and texts, refused with 422 and the message ``empty`` when empty."""
    if skip:
        return Response(
            texts=("",) * len(content.blanks) if content.kind in (Kind.SHORT, Kind.SHORTS) else ()
        )
    response = Response(frozenset(choices), tuple(texts))
    if response.is_empty():
        raise HttpError(422, empty)
    return response
