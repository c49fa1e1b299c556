"""``certeval privacy retention [--apply] [--json]``: the retention job (docs/privacy.md, « Retention »).

Dry run by default: prints, per category and campaign, how many persons would be notified, whose data
would be removed, and from when, and changes nothing. ``--apply`` acts: notifies (e-mail, once),
removes what is past its grace period, and records a ``RetentionRun`` (audited). Run it daily, e.g.
``15 3 * * * certeval privacy retention --apply``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certeval.privacy.retention_services import retention_run


class Command(BaseCommand):
    help = "Personal data: the retention job (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        retention = actions.add_parser("retention", help="notify, then remove what is past its retention")
        retention.add_argument("--apply", action="store_true", help="act (default: dry run, nothing changes)")
        retention.add_argument("--json", action="store_true", help="the totals per category as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(apply=options["apply"])
        if options["json"]:
            self.stdout.write(json.dumps({"applied": report.applied, "totals": report.totals()}, indent=2))
        else:
            self.stdout.write(report.text())
