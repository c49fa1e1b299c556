"""Reads of the results files and the jury minutes: the table of validated decisions of a set of
enrolments, what is missing from it, and the content of a jury's minutes (the caller has checked
permissions with certeval.results.files_permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.campaigns.models import Academy, Campaign, Enrolment, Session
from certeval.domain.framework import Framework
from certeval.domain.results_file import (
    MISSING_HEADER,
    Cell,
    CompetenceColumn,
    ResultLine,
    result_row,
    results_header,
)
from certeval.domain.rules.deliberation import BLOCKS, COMPETENCES
from certeval.frameworks.selectors import framework_of
from certeval.juries.models import Deliberation, Jury
from certeval.juries.selectors import deliberation_outcome, deliberation_verdicts

OUTCOME_LABELS = dict(Deliberation.Outcome.choices)


@dataclass(frozen=True)
class MissingResult:
    """An enrolment of the scope that has no validated decision in the file, and why."""

    number: int
    name: str
    first_names: str
    academy: str
    session: str
    reason: str

    def cells(self) -> list[Cell]:
        return [self.number, self.name, self.first_names, self.academy, self.session, self.reason]


@dataclass(frozen=True)
class ResultsTable:
    header: list[str]
    rows: list[list[Cell]]
    missing: list[MissingResult]

    @property
    def missing_header(self) -> list[str]:
        return list(MISSING_HEADER)


@dataclass(frozen=True)
class Scope:
    """The part of a campaign a file covers: the whole campaign, one academy, or one session."""

    campaign: Campaign
    academy: Academy | None = None
    session: Session | None = None

    def filter(self, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        if self.academy is not None:
            enrolments = enrolments.filter(academy=self.academy)
        if self.session is not None:
            enrolments = enrolments.filter(session=self.session)
        return enrolments

    @property
    def label(self) -> str:
        parts = [self.campaign.title]
        if self.academy is not None:
            parts.append(_("académie de %(name)s") % {"name": self.academy.name})
        if self.session is not None:
            parts.append(_("session « %(label)s »") % {"label": self.session.label})
        return " — ".join(parts)

    @property
    def slug(self) -> str:
        parts = [self.campaign.slug or f"campagne-{self.campaign.pk}"]
        if self.academy is not None:
            parts.append(self.academy.code)
        if self.session is not None:
            parts.append(f"session-{self.session.pk}")
        return "-".join(parts)


def competence_columns(framework: Framework) -> list[CompetenceColumn]:
    return [CompetenceColumn(c.id, c.title) for c in framework.competences]


def _local_date(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


def competence_marks(framework: Framework, deliberation: Deliberation) -> dict[str, str]:
    """Each competence's label in the file: « Validée » / « Non validée » for a référentiel decided
    by competences; the validation of its bloc for one decided by blocs; for a joint level (Pix+ Édu,
    INSPÉ), the level the jury gave its domain on the oral score sheet (the finest level recorded)."""
    kind = deliberation_outcome(deliberation).kind
    verdicts = deliberation_verdicts(deliberation)
    if kind == COMPETENCES:
        return {
            cid: _("Validée") if held else _("Non validée") for cid, held in verdicts.competences.items()
        }
    marks: dict[str, str] = {}
    if kind == BLOCKS:
        for domain in framework.domains:
            status = verdicts.blocks.get(domain.id)
            if domain.kind != "bloc" or status is None:
                continue
            if status.validated:
                label = (
                    _("Bloc validé le %(on)s") % {"on": status.on.strftime("%d/%m/%Y")}
                    if status.on is not None
                    else _("Bloc validé")
                )
            else:
                label = _("Bloc non validé")
            marks.update(dict.fromkeys((c.id for c in domain.competences), label))
        return marks
    labels = {level.id: level.label for level in framework.levels}
    for domain in framework.domains:
        level = deliberation.oral_levels.get(domain.id)
        if level:
            marks.update(dict.fromkeys((c.id for c in domain.competences), labels.get(level, level)))
    return marks


def _missing_reason(enrolment: Enrolment, latest: Deliberation | None, has_slot: bool) -> str:
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return _("Désisté")
    if enrolment.status == Enrolment.Status.ELIMINATED:
        return _("Éliminé : %(reason)s") % {"reason": enrolment.status_reason}
    if not has_slot:
        return _("Aucun oral programmé")
    if latest is None:
        return _("Aucune décision du jury")
    if latest.number > 1:
        return _("Décision rouverte, en harmonisation")
    return _("Décision en harmonisation")


def latest_deliberations(enrolments: QuerySet[Enrolment]) -> dict[int, Deliberation]:
    """The latest deliberation of each enrolment's oral, by enrolment id."""
    latest: dict[int, Deliberation] = {}
    for deliberation in (
        Deliberation.objects.filter(slot__enrolment__in=enrolments.values("pk"))
        .select_related("slot")
        .order_by("slot_id", "number")
    ):
        latest[deliberation.slot.enrolment_id] = deliberation
    return latest


def results_table(scope: Scope, enrolments: QuerySet[Enrolment]) -> ResultsTable:
    """One row per enrolment of ``enrolments`` (already limited to what the reader may see) in the
    scope whose latest deliberation is validated; the others are listed as missing, with why. The
    header depends only on the référentiel, so the files of every academy concatenate."""
    campaign = scope.campaign
    framework, _rules = framework_of(campaign.framework_version)
    columns = competence_columns(framework)
    labels = {level.id: level.label for level in framework.levels}
    selected = scope.filter(enrolments).select_related("candidate", "academy", "session", "oral_slot__jury")
    latest = latest_deliberations(selected)
    rows: list[list[Cell]] = []
    missing: list[MissingResult] = []
    for enrolment in selected.order_by(
        "academy__name", "candidate__birth_name", "candidate__first_names", "pk"
    ):
        candidate = enrolment.candidate
        session = enrolment.session
        slot = getattr(enrolment, "oral_slot", None)
        deliberation = latest.get(enrolment.pk)
        if (
            enrolment.status != Enrolment.Status.ENROLLED
            or slot is None
            or deliberation is None
            or deliberation.state != Deliberation.State.VALIDATED
        ):
            missing.append(
                MissingResult(
                    enrolment.pk,
                    candidate.usual_name or candidate.birth_name,
                    candidate.first_names,
                    enrolment.academy.name,
                    "" if session is None else session.label,
                    _missing_reason(enrolment, deliberation, slot is not None),
                )
            )
            continue
        final_level = labels.get(deliberation.final_level, "")
        if not final_level and not deliberation_outcome(deliberation).decides_by_verdicts:
            final_level = _("Aucun niveau")
        line = ResultLine(
            number=enrolment.pk,
            birth_name=candidate.birth_name,
            usual_name=candidate.usual_name,
            first_names=candidate.first_names,
            birth_date=candidate.birth_date,
            birth_place=candidate.birth_place,
            academy=enrolment.academy.name,
            campaign=campaign.title,
            session="" if session is None else session.label,
            session_date=None if session is None else _local_date(session.starts_at),
            training=enrolment.get_training_display(),
            school_level=enrolment.get_school_level_display(),
            jury=str(slot.jury),
            oral_date=_local_date(slot.starts_at),
            decision=str(OUTCOME_LABELS.get(deliberation.outcome, deliberation.outcome)),
            final_level=final_level,
            marks=competence_marks(framework, deliberation),
            decided_on=_local_date(deliberation.validated_at),
        )
        rows.append(result_row(line, columns))
    return ResultsTable(results_header(columns), rows, missing)


def scope_choices(campaign: Campaign, enrolments: QuerySet[Enrolment]) -> tuple[list[Academy], list[Session]]:
    """The academies and sessions of the enrolments the reader may export, for the downloads."""
    mine = enrolments.filter(campaign=campaign)
    academies = list(Academy.objects.filter(pk__in=mine.values("academy")).order_by("name"))
    sessions = list(Session.objects.filter(pk__in=mine.values("session")).order_by("starts_at", "pk"))
    return academies, sessions


@dataclass(frozen=True)
class MinutesLine:
    name: str
    first_names: str
    academy: str
    decision: str
    level: str
    decided_on: date | None


@dataclass(frozen=True)
class Minutes:
    """The content of a jury's minutes: its validated decisions and the candidates without one."""

    jury: Jury
    lines: list[MinutesLine]
    missing: list[MissingResult]
    counts: list[tuple[str, int]]


def minutes_of(jury: Jury) -> Minutes:
    """The candidates the jury heard, with their validated decision and level, and the counts."""
    campaign = jury.campaign
    framework, _rules = framework_of(campaign.framework_version)
    labels = {level.id: level.label for level in framework.levels}
    enrolments = Enrolment.objects.filter(oral_slot__jury=jury)
    table_latest = latest_deliberations(enrolments)
    lines: list[MinutesLine] = []
    missing: list[MissingResult] = []
    for enrolment in enrolments.select_related("candidate", "academy", "session").order_by(
        "oral_slot__starts_at", "pk"
    ):
        candidate = enrolment.candidate
        deliberation = table_latest.get(enrolment.pk)
        name = (candidate.usual_name or candidate.birth_name).upper()
        if (
            enrolment.status != Enrolment.Status.ENROLLED
            or deliberation is None
            or deliberation.state != Deliberation.State.VALIDATED
        ):
            missing.append(
                MissingResult(
                    enrolment.pk,
                    name,
                    candidate.first_names,
                    enrolment.academy.name,
                    "" if enrolment.session is None else enrolment.session.label,
                    _missing_reason(enrolment, deliberation, True),
                )
            )
            continue
        lines.append(
            MinutesLine(
                name,
                candidate.first_names,
                enrolment.academy.name,
                str(OUTCOME_LABELS.get(deliberation.outcome, deliberation.outcome)),
                labels.get(deliberation.final_level, ""),
                _local_date(deliberation.validated_at),
            )
        )
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.decision] = counts.get(line.decision, 0) + 1
    summary = [(_("Candidats convoqués devant le jury"), len(lines) + len(missing))]
    summary += [(decision, count) for decision, count in counts.items()]
    if missing:
        summary.append((_("Sans décision validée"), len(missing)))
    return Minutes(jury, lines, missing, summary)
