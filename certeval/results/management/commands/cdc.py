"""``certeval cdc export --campaign SLUG --out FILE``: the Caisse des Dépôts flux of the campaign's
holders not yet accepted, validated against the XSD (``CERTEVAL_CDC["xsd_path"]``) and kept like a
download from the page; exits with status 2 and every reason (a holder's missing data, a missing
code, an absent XSD) when it cannot be produced.

``certeval cdc acknowledge --campaign SLUG FILE``: import the CDC's acknowledgement (the CSV read
described in docs/results.md); all or nothing, status 2 with the errors.

``certeval cdc remind [--today YYYY-MM-DD]``: e-mail the organisers of each published campaign whose
nearest declaration deadline is within ``reminder_days`` (once per deadline); run it daily.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.models import Campaign
from certeval.results.cdc_services import (
    CdcRefused,
    cdc_acknowledgement_import,
    cdc_export,
    cdc_reminders_due,
)


def _campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.select_related("framework_version").filter(slug=slug).first()
    if campaign is None:
        raise CommandError(f"unknown campaign {slug!r}", returncode=2)
    return campaign


def _refusal(what: str, reasons: list[str]) -> str:
    return "\n".join([f"{what} refused:", *(f"  - {reason}" for reason in reasons)])


class Command(BaseCommand):
    help = (
        "Holders' declaration to the Caisse des Dépôts: export the flux, import the acknowledgement, remind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the validated flux (exit 2 with the reasons)")
        export.add_argument("--campaign", required=True, help="the campaign's slug")
        export.add_argument("--out", required=True, type=Path, help="the XML file to write")
        ack = actions.add_parser("acknowledge", help="import the CDC's acknowledgement CSV (all or nothing)")
        ack.add_argument("--campaign", required=True, help="the campaign's slug")
        ack.add_argument("file", type=Path, help="the acknowledgement file")
        remind = actions.add_parser("remind", help="e-mail the reminders due before the deadlines")
        remind.add_argument(
            "--today", type=date.fromisoformat, help="the day to compute for (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            campaign = _campaign(options["campaign"])
            try:
                submission = cdc_export(campaign=campaign, by=None)
            except CdcRefused as refused:
                raise CommandError(_refusal("export", refused.reasons), returncode=2) from refused
            options["out"].write_bytes(bytes(submission.content))
            self.stdout.write(
                f"{submission.file_name}: {submission.passages.count()} passage(s), "
                f"sha256 {submission.sha256} -> {options['out']}"
            )
        elif action == "acknowledge":
            campaign = _campaign(options["campaign"])
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"no file {path}", returncode=2)
            try:
                result = cdc_acknowledgement_import(
                    campaign=campaign, by=None, file_name=path.name, content=path.read_bytes()
                )
            except CdcRefused as refused:
                raise CommandError(_refusal("acknowledgement", refused.reasons), returncode=2) from refused
            self.stdout.write(f"{result.accepted} accepted, {result.rejected} rejected.")
        else:
            count = cdc_reminders_due(today=options["today"])
            self.stdout.write(f"{count} reminder(s) sent.")
