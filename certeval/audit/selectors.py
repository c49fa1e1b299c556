"""Reads of the audit log."""

from __future__ import annotations

from django.db import models

from certeval.audit.models import AuditEvent


def audit_events_for(*, target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
