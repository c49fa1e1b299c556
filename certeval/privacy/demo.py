"""The privacy context's demo (each topic's ``demo_<topic>.populate``); idempotent."""

from __future__ import annotations

from typing import TextIO

from certeval.core.demo import DemoAccount
from certeval.privacy import demo_requests


def populate(stdout: TextIO) -> list[DemoAccount]:
    return demo_requests.populate(stdout)
