"""``certeval testing-purge``: delete the proctoring events and messages of the proctored sessions
whose results were recorded longer ago than their campaign's retention period (default 30 days).

Meant to run daily from cron or a systemd timer (Django's tasks framework defers a task but does not
repeat it), e.g. ``30 3 * * * certeval testing-purge``. Each purged session is audited; running it
again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from certeval.testing.retention_services import proctoring_purge_due


class Command(BaseCommand):
    help = "Delete the proctoring events and messages kept past their campaign's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        report = proctoring_purge_due()
        self.stdout.write(
            f"{len(report.sessions)} session(s) purged: {report.events} proctoring event(s) and "
            f"{report.messages} message(s) deleted."
        )
