"""API schemas every context shares."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every error answer: a message, or the list of what is wrong in the input (422)."""

    detail: str | list[dict[str, Any]]
