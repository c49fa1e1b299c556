"""Importing a past campaign for its statistics (``certeval stats import``, docs/results.md
« Statistics of the jury report »).

The CSV files are read and checked before anything is written (every problem with its line). Then,
in one transaction, the campaign is created through ``campaigns.services.campaign_create`` on the
référentiel's published version, its cohort and its jurors' answers are stored, and it is taken
through every state to « Archivée » with ``campaign_transition`` (each step logged); an error at any
point leaves nothing behind.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, CampaignState, FinalPolicy, TieRule
from certeval.campaigns.prerequisites import automated_validity_years
from certeval.campaigns.services import TRANSITIONS, campaign_create, campaign_transition
from certeval.domain.stats import SchoolYear
from certeval.domain.stats_csv import CsvRefused, parse_cohort, parse_feedback
from certeval.frameworks.models import FrameworkVersion
from certeval.results.models import PastCohortRow, PastJurorAnswer
from certeval.results.stats_defaults import stats_settings
from certeval.results.stats_selectors import campaign_year, level_ids, past_campaigns


class StatsImportError(Exception):
    """The import is refused; ``errors`` lists every problem (English, for the command line)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


def published_version(framework_id: str) -> FrameworkVersion:
    version = FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version_number").first()
    if version is None:
        known = sorted(set(FrameworkVersion.objects.values_list("framework_id", flat=True)))
        raise StatsImportError(
            [f"no published référentiel {framework_id!r} (known: {', '.join(known) or 'none'})"]
        )
    return version


def past_campaign_of(version: FrameworkVersion, year: SchoolYear) -> Campaign | None:
    """The past campaign already imported for this référentiel and year, if any."""
    for campaign in past_campaigns().filter(framework_version__framework_id=version.framework_id):
        if campaign_year(campaign) == year:
            return campaign
    return None


def past_campaign_import(
    *,
    framework_id: str,
    year_label: str,
    cohort_csv: str,
    feedback_csv: str | None = None,
    by: User | None = None,
    title: str = "",
) -> Campaign:
    """Create the archived past campaign of ``year_label`` with its cohort (and jurors' answers)."""
    month = int(stats_settings()["year_start_month"])
    try:
        year = SchoolYear.parse(year_label, month)
    except ValueError as exc:
        raise StatsImportError([f"--year: {exc}"]) from exc
    if year.end >= timezone.localdate():
        raise StatsImportError([f"the year {year.label} is not over: only past campaigns are imported"])
    version = published_version(framework_id)
    existing = past_campaign_of(version, year)
    if existing is not None:
        raise StatsImportError([f"{framework_id} {year.label} is already imported: campaign {existing.slug}"])
    levels = level_ids(version)
    try:
        rows = parse_cohort(cohort_csv, year, levels, automated_validity_years(version.document))
        answers = parse_feedback(feedback_csv) if feedback_csv is not None else []
    except CsvRefused as refused:
        raise StatsImportError(refused.errors) from refused
    with transaction.atomic():
        campaign = campaign_create(
            by=by,
            title=title.strip() or f"{version.title} — campagne {year.label} (données importées)",
            framework_version=version,
            # The last day of the campaign year: it places the campaign in that year (its statistics
            # count the automated results obtained during it).
            deposit_deadline=timezone.make_aware(datetime.combine(year.end, time(12, 0))),
            final_policy=FinalPolicy.ADJOURN,
            tie_rule=TieRule.LOWER,
            oral_duration_minutes=45,
        )
        PastCohortRow.objects.bulk_create(
            PastCohortRow(
                campaign=campaign,
                ref=item.ref,
                training=item.row.formation,
                school_level=item.row.degre,
                placement_level=item.row.placement_level or "",
                automated_level=item.row.automated_level or "",
                automated_obtained_on=item.row.automated_obtained_on,
                final_level=item.row.final_level or "",
            )
            for item in rows
        )
        PastJurorAnswer.objects.bulk_create(
            PastJurorAnswer(campaign=campaign, ref=answer.ref, **answer.answers) for answer in answers
        )
        audit_record(
            actor=by,
            action="results.stats_import",
            target=campaign,
            data={"year": year.label, "rows": len(rows), "juror_answers": len(answers)},
        )
        while campaign.state != CampaignState.ARCHIVED:
            (next_state,) = TRANSITIONS[campaign.state]
            campaign = campaign_transition(
                campaign=campaign,
                to_state=next_state,
                by=by,
                note=f"Campagne passée importée ({year.label})",
                confirmed=True,
            )
    return campaign
