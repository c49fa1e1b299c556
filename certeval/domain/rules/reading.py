"""Typed reading of parsed JSON/YAML values with path-precise errors.

:data:`RULES` reads a framework's ``rules:`` section and raises :class:`RulesError`;
:data:`CASE` reads a case and raises :class:`CaseError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from certeval.domain.rules.errors import CaseError, RulesError, key_path
from certeval.domain.rules.ladder import Ladder

MISSING: Any = object()


def kind_of(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__


class Reader:
    def __init__(self, error: Callable[[str, str], ValueError]) -> None:
        self.error = error

    def fail(self, path: str, message: str) -> ValueError:
        return self.error(path, message)

    def obj(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, got {kind_of(value)}")
        return value

    def keys(
        self, value: Mapping[str, Any], path: str, required: Collection[str], optional: Collection[str]
    ) -> None:
        """Every required key present, no key outside ``required`` and ``optional``."""
        allowed = [*required, *optional]
        for key in value:
            if key not in allowed:
                raise self.fail(
                    key_path(path, str(key)), f"unknown key (expected one of {', '.join(allowed)})"
                )
        for key in required:
            if key not in value:
                raise self.fail(key_path(path, key), "required key is missing")

    def seq(self, value: Any, path: str) -> Sequence[Any]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise self.fail(path, f"expected a list, got {kind_of(value)}")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(path, f"expected a non-empty string, got {kind_of(value)}")
        return value

    def choice(self, value: Any, path: str, choices: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in choices:
            shown = repr(value) if isinstance(value, str) else kind_of(value)
            raise self.fail(path, f"unknown value {shown} (expected one of {', '.join(choices)})")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {kind_of(value)}")
        return value

    def integer(self, value: Any, path: str, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected an integer, got {kind_of(value)}")
        if value < minimum:
            raise self.fail(path, f"expected an integer ≥ {minimum}, got {value}")
        return value

    def share(self, value: Any, path: str) -> Fraction:
        """A share between 0 and 1, kept exact: ``0.65`` is 13/20, not a binary float."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a share between 0 and 1, got {kind_of(value)}")
        share = Fraction(str(value))
        if not 0 <= share <= 1:
            raise self.fail(path, f"expected a share between 0 and 1, got {value}")
        return share

    def day(self, value: Any, path: str) -> date:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a date YYYY-MM-DD, got {kind_of(value)}")
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(path, f"expected a date YYYY-MM-DD, got {value!r}") from None

    def level(self, value: Any, path: str, ladder: Ladder, nullable: bool) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or value not in ladder.ranks:
            shown = repr(value) if isinstance(value, str) else kind_of(value)
            raise self.fail(path, f"unknown level {shown} (expected one of {ladder.expected(nullable)})")
        return value

    def ident(self, value: Any, path: str, known: Sequence[str], what: str) -> str:
        if not isinstance(value, str) or value not in known:
            shown = repr(value) if isinstance(value, str) else kind_of(value)
            raise self.fail(path, f"unknown {what} {shown} (expected one of {', '.join(known)})")
        return value


RULES = Reader(RulesError)
CASE = Reader(CaseError)
