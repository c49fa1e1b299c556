"""The refusal every jury write raises, with a French message."""

from __future__ import annotations

from collections.abc import Iterable


class JuryError(Exception):
    """A refused jury operation; the message is French and shown to the user."""

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)
