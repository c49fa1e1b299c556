"""Errors raised while reading a rules section or a case, each naming where the problem is."""

from __future__ import annotations

import json


class RulesError(ValueError):
    """The ``rules:`` section of a framework is malformed; ``path`` is like ``rules.final.kind``."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class CaseError(ValueError):
    """A case (the input of an evaluation) is malformed; ``path`` is like ``criteria["1.3"]``.

    The path is empty when the problem is the whole document.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def key_path(path: str, key: str) -> str:
    """``automated`` + ``level`` → ``automated.level``; a fixed key of an object."""
    return f"{path}.{key}" if path else key


def item_path(path: str, key: str) -> str:
    """``criteria`` + ``1.3`` → ``criteria["1.3"]``; a data-keyed entry of an object."""
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def index_path(path: str, index: int) -> str:
    """``answers`` + ``2`` → ``answers[2]``."""
    return f"{path}[{index}]"
