"""Where the second factor's audit rows go (docs/security-2fa.md). The audit log is a layer above
accounts: ``certeval.audit`` registers its recorder here in its ``AppConfig.ready()``, and the
second-factor services call ``record`` inside their own transaction, so the row and the change
commit together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from certeval.accounts.models import User

# recorder(actor=, person=, action=, refused=, data=): writes one audit row about ``person``.
Recorder = Callable[..., Any]
RECORDERS: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    if recorder not in RECORDERS:
        RECORDERS.append(recorder)


def record(*, actor: User | None, person: User, action: str, refused: bool, data: dict[str, Any]) -> None:
    if not RECORDERS:
        raise RuntimeError(
            "No audit recorder registered for the second factor (certeval.audit not installed?)."
        )
    for recorder in RECORDERS:
        recorder(actor=actor, person=person, action=action, refused=refused, data=data)
