"""``certeval campaigns list [--json]``: every campaign with its framework, state, candidates and final
decisions; ``certeval campaigns remind --days N``: deadline reminders, once per enrolment and window.

Meant to run from cron or a systemd timer (e.g. every hour, once with ``--days 7`` and once
with ``--days 1``): candidates of an open campaign whose deadline is less than N days away and
whose dossier is not deposited get the reminder e-mail once; each sending is recorded
(``DeadlineReminder``) so later runs skip them.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.listing import campaign_listing
from certeval.campaigns.services import deadline_reminders_due


class Command(BaseCommand):
    help = (
        "Campaigns: list prints every campaign (--json: slug, framework, state, outcomes…); "
        "remind sends the deadline reminders that are due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        listing = commands.add_parser("list", help="every campaign with its state and final decisions")
        listing.add_argument("--json", action="store_true", help="one JSON array on standard output")
        remind = commands.add_parser("remind", help="send the J-N deadline reminders not sent yet")
        remind.add_argument(
            "--days", type=int, required=True, help="reminder window in days before the deadline"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "list":
            self._list(as_json=options["json"])
            return
        days = options["days"]
        if not 1 <= days <= 60:
            raise CommandError("--days must be between 1 and 60", returncode=2)
        sent = deadline_reminders_due(days=days)
        self.stdout.write(f"{sent} reminder(s) sent (J-{days}).")

    def _list(self, *, as_json: bool) -> None:
        campaigns = campaign_listing()
        if as_json:
            self.stdout.write(json.dumps(campaigns, ensure_ascii=False, indent=2))
            return
        for campaign in campaigns:
            outcomes = ", ".join(f"{outcome} {count}" for outcome, count in campaign["outcomes"].items())
            self.stdout.write(
                f"{campaign['slug']}  [{campaign['framework']} v{campaign['framework_version']}]  "
                f"{campaign['state']}  {campaign['candidates']} candidate(s)"
                + (f"  decisions: {outcomes}" if outcomes else "")
            )
        self.stdout.write(f"{len(campaigns)} campaign(s).")
