"""``certeval campaigns remind --days N``: deadline reminders, once per enrolment and window.

Meant to run from cron or a systemd timer (e.g. every hour, once with ``--days 7`` and once
with ``--days 1``): candidates of an open campaign whose deadline is less than N days away and
whose dossier is not deposited get the reminder e-mail once; each sending is recorded
(``DeadlineReminder``) so later runs skip them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.services import deadline_reminders_due


class Command(BaseCommand):
    help = "Campaign housekeeping: remind sends the deadline reminders that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        remind = commands.add_parser("remind", help="send the J-N deadline reminders not sent yet")
        remind.add_argument(
            "--days", type=int, required=True, help="reminder window in days before the deadline"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if not 1 <= days <= 60:
            raise CommandError("--days must be between 1 and 60", returncode=2)
        sent = deadline_reminders_due(days=days)
        self.stdout.write(f"{sent} reminder(s) sent (J-{days}).")
