"""The audit rows of the accounts context's second factor (``certeval.accounts.otp_events``): about
the person, with no campaign."""

from __future__ import annotations

from typing import Any

from certeval.accounts.models import User
from certeval.audit.services import audit_record


def record_account_event(
    *, actor: User | None, person: User, action: str, refused: bool, data: dict[str, Any]
) -> None:
    audit_record(
        actor=actor, action=action, target=person, person=person, campaign=None, data=data, refused=refused
    )
