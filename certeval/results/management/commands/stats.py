"""``certeval stats import --framework F --year YYYY-YYYY FILE [--feedback FILE] [--by EMAIL]`` and
``certeval stats report --campaign SLUG [--json | --csv]``: the statistics of the jury report.

``import`` reads a past campaign's cohort (one row per candidate: ``id,formation,degre,
placement_level,automated_level,automated_obtained_on,final_level``) and optionally its jurors'
answers (``id,dossiers,traces,analyses,organisation``), creates the archived past campaign on the
référentiel's published version and prints its slug. All or nothing: on any error every problem is
printed with its line and the command exits with status 2, nothing stored.

``report`` prints the counts ``{formation: {degre: {stage: {level: count}}}}`` (``--json``), the
tables with totals and rates as text (default), or the CSV of the statistics page (``--csv``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign
from certeval.results.stats_selectors import campaign_statistics, statistics_csv
from certeval.results.stats_services import StatsImportError, past_campaign_import

EXIT_INVALID = 2


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot be read as UTF-8 text ({exc})", returncode=EXIT_INVALID) from exc


class Command(BaseCommand):
    help = "Statistics of the jury report: import a past campaign, print a campaign's report."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import a past campaign's cohort (all or nothing, exit 2)")
        load.add_argument("file", type=Path, help="the cohort CSV, one row per candidate")
        load.add_argument("--framework", required=True, help="the référentiel id, e.g. pix-plus-edu")
        load.add_argument("--year", required=True, help="the campaign year, e.g. 2022-2023")
        load.add_argument("--feedback", type=Path, help="the jurors' questionnaire CSV, one row per juror")
        load.add_argument("--title", default="", help="the campaign's title (default: from the référentiel)")
        load.add_argument(
            "--by", help="e-mail of the person importing (becomes an organiser of the campaign)"
        )
        report = actions.add_parser("report", help="print a campaign's statistics")
        report.add_argument("--campaign", required=True, help="the campaign's slug (or its numeric id)")
        output = report.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="the counts as JSON")
        output.add_argument("--csv", action="store_true", help="the CSV of the statistics page")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._report(options)

    def _import(self, options: dict[str, Any]) -> None:
        by = None
        if options["by"]:
            by = User.objects.filter(email__iexact=options["by"], is_active=True).first()
            if by is None:
                raise CommandError(f"--by: no active account {options['by']!r}", returncode=EXIT_INVALID)
        path: Path = options["file"]
        try:
            campaign = past_campaign_import(
                framework_id=options["framework"],
                year_label=options["year"],
                cohort_csv=_read(path),
                feedback_csv=_read(options["feedback"]) if options["feedback"] else None,
                by=by,
                title=options["title"],
            )
        except StatsImportError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{path}: nothing imported, {len(exc.errors)} problem(s):\n{lines}", returncode=EXIT_INVALID
            ) from exc
        self.stdout.write(campaign.slug)

    def _report(self, options: dict[str, Any]) -> None:
        key = str(options["campaign"])
        campaign = Campaign.objects.filter(slug=key).select_related("framework_version").first() or (
            Campaign.objects.filter(pk=int(key)).first() if key.isdigit() else None
        )
        if campaign is None:
            raise CommandError(f"unknown campaign '{key}' (give its slug or id)", returncode=EXIT_INVALID)
        stats = campaign_statistics(campaign)
        if options["json"]:
            self.stdout.write(json.dumps(stats.report.counts, ensure_ascii=False, indent=2))
        elif options["csv"]:
            self.stdout.write(statistics_csv(stats), ending="")
        else:
            self.stdout.write(f"{campaign.title} — {stats.report.year.label}")
            for formation in stats.report.formations:
                for table in formation.tables:
                    rate = "" if table.rate is None else f" ({table.rate}%)"
                    self.stdout.write(f"\n{formation.formation} / {table.stage}: {table.total}{rate}")
                    self.stdout.write("  " + "\t".join(["", *table.levels, "total"]))
                    for degre, values, total, _rate in table.rows:
                        self.stdout.write("  " + "\t".join([degre, *map(str, values), str(total)]))
                    self.stdout.write("  " + "\t".join(["total", *map(str, table.totals), str(table.total)]))
            self.stdout.write(f"\njurors' answers: {stats.answers}")
            for topic, share in stats.shares.items():
                pct = share.percent(stats.share_rounding)
                shown = "-" if pct is None else f"{pct}%"
                self.stdout.write(f"  {topic}: {share.satisfied}/{share.answered} satisfied ({shown})")
