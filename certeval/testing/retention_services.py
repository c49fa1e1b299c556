"""Retention of what a proctored test records about the candidate (docs/testing.md, « Retention »):
the proctoring events (``ProctoringEvent``) and the messages (``SittingMessage``) of a session are
deleted once its results have been recorded for the campaign's retention period
(``CampaignDelivery.retention_days``, default 30 days, ``CERTEVAL_DELIVERY``). A session whose
results are not recorded yet (not finalised, or an incident still undecided) keeps them.

``certeval testing-purge`` runs it (daily, from cron); each purged session gets one audit row with
the counts. Running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from certeval.audit.services import audit_record
from certeval.testing import sitting_engine as forms
from certeval.testing.models import CampaignDelivery, ProctoringEvent, SessionDelivery, SittingMessage


@dataclass
class PurgeReport:
    sessions: list[int] = field(default_factory=list)
    events: int = 0
    messages: int = 0


def purge_due_on(delivery: SessionDelivery, retention_days: int) -> datetime | None:
    """When the session's proctoring events and messages are due for deletion (None: results not
    recorded yet)."""
    if delivery.results_recorded_at is None:
        return None
    return delivery.results_recorded_at + timedelta(days=retention_days)


def proctoring_purge_due(now: datetime | None = None) -> PurgeReport:
    """Delete the proctoring events and messages of every session past its retention period."""
    now = now or timezone.now()
    default = int(forms.delivery_settings()["retention_days"])
    retention = dict(CampaignDelivery.objects.values_list("campaign_id", "retention_days"))
    report = PurgeReport()
    candidates = (
        SessionDelivery.objects.filter(results_recorded_at__isnull=False, results_recorded_at__lte=now)
        .select_related("session__campaign")
        .order_by("results_recorded_at", "pk")
    )
    for delivery in candidates:
        days = retention.get(delivery.session.campaign_id, default)
        due = purge_due_on(delivery, days)
        if due is None or due > now:
            continue
        with transaction.atomic():
            events, _ = ProctoringEvent.objects.filter(sitting__session=delivery).delete()
            messages, _ = SittingMessage.objects.filter(sitting__session=delivery).delete()
            if not events and not messages:
                continue
            audit_record(
                actor=None,
                action="testing.proctoring_purge",
                target=delivery,
                data={
                    "events": events,
                    "messages": messages,
                    "retention_days": days,
                    "results_recorded_at": delivery.results_recorded_at.isoformat()
                    if delivery.results_recorded_at
                    else None,
                },
                campaign=delivery.session.campaign,
            )
        report.sessions.append(delivery.pk)
        report.events += events
        report.messages += messages
    return report
