"""``certeval results export --campaign SLUG [--academy CODE] [--session ID] --format csv|xlsx
--out FILE``: the national results file of a campaign, one academy or one session (docs/results.md,
« Results files and jury minutes »).

The command runs with the server's rights: every enrolment of the campaign, and the download is
audited without an actor. The candidates missing from the file (no validated decision) are listed
on standard error. Exit status 2 on a bad argument (unknown campaign, academy or session, a file
that cannot be written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.models import Academy, Campaign, Enrolment, Session
from certeval.results.files_selectors import Scope
from certeval.results.files_services import FORMATS, results_file_export


def _scope(slug: str, academy: str | None, session: int | None) -> Scope:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True)[:20])
        raise CommandError(f"unknown campaign {slug!r} (known: {known or 'none'})", returncode=2)
    chosen_academy = None
    if academy is not None:
        chosen_academy = Academy.objects.filter(code=academy).first()
        if chosen_academy is None:
            raise CommandError(f"unknown academy code {academy!r}", returncode=2)
    chosen_session = None
    if session is not None:
        chosen_session = Session.objects.filter(pk=session, campaign=campaign).first()
        if chosen_session is None:
            raise CommandError(f"no session {session} in campaign {slug!r}", returncode=2)
    return Scope(campaign, chosen_academy, chosen_session)


class Command(BaseCommand):
    help = "Export the national results file of a campaign (CSV or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the results file of a campaign, academy or session")
        export.add_argument("--campaign", required=True, help="the campaign's slug")
        export.add_argument("--academy", help="only this academy (its code, e.g. versailles)")
        export.add_argument("--session", type=int, help="only this session (its id)")
        export.add_argument("--format", choices=sorted(FORMATS), required=True)
        export.add_argument("--out", type=Path, required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = _scope(options["campaign"], options["academy"], options["session"])
        exported = results_file_export(
            scope=scope,
            enrolments=Enrolment.objects.filter(campaign=scope.campaign),
            fmt=options["format"],
            by=None,
        )
        path: Path = options["out"]
        try:
            path.write_bytes(exported.content)
        except OSError as exc:
            raise CommandError(f"{path}: cannot write: {exc.strerror}", returncode=2) from exc
        for missing in exported.table.missing:
            self.stderr.write(
                f"not in the file: {missing.name} {missing.first_names} ({missing.academy}): {missing.reason}"
            )
        self.stdout.write(
            f"{len(exported.table.rows)} validated decisions written to {path} "
            f"({len(exported.table.missing)} candidates without a validated decision)."
        )
