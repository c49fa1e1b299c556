"""The results context's demo: each topic seeds its part in turn (``demo_<topic>.populate``).

Topics run in the order of ``PARTS``; a topic whose module is absent is skipped, so a part can land
on its own. Each part is idempotent, like every demo module.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TextIO

from certeval.core.demo import DemoAccount

PARTS = (
    "awards",
    "credentials",
    "files",
    "cdc",
    "stats",
    "dashboard",
    "sheets",
    "prep",
    "evidence",
    "inspe",
    "regroup",
    "titre",
    "consult",
)


def _modules() -> list[object]:
    names = [f"certeval.results.demo_{part}" for part in PARTS]
    return [import_module(name) for name in names if find_spec(name) is not None]


def populate(stdout: TextIO) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    for module in _modules():
        accounts.extend(module.populate(stdout))  # type: ignore[attr-defined]
    return accounts


def notes() -> list[str]:
    lines: list[str] = []
    for module in _modules():
        if hasattr(module, "notes"):
            lines.extend(module.notes())
    return lines
