"""What every context's demo module shares: the demo password and the account it prints."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-certeval"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str = DEMO_PASSWORD
