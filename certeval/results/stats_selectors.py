"""Reads of a campaign's statistics (the caller has checked ``permissions.campaigns_with_statistics``).

The rows given to ``certeval.domain.stats`` come either from an imported past campaign
(``PastCohortRow``) or from a live campaign, one row per enrolment (every status):

- formation and degré: ``Enrolment.training`` and ``Enrolment.school_level``;
- placement level: the level proposed by the person's latest finished placement run at the
  campaign's automated test, among the runs of this enrolment or campaign and those finished during
  the campaign year;
- automated result: the person's latest result at the campaign's automated test obtained by the end
  of the campaign year and still valid at its start (3 years for Pix+ Édu); it counts at the automated
  stage only when obtained during the campaign year;
- final level: the latest deliberation of the candidate's oral, when it is validated and certifies
  (``certifie``, « Certifié (sans niveau) », for a référentiel without levels).

The campaign year (``CERTEVAL_STATS["year_start_month"]``, default September) is the one that
contains the campaign's deposit deadline (Paris date).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.prerequisites import automated_validity_years
from certeval.domain.rules.dates import valid_until
from certeval.domain.stats import (
    CohortReport,
    CohortRow,
    SchoolYear,
    Share,
    cohort_report,
    satisfaction,
)
from certeval.domain.stats_csv import FEEDBACK_TOPICS
from certeval.frameworks.models import FrameworkVersion
from certeval.juries.models import Deliberation, JurorFeedback
from certeval.results.models import PastCohortRow, PastJurorAnswer
from certeval.results.stats_defaults import stats_settings
from certeval.testing.models import AutomatedResult, Run
from certeval.testing.selectors import automated_test_of


def level_ids(version: FrameworkVersion) -> list[str]:
    return [str(level["id"]) for level in version.document.get("levels", [])]


# The column of the candidates certified by a référentiel without levels (competences or blocs).
CERTIFIED_WITHOUT_LEVEL = "certifie"


def level_labels(version: FrameworkVersion) -> dict[str, str]:
    labels = {str(level["id"]): str(level["label"]) for level in version.document.get("levels", [])}
    return {CERTIFIED_WITHOUT_LEVEL: _("Certifié (sans niveau)"), **labels}


def campaign_year(campaign: Campaign) -> SchoolYear:
    month = int(stats_settings()["year_start_month"])
    return SchoolYear.of_day(timezone.localdate(campaign.deposit_deadline), month)


def past_campaigns() -> QuerySet[Campaign]:
    """Campaigns imported for their statistics (they hold a past cohort)."""
    return Campaign.objects.filter(past_cohort_rows__isnull=False).distinct()


def is_past(campaign: Campaign) -> bool:
    return PastCohortRow.objects.filter(campaign=campaign).exists()


def _past_rows(campaign: Campaign) -> list[CohortRow]:
    return [
        CohortRow(
            formation=row.training,
            degre=row.school_level,
            placement_level=row.placement_level or None,
            automated_level=row.automated_level or None,
            automated_obtained_on=row.automated_obtained_on,
            final_level=row.final_level or None,
        )
        for row in PastCohortRow.objects.filter(campaign=campaign).order_by("pk")
    ]


def _placement_levels(
    campaign: Campaign, enrolments: list[Enrolment], test: str, year: SchoolYear
) -> dict[int, str]:
    runs = Run.objects.filter(
        kind=Run.Kind.PLACEMENT,
        status=Run.Status.FINISHED,
        bank=test,
        candidate_id__in={e.candidate_id for e in enrolments},
    ).exclude(proposed_level="")
    by_candidate: dict[int, list[Run]] = {}
    for run in runs.order_by("finished_at", "pk"):
        by_candidate.setdefault(run.candidate_id, []).append(run)
    levels = {}
    for enrolment in enrolments:
        chosen = [
            run
            for run in by_candidate.get(enrolment.candidate_id, [])
            if run.enrolment_id == enrolment.pk
            or run.campaign_id == campaign.pk
            or (run.finished_at is not None and timezone.localdate(run.finished_at) in year)
        ]
        if chosen:
            levels[enrolment.pk] = chosen[-1].proposed_level
    return levels


def _automated_results(
    campaign: Campaign, enrolments: list[Enrolment], test: str, year: SchoolYear
) -> dict[int, AutomatedResult]:
    years = automated_validity_years(campaign.framework_version.document)
    results = AutomatedResult.objects.filter(
        test=test, candidate_id__in={e.candidate_id for e in enrolments}, obtained_on__lte=year.end
    ).order_by("obtained_on", "recorded_at", "pk")
    latest: dict[int, AutomatedResult] = {}
    for result in results:
        if years is None or valid_until(result.obtained_on, years) >= year.start:
            latest[result.candidate_id] = result
    return {e.pk: latest[e.candidate_id] for e in enrolments if e.candidate_id in latest}


def _final_levels(campaign: Campaign) -> dict[int, str]:
    latest: dict[int, Deliberation] = {}
    for deliberation in (
        Deliberation.objects.filter(slot__enrolment__campaign=campaign)
        .select_related("slot")
        .order_by("slot_id", "number")
    ):
        latest[deliberation.slot.enrolment_id] = deliberation
    return {
        enrolment_id: d.final_level or CERTIFIED_WITHOUT_LEVEL
        for enrolment_id, d in latest.items()
        if d.state == Deliberation.State.VALIDATED and d.outcome == Deliberation.Outcome.CERTIFIED
    }


def _live_rows(campaign: Campaign, year: SchoolYear) -> list[CohortRow]:
    enrolments = list(Enrolment.objects.filter(campaign=campaign).order_by("pk"))
    test = automated_test_of(campaign.framework_version)
    placements = _placement_levels(campaign, enrolments, test, year) if test else {}
    automated = _automated_results(campaign, enrolments, test, year) if test else {}
    finals = _final_levels(campaign)
    rows = []
    for enrolment in enrolments:
        result = automated.get(enrolment.pk)
        rows.append(
            CohortRow(
                formation=enrolment.training,
                degre=enrolment.school_level,
                placement_level=placements.get(enrolment.pk),
                automated_level=result.level if result else None,
                automated_obtained_on=result.obtained_on if result else None,
                final_level=finals.get(enrolment.pk),
            )
        )
    return rows


def cohort_rows(campaign: Campaign) -> list[CohortRow]:
    return _past_rows(campaign) if is_past(campaign) else _live_rows(campaign, campaign_year(campaign))


def juror_answers(campaign: Campaign) -> list[dict[str, int | None]]:
    """The questionnaire's answers: the imported ones of a past campaign and the jurors' own."""
    answers: list[dict[str, int | None]] = [
        {topic: getattr(a, topic) for topic in FEEDBACK_TOPICS}
        for a in PastJurorAnswer.objects.filter(campaign=campaign).order_by("pk")
    ]
    answers += [
        {topic: getattr(f, topic) for topic in JurorFeedback.TOPICS}
        for f in JurorFeedback.objects.filter(juror__campaign=campaign).order_by("pk")
    ]
    return answers


@dataclass(frozen=True)
class CampaignStatistics:
    campaign: Campaign
    past: bool
    report: CohortReport
    labels: dict[str, str]
    answers: int
    shares: dict[str, Share]
    share_rounding: str
    satisfied_from: int


def campaign_statistics(campaign: Campaign) -> CampaignStatistics:
    config = stats_settings()
    version = campaign.framework_version
    year = campaign_year(campaign)
    report = cohort_report(cohort_rows(campaign), year, level_ids(version), str(config["rate_rounding"]))
    answers = juror_answers(campaign)
    satisfied_from = int(config["satisfied_from"])
    return CampaignStatistics(
        campaign=campaign,
        past=is_past(campaign),
        report=report,
        labels=level_labels(version),
        answers=len(answers),
        shares=satisfaction(answers, FEEDBACK_TOPICS, satisfied_from),
        share_rounding=str(config["share_rounding"]),
        satisfied_from=satisfied_from,
    )


def stage_labels() -> dict[str, str]:
    return {
        "bilan": _("Parcours bilan"),
        "auto": _("Volet automatisé obtenu dans l'année"),
        "cert": _("Certification (volet automatisé et volet pratique professionnelle)"),
    }


def topic_labels() -> dict[str, str]:
    return {
        "dossiers": _("Qualité des dossiers"),
        "traces": _("Qualité des traces observées"),
        "analyses": _("Qualité des analyses critiques"),
        "organisation": _("Organisation des jurys"),
    }


def statistics_csv(stats: CampaignStatistics) -> str:
    """One line per formation, stage, status and level (French labels), then the questionnaire;
    ``;``-separated, as the other CSV files (the download adds the UTF-8 BOM)."""
    formations = dict(Enrolment.Training.choices)
    degres = dict(Enrolment.SchoolLevel.choices)
    stages = stage_labels()
    total = _("Total")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Formation"), _("Étape"), _("Statut"), _("Niveau"), _("Candidats"), _("Taux (%)")])
    for formation in stats.report.formations:
        name = str(formations.get(formation.formation, formation.formation))
        for table in formation.tables:
            stage = stages[table.stage]
            for degre, values, count, rate in table.rows:
                status = str(degres.get(degre, degre))
                for level, n in zip(table.levels, values, strict=True):
                    writer.writerow([name, stage, status, stats.labels.get(level, level), n, ""])
                writer.writerow([name, stage, status, total, count, _num(rate)])
            for level, n in zip(table.levels, table.totals, strict=True):
                writer.writerow([name, stage, total, stats.labels.get(level, level), n, ""])
            writer.writerow([name, stage, total, total, table.total, _num(table.rate)])
    writer.writerow([])
    writer.writerow([_("Questionnaire des jurés"), _("Réponses"), _("Satisfaits"), _("Part (%)")])
    topics = topic_labels()
    for topic, share in stats.shares.items():
        writer.writerow(
            [topics[topic], share.answered, share.satisfied, _num(share.percent(stats.share_rounding))]
        )
    return out.getvalue()


def _num(value: int | None) -> str:
    return "" if value is None else str(value)
