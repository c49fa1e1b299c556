"""``certeval privacy``: personal data (RGPD) from the command line (docs/privacy.md).

- ``register [--format json|csv] [--output FILE]``: the register of processing activities (art. 30) for
  the controller's DPO — the same data as the administrators' page and its downloads
  (``certeval.privacy.register_selectors``; « Notices and register »). JSON by default; CSV is UTF-8 with
  BOM and ``;``-separated, like the page's download.
- ``retention [--apply] [--json]``: the retention job (« Retention »). Dry run by default: prints, per
  category and campaign, how many persons would be notified, whose data would be removed, and from
  when, and changes nothing. ``--apply`` acts: notifies (e-mail, once), removes what is past its grace
  period, and records a ``RetentionRun`` (audited). Run it daily, e.g.
  ``15 3 * * * certeval privacy retention --apply``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.privacy.register_selectors import register_csv, register_json
from certeval.privacy.retention_services import retention_run


class Command(BaseCommand):
    help = "Personal data (RGPD): the register of processing activities; the retention job."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        register = actions.add_parser("register", help="the register of processing activities (art. 30)")
        register.add_argument(
            "--format", choices=("json", "csv"), default="json", help="json (default) or csv"
        )
        register.add_argument("--output", type=Path, help="write to this file instead of the standard output")
        retention = actions.add_parser("retention", help="notify, then remove what is past its retention")
        retention.add_argument("--apply", action="store_true", help="act (default: dry run, nothing changes)")
        retention.add_argument("--json", action="store_true", help="the totals per category as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "retention":
            self.retention(options)
        else:
            self.register(options)

    def retention(self, options: dict[str, Any]) -> None:
        report = retention_run(apply=options["apply"])
        if options["json"]:
            self.stdout.write(json.dumps({"applied": report.applied, "totals": report.totals()}, indent=2))
        else:
            self.stdout.write(report.text())

    def register(self, options: dict[str, Any]) -> None:
        text = register_csv() if options["format"] == "csv" else register_json() + "\n"
        output: Path | None = options.get("output")
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc})", returncode=2) from exc
        self.stdout.write(f"Register written to {output}")
