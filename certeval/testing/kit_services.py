"""Writes around session kits: each download is audited, since a kit carries the session's access
code and invigilator password (who printed them, and when)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.testing.models import SessionDelivery


def kits_downloaded(*, deliveries: Sequence[SessionDelivery], actor: User) -> None:
    """One audit row per session whose kit ``actor`` downloaded (alone or in a campaign's archive)."""
    with transaction.atomic():
        for delivery in deliveries:
            audit_record(
                actor=actor,
                action="testing.session_kit",
                target=delivery,
                data={"session": delivery.session_id, "archive": len(deliveries) > 1},
                campaign=delivery.session.campaign,
            )
