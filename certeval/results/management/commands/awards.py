"""``certeval awards issue [--campaign ID]`` issues the awards missing for published campaigns (all,
or one) and finished placement runs — idempotent, the same service as the publication hook — and
``certeval awards pdf CODE --output FILE`` writes an award's attestation PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.models import Campaign
from certeval.results.award_pdf import attestation_pdf
from certeval.results.award_selectors import award_by_code
from certeval.results.award_services import award_issue_for_placement, awards_issue_for_campaign
from certeval.results.models import Award
from certeval.results.selectors import RESULT_STATES
from certeval.testing.models import Run


class Command(BaseCommand):
    help = "Issue missing awards (published campaigns, finished placement runs) or write an attestation PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="issue the missing awards (idempotent)")
        issue.add_argument("--campaign", type=int, help="only this campaign (its results must be published)")
        pdf = actions.add_parser("pdf", help="write an award's attestation PDF")
        pdf.add_argument("code", help="the verification code (dashes optional)")
        pdf.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "issue":
            self._issue(options["campaign"])
        else:
            award = award_by_code(options["code"])
            if award is None:
                raise CommandError("no award has this code", returncode=2)
            options["output"].write_bytes(attestation_pdf(award))
            self.stdout.write(f"Wrote {options['output']}")

    def _issue(self, campaign_id: int | None) -> None:
        before = Award.objects.count()
        campaigns = Campaign.objects.filter(state__in=RESULT_STATES)
        if campaign_id is not None:
            campaign = Campaign.objects.filter(pk=campaign_id).first()
            if campaign is None:
                raise CommandError(f"no campaign {campaign_id}", returncode=2)
            if campaign.state not in RESULT_STATES:
                raise CommandError(f"the results of campaign {campaign_id} are not published", returncode=2)
            campaigns = campaigns.filter(pk=campaign_id)
        for campaign in campaigns.order_by("pk"):
            awards_issue_for_campaign(campaign, by=None)
        if campaign_id is None:
            runs = Run.objects.filter(kind=Run.Kind.PLACEMENT, status=Run.Status.FINISHED)
            for run in runs.select_related("campaign__framework_version").order_by("pk"):
                award_issue_for_placement(run, by=None)
        self.stdout.write(f"{Award.objects.count() - before} award(s) issued.")
