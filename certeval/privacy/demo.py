"""The privacy context's demo: each topic seeds its part in turn (``demo_<topic>.populate``), in the
order of ``PARTS``; a topic whose module is absent is skipped. Each part is idempotent."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TextIO

from certeval.core.demo import DemoAccount

PARTS = ("requests",)


def _modules() -> list[object]:
    names = [f"certeval.privacy.demo_{part}" for part in PARTS]
    return [import_module(name) for name in names if find_spec(name) is not None]


def populate(stdout: TextIO) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    for module in _modules():
        accounts.extend(module.populate(stdout))  # type: ignore[attr-defined]
    return accounts
