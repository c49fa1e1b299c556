"""The refusal every write of automated results raises, with a French message."""

from __future__ import annotations

from collections.abc import Iterable


class TestingError(Exception):
    """A refused operation on automated results; the message is French and shown to the user."""

    __test__ = False  # not a pytest test class

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


class TakeoverError(TestingError):
    """The test was opened in another tab or on another computer: this page is no longer the active one."""
