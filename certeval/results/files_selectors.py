"""Reads of the results files and the jury minutes: the table of validated decisions of a set of
enrolments, what is missing from it, and the content of a jury's minutes (the caller has checked
permissions with certeval.results.files_permissions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
from certeval.domain.rules.deliberation import BLOCKS, COMPETENCES, Verdicts, decided_verdicts, decision_kind
from certeval.frameworks.selectors import framework_of
from certeval.juries.models import Deliberation, Jury

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
    """The file's header and rows (empty when only counted), the number of validated decisions,
    and the candidates left out."""

    header: list[str]
    rows: list[list[Cell]]
    missing: list[MissingResult]
    decided: int

    @property
    def missing_header(self) -> list[str]:
        return list(MISSING_HEADER)


@dataclass(frozen=True)
class Scope:
    """The part of a campaign a file covers: the whole campaign, one academy, or one session."""

    campaign: Campaign
    academy: Academy | None = None
    session: Session | None = None
    # Birth data (birth date and place, and the birth name when a usual name exists) for organisers
    # and administrators; a jury president gets the same columns left empty (docs/privacy.md,
    # « Minimisation »), so that files still concatenate.
    birth_data: bool = True

    def filter(self, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        if self.academy is not None:
            enrolments = enrolments.filter(academy=self.academy)
        if self.session is not None:
            enrolments = enrolments.filter(session=self.session)
        return enrolments

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


class _Dates:
    """Paris dates of stored datetimes, each distinct one converted once (a file repeats them)."""

    def __init__(self) -> None:
        self._seen: dict[datetime, date] = {}

    def __call__(self, moment: datetime | None) -> date | None:
        if moment is None:
            return None
        found = self._seen.get(moment)
        if found is None:
            found = self._seen[moment] = timezone.localtime(moment).date()
        return found


MarkReader = Callable[[Any, Any], dict[str, str]]


def competence_marker(framework: Framework, kind: str) -> MarkReader:
    """Reads each competence's label in the file from a deliberation's oral levels and validations:
    « Validée » / « Non validée » for a référentiel decided by competences; the validation of its
    bloc for one decided by blocs; for a joint level (Pix+ Édu, INSPÉ), the level the jury gave its
    domain on the oral score sheet (the finest level recorded). Labels are translated once."""
    if kind == COMPETENCES:
        held_labels = {True: _("Validée"), False: _("Non validée")}

        def by_competence(_oral: Any, verdicts: Any) -> dict[str, str]:
            return {cid: held_labels[held] for cid, held in Verdicts.from_json(verdicts).competences.items()}

        return by_competence
    if kind == BLOCKS:
        blocs = [(d.id, [c.id for c in d.competences]) for d in framework.domains if d.kind == "bloc"]
        validated, not_validated = _("Bloc validé"), _("Bloc non validé")
        validated_on = _("Bloc validé le %(on)s")

        def by_bloc(_oral: Any, verdicts: Any) -> dict[str, str]:
            statuses = Verdicts.from_json(verdicts).blocks
            marks: dict[str, str] = {}
            for bloc, competences in blocs:
                status = statuses.get(bloc)
                if status is None:
                    continue
                if not status.validated:
                    label = not_validated
                elif status.on is None:
                    label = validated
                else:
                    label = validated_on % {"on": status.on.strftime("%d/%m/%Y")}
                marks.update(dict.fromkeys(competences, label))
            return marks

        return by_bloc
    labels = {level.id: level.label for level in framework.levels}
    domains = [(d.id, [c.id for c in d.competences]) for d in framework.domains]

    def by_domain_level(oral: Any, _verdicts: Any) -> dict[str, str]:
        marks: dict[str, str] = {}
        for domain, competences in domains if isinstance(oral, dict) else ():
            level = oral.get(domain)
            if level:
                marks.update(dict.fromkeys(competences, labels.get(level, level)))
        return marks

    return by_domain_level


def _missing_reason(status: str, status_reason: str, latest: _Latest | None, has_slot: bool) -> str:
    if status == Enrolment.Status.WITHDRAWN:
        return _("Désisté")
    if status == Enrolment.Status.ELIMINATED:
        return _("Éliminé : %(reason)s") % {"reason": status_reason}
    if not has_slot:
        return _("Aucun oral programmé")
    if latest is None:
        return _("Aucune décision du jury")
    if latest.number > 1:
        return _("Décision rouverte, en harmonisation")
    return _("Décision en harmonisation")


@dataclass(frozen=True, slots=True)
class _Latest:
    """The latest deliberation of an oral, as the file reads it."""

    number: int
    validated: bool
    outcome: str
    final_level: str
    oral_levels: Any
    verdicts: Any
    validated_at: datetime | None


def latest_deliberations(enrolments: QuerySet[Enrolment], kind: str) -> dict[int, _Latest]:
    """The latest deliberation of each enrolment's oral, by enrolment id (only the JSON the
    référentiel's kind of decision reads is fetched)."""
    latest: dict[int, _Latest] = {}
    verdict_kind = kind in (COMPETENCES, BLOCKS)
    fields = ["slot__enrolment_id", "number", "state", "outcome", "final_level", "validated_at"]
    fields.append("verdicts" if verdict_kind else "oral_levels")
    # The competences an explicit constraint kept from being validated (seed 000): not validated.
    fields.append("evaluation__final__details__blocked")
    rows = (
        Deliberation.objects.filter(slot__enrolment__in=enrolments.values("pk"))
        .order_by("slot_id", "number")
        .values_list(*fields)
    )
    for enrolment_id, number, state, outcome, final_level, validated_at, data, blocked in rows:
        if verdict_kind and blocked:
            data = decided_verdicts(Verdicts.from_json(data), blocked).to_json(COMPETENCES)
        latest[enrolment_id] = _Latest(
            number,
            state == Deliberation.State.VALIDATED,
            outcome,
            final_level,
            None if verdict_kind else data,
            data if verdict_kind else None,
            validated_at,
        )
    return latest


_ENROLMENT_FIELDS = (
    "pk",
    "status",
    "status_reason",
    "candidate__birth_name",
    "candidate__usual_name",
    "candidate__first_names",
    "candidate__birth_date",
    "candidate__birth_place",
    "academy_id",
    "session_id",
    "training",
    "school_level",
    "oral_slot__id",
    "oral_slot__starts_at",
    "oral_slot__jury_id",
)


def results_table(scope: Scope, enrolments: QuerySet[Enrolment], build_rows: bool = True) -> ResultsTable:
    """One row per enrolment of ``enrolments`` (already limited to what the reader may see) in the
    scope whose latest deliberation is validated; the others are listed as missing, with why. The
    header depends only on the référentiel, so the files of every academy concatenate. Without
    ``build_rows`` the decisions are only counted (the page's summary). Read as
    plain values (two queries) so that a national file of 100,000 rows stays fast."""
    campaign = scope.campaign
    framework, rules = framework_of(campaign.framework_version)
    kind = decision_kind(rules.final)
    columns = competence_columns(framework)
    labels = {level.id: level.label for level in framework.levels}
    no_level = "" if kind in (COMPETENCES, BLOCKS) else _("Aucun niveau")
    outcomes = {code: str(label) for code, label in Deliberation.Outcome.choices}
    trainings = {code: str(label) for code, label in Enrolment.Training.choices}
    school_levels = {code: str(label) for code, label in Enrolment.SchoolLevel.choices}
    # Academies, sessions and juries are few: read once, by id (a row reads only their ids).
    academies = dict(Academy.objects.values_list("pk", "name"))
    sessions = {
        pk: (label, _local_date(starts_at))
        for pk, label, starts_at in Session.objects.filter(campaign=campaign).values_list(
            "pk", "label", "starts_at"
        )
    }
    juries = {jury.pk: str(jury) for jury in Jury.objects.filter(campaign=campaign).only("pk", "number")}
    marker = competence_marker(framework, kind)
    local = _Dates()
    selected = scope.filter(enrolments)
    latest = latest_deliberations(selected, kind)
    rows: list[list[Cell]] = []
    missing: list[MissingResult] = []
    decided = 0
    ordered = selected.order_by("academy__name", "candidate__birth_name", "candidate__first_names", "pk")
    for (
        pk,
        status,
        status_reason,
        birth_name,
        usual_name,
        first_names,
        birth_date,
        birth_place,
        academy_id,
        session_id,
        training,
        school_level,
        slot_id,
        oral_start,
        jury_id,
    ) in ordered.values_list(*_ENROLMENT_FIELDS).iterator(chunk_size=5000):
        deliberation = latest.get(pk)
        academy = academies[academy_id]
        session, session_date = sessions.get(session_id, ("", None))
        if (
            status != Enrolment.Status.ENROLLED
            or slot_id is None
            or deliberation is None
            or not deliberation.validated
        ):
            missing.append(
                MissingResult(
                    pk,
                    usual_name or birth_name,
                    first_names,
                    academy,
                    session,
                    _missing_reason(status, status_reason, deliberation, slot_id is not None),
                )
            )
            continue
        decided += 1
        if not build_rows:
            continue
        if not scope.birth_data:
            birth_date, birth_place = None, ""
            birth_name = "" if usual_name else birth_name
        line = ResultLine(
            number=pk,
            birth_name=birth_name,
            usual_name=usual_name,
            first_names=first_names,
            birth_date=birth_date,
            birth_place=birth_place,
            academy=academy,
            campaign=campaign.title,
            session=session,
            session_date=session_date,
            training=trainings.get(training, training),
            school_level=school_levels.get(school_level, school_level),
            jury=juries.get(jury_id, ""),
            oral_date=local(oral_start),
            decision=outcomes.get(deliberation.outcome, deliberation.outcome),
            final_level=labels.get(deliberation.final_level, "") or no_level,
            marks=marker(deliberation.oral_levels, deliberation.verdicts),
            decided_on=local(deliberation.validated_at),
        )
        rows.append(result_row(line, columns))
    return ResultsTable(results_header(columns), rows, missing, decided)


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
    framework, rules = framework_of(campaign.framework_version)
    labels = {level.id: level.label for level in framework.levels}
    enrolments = Enrolment.objects.filter(oral_slot__jury=jury)
    table_latest = latest_deliberations(enrolments, decision_kind(rules.final))
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
            or not deliberation.validated
        ):
            missing.append(
                MissingResult(
                    enrolment.pk,
                    name,
                    candidate.first_names,
                    enrolment.academy.name,
                    "" if enrolment.session is None else enrolment.session.label,
                    _missing_reason(enrolment.status, enrolment.status_reason, deliberation, True),
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
