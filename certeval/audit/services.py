"""Writing audit rows. Call inside the caller's transaction so the row and the change commit together."""

from __future__ import annotations

from typing import Any

from django.db import models

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    message: str = "",
    data: dict[str, Any] | None = None,
    refused: bool = False,
) -> AuditEvent:
    """Record one action on ``target``; ``refused`` marks an attempt that was turned down."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        outcome=AuditEvent.Outcome.REFUSED if refused else AuditEvent.Outcome.DONE,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        message=message,
        data=data or {},
    )
