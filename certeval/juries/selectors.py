"""Reads of juries (the caller has already checked permissions with certeval.juries.permissions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import mean
from typing import Any, cast

from django.db.models import Count, Field, Prefetch, Q, QuerySet

from certeval.campaigns.inspe_mentions import has_mentions
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.titre_selectors import bloc_rule, titre_plan
from certeval.core.dates import PARIS
from certeval.domain.framework import Criterion, Framework, GridItem, GridPhase, ScoreSheet, ScoringGrid
from certeval.domain.juries import Candidate, Instance, RoleGroup, Rule
from certeval.domain.juries import Juror as SolverJuror
from certeval.domain.juries.agreement import Unit, agreement_report, disagreements, rater_severity
from certeval.domain.rules import RuleSet
from certeval.domain.rules.deliberation import DeliberationOutcome, Verdicts
from certeval.domain.rules.deliberation import decided_verdicts as domain_decided_verdicts
from certeval.domain.rules.titre_blocs import grid_ids
from certeval.dossiers.models import DossierState
from certeval.juries.models import (
    CandidateSchool,
    Deliberation,
    GridScore,
    Juror,
    JurorFeedback,
    Jury,
    JuryMember,
    JuryQuestion,
    JurySettings,
    Meeting,
    OralSlot,
)
from certeval.juries.presidency import annotate_presidency


def slot_grid(slot: OralSlot, framework: Framework, rules: RuleSet) -> ScoringGrid:
    """The grid scored for one candidate: the campaign's (:func:`dossier_grid`); for a title by
    blocs, only the grids of the blocs they present and the final interview's when they take it
    (seed 003; docs/certifications/titre.md)."""
    grid = dossier_grid(framework, rules)
    if bloc_rule(slot.jury.campaign) is None:
        return grid
    plan = titre_plan(slot.enrolment)
    if plan is None:
        return grid
    keep = grid_ids(framework, plan.blocs, with_final_interview=plan.with_final_interview)
    phases = tuple(p for p in grid.phases if p.id in keep)
    return replace(grid, phases=phases) if phases else grid


def dossier_grid(framework: Framework, rules: RuleSet) -> ScoringGrid:
    """The grid the jurors score: the one the dossier rule names; else the framework's grids one
    after the other (a bloc référentiel has one per bloc and one for the final interview); else,
    for a référentiel without grid, its competences as items and their criteria (a competence
    without criteria is its own criterion)."""
    if rules.dossier is not None:
        return framework.grid(rules.dossier.grid)
    if len(framework.grids) == 1:
        return framework.grids[0]
    levels = tuple(level.id for level in framework.levels)
    if framework.grids:
        phases = tuple(GridPhase(grid.id, grid.title, grid.items) for grid in framework.grids)
        return ScoringGrid("jury", framework.title, levels, phases)
    phases = tuple(
        GridPhase(
            domain.id,
            domain.title,
            tuple(
                GridItem(c.id, f"{c.id} — {c.title}", c.criteria or (Criterion(c.id, c.title),))
                for c in domain.competences
            ),
        )
        for domain in framework.domains
    )
    return ScoringGrid("jury", framework.title, levels, phases)


def oral_sheet(framework: Framework, rules: RuleSet) -> ScoreSheet | None:
    if rules.oral is not None:
        return framework.score_sheet(rules.oral.sheet)
    return framework.score_sheets[0] if framework.score_sheets else None


def level_choices(campaign: Campaign) -> list[tuple[str, str]]:
    """The levels of the campaign's référentiel, as ``(id, label)``."""
    return campaign.level_choices


def pool_of(campaign: Campaign) -> list[Juror]:
    """The campaign's juror pool with what the pool page shows."""
    return list(
        Juror.objects.filter(campaign=campaign)
        .select_related("user", "academy")
        .prefetch_related("conflict_enrolments__candidate")
    )


def jury_settings_of(campaign: Campaign) -> JurySettings:
    """The campaign's jury settings; the defaults (unsaved) when none were recorded."""
    found = JurySettings.objects.filter(campaign=campaign).first()
    return found if found is not None else JurySettings(campaign=campaign)


def rule_of(settings: JurySettings) -> Rule:
    groups = tuple(
        RoleGroup(frozenset(g["roles"]), int(g.get("min", 0)), int(g.get("max", settings.size)))
        for g in settings.groups
    )
    return Rule(settings.size, groups, settings.same_academy)


def candidates_to_compose(campaign: Campaign) -> QuerySet[Enrolment]:
    """Candidates heard by a jury: still enrolled, with a deposited (frozen) dossier — not the
    students evaluated by their teachers: on a référentiel with mentions (INSPÉ, seed 002), initial
    training is evaluated by the teachers (certeval.juries.teacher_services), continuing training
    by a jury."""
    enrolments = (
        Enrolment.objects.filter(
            campaign=campaign, status=Enrolment.Status.ENROLLED, dossier__state=DossierState.SUBMITTED
        )
        .exclude(oral_slot__jury__kind=Jury.Kind.TEACHERS)
        .select_related("candidate", "academy", "dossier")
        .order_by("pk")
    )
    if has_mentions(campaign):
        enrolments = enrolments.exclude(training=Enrolment.Training.INITIAL)
    return enrolments


def candidate_key(enrolment_id: int) -> str:
    return f"C{enrolment_id}"


def juror_key(juror_id: int) -> str:
    return f"J{juror_id}"


@dataclass
class CompositionInput:
    instance: Instance
    names: dict[str, str]
    enrolments: dict[str, Enrolment]
    jurors: dict[str, Juror]
    settings: JurySettings
    earliest: date | None = None


def composition_input(campaign: Campaign) -> CompositionInput:
    """The solver instance of a campaign: its candidates, its juror pool and its jury rule."""
    settings = jury_settings_of(campaign)
    pool = list(
        Juror.objects.filter(campaign=campaign)
        .select_related("user", "academy")
        .prefetch_related("conflict_enrolments")
        .order_by("pk")
    )
    enrolments = list(candidates_to_compose(campaign))
    schools = dict(
        CandidateSchool.objects.filter(enrolment__in=[e.pk for e in enrolments]).values_list(
            "enrolment_id", "uai"
        )
    )
    conflicts: dict[int, set[str]] = defaultdict(set)
    for juror in pool:
        for enrolment in juror.conflict_enrolments.all():
            conflicts[enrolment.pk].add(juror_key(juror.pk))
        declared = {uai.strip().upper() for uai in juror.conflict_schools}
        for enrolment in enrolments:
            if schools.get(enrolment.pk, "").strip().upper() in declared:
                conflicts[enrolment.pk].add(juror_key(juror.pk))
    earliest = earliest_oral_date(campaign, enrolments)
    instance = Instance(
        rule=rule_of(settings),
        halfday_slots=settings.halfday_slots,
        earliest_date=None if earliest is None else earliest.isoformat(),
        candidates=tuple(
            Candidate(candidate_key(e.pk), e.academy.code, frozenset(conflicts[e.pk])) for e in enrolments
        ),
        jurors=tuple(
            SolverJuror(juror_key(j.pk), j.role, j.academy.code, frozenset(j.halfdays), j.max_load)
            for j in pool
        ),
    )
    names = {candidate_key(e.pk): e.candidate.display_name for e in enrolments}
    names |= {juror_key(j.pk): j.display_name for j in pool}
    return CompositionInput(
        instance=instance,
        names=names,
        enrolments={candidate_key(e.pk): e for e in enrolments},
        jurors={juror_key(j.pk): j for j in pool},
        settings=settings,
        earliest=earliest,
    )


def earliest_oral_date(campaign: Campaign, enrolments: list[Enrolment]) -> date | None:
    """The first day an oral may take place: the latest freeze of these candidates' dossiers (Paris
    day; the dossiers reach the jurors together) plus the campaign's reading delay (None without
    a frozen dossier)."""
    frozen = [
        e.dossier.frozen_at for e in enrolments if hasattr(e, "dossier") and e.dossier.frozen_at is not None
    ]
    if not frozen:
        return None
    return max(frozen).astimezone(PARIS).date() + timedelta(days=campaign.reading_delay_days)


def juries_of(campaign: Campaign) -> list[Jury]:
    """The campaign's juries, each with who presides it and its members' roles as shown."""
    return juries_shown(Jury.objects.filter(campaign=campaign))


def juries_shown(juries: QuerySet[Jury]) -> list[Jury]:
    """These juries with their members and orals, each with who presides it and its members' roles
    as shown, by half-day and number."""
    return [
        annotate_presidency(jury)
        for jury in juries.filter(kind=Jury.Kind.COMPOSED)
        .select_related("group__president")
        .prefetch_related(
            Prefetch("members", queryset=JuryMember.objects.select_related("juror__user", "juror__academy")),
            Prefetch(
                "slots",
                queryset=OralSlot.objects.select_related("enrolment__candidate", "enrolment__academy"),
            ),
        )
        .order_by("halfday", "number")
    ]


def jury_detail(jury_id: int) -> Jury:
    """One jury, with who presides it and its members' roles as shown."""
    return annotate_presidency(
        Jury.objects.select_related("campaign__framework_version", "group__president")
        .prefetch_related(
            Prefetch("members", queryset=JuryMember.objects.select_related("juror__user", "juror__academy")),
            Prefetch(
                "slots",
                queryset=OralSlot.objects.select_related(
                    "enrolment__candidate", "enrolment__academy"
                ).order_by("index"),
            ),
        )
        .get(pk=jury_id)
    )


def slots_of_user(user_id: int) -> list[OralSlot]:
    """The orals a juror sits on, soonest first."""
    return list(
        OralSlot.objects.filter(jury__members__juror__user_id=user_id)
        .select_related("jury__campaign", "enrolment__candidate")
        .order_by("starts_at", "pk")
    )


def latest_deliberation_states(**slots: Any) -> dict[int, str]:
    """State of each oral's latest deliberation (a reopened decision is the new draft), for the
    orals selected by ``slots`` (lookups on ``Deliberation``)."""
    return dict(
        Deliberation.objects.filter(**slots).order_by("slot_id", "number").values_list("slot_id", "state")
    )


def scoring_progress_of_user(user_id: int, slots: list[OralSlot]) -> dict[int, tuple[str, int]]:
    """Where a juror stands on each of their orals: ``todo``, ``started``, ``submitted`` or
    ``decided`` (the jury's decision is validated), with the number of criteria they scored."""
    ids = [slot.pk for slot in slots]
    own = {s.slot_id: s for s in GridScore.objects.filter(juror__user_id=user_id, slot_id__in=ids)}
    deliberations = latest_deliberation_states(slot_id__in=ids)
    progress = {}
    for slot_id in ids:
        score = own.get(slot_id)
        scored = len(score.levels) if score else 0
        if deliberations.get(slot_id) == Deliberation.State.VALIDATED:
            state = "decided"
        elif score is not None and score.submitted_at is not None:
            state = "submitted"
        else:
            state = "started" if scored else "todo"
        progress[slot_id] = (state, scored)
    return progress


def decided_counts(juries: list[Jury]) -> dict[int, tuple[int, int]]:
    """For each jury: how many of its candidates have a validated decision (their latest
    deliberation is validated), and how many candidates it hears."""
    ids = [jury.pk for jury in juries]
    states = latest_deliberation_states(slot__jury_id__in=ids)
    decided: dict[int, int] = defaultdict(int)
    for slot_id, jury_id in OralSlot.objects.filter(pk__in=list(states)).values_list("pk", "jury_id"):
        if states[slot_id] == Deliberation.State.VALIDATED:
            decided[jury_id] += 1
    heard = dict(
        OralSlot.objects.filter(jury_id__in=ids)
        .values("jury_id")
        .annotate(n=Count("pk"))
        .values_list("jury_id", "n")
    )
    return {jury_id: (decided[jury_id], heard.get(jury_id, 0)) for jury_id in ids}


def latest_run(campaign: Campaign) -> Any:
    return campaign.composition_runs.select_related("by").first()


def meetings_of(campaign: Campaign) -> list[Meeting]:
    return list(
        Meeting.objects.filter(Q(group__campaign=campaign) | Q(regroupement__campaign=campaign))
        .select_related("group", "regroupement", "recorded_by")
        .prefetch_related("attendees")
    )


def _meetings_for(jury: Jury) -> QuerySet[Meeting]:
    """The meetings that concern a jury: its group's, and its regroupement's (all its juries)."""
    return Meeting.objects.filter(Q(group_id=jury.group_id) | Q(regroupement__jury_groups=jury.group_id))


def meetings_of_jury(jury: Jury) -> list[Meeting]:
    return list(_meetings_for(jury).distinct().select_related("recorded_by").prefetch_related("attendees"))


def scoring_open(jury: Jury, settings: JurySettings) -> bool:
    """Scoring opens once the calibration meeting of the jury's group (or regroupement) is recorded
    (when the setting asks)."""
    if not settings.scoring_after_calibration:
        return True
    return _meetings_for(jury).filter(kind=Meeting.Kind.CALIBRATION).exists()


def level_rank(framework: Framework) -> dict[str, int]:
    return {level.id: rank for rank, level in enumerate(framework.levels, start=1)}


def score_units(scores: list[GridScore], ranks: dict[str, int], criteria: list[str]) -> dict[str, Unit]:
    """One unit per criterion: juror key → level rank (None when non observable or unscored)."""
    return {
        criterion: {juror_key(s.juror_id): ranks.get(s.levels.get(criterion, "")) for s in scores}
        for criterion in criteria
    }


@dataclass
class CandidateAgreement:
    slot: OralSlot
    submitted: int
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    deliberation: str = ""  # state of the latest deliberation, "" before the first one


@dataclass
class JuryAgreement:
    """What the harmonisation page shows for one jury."""

    alpha: float | None
    campaign_alpha: float | None
    severity: list[dict[str, Any]]
    candidates: list[CandidateAgreement]


def _submitted_scores(slot_ids: list[int]) -> dict[int, list[GridScore]]:
    by_slot: dict[int, list[GridScore]] = defaultdict(list)
    for score in GridScore.objects.filter(slot_id__in=slot_ids, submitted_at__isnull=False).select_related(
        "juror__user"
    ):
        by_slot[score.slot_id].append(score)
    return by_slot


def jury_agreement(jury: Jury, framework: Framework, grid: ScoringGrid) -> JuryAgreement:
    """Disagreements of ≥ 2 levels per candidate, each juror's severity against the group and
    Krippendorff's alpha (ordinal) for this jury and for the whole campaign (submitted scores)."""
    ranks = level_rank(framework)
    labels = {level.id: level.label for level in framework.levels}
    by_rank = {rank: level_id for level_id, rank in ranks.items()}
    criteria = [c.id for phase in grid.phases for item in phase.items for c in item.criteria]
    campaign_slots = list(
        OralSlot.objects.filter(jury__campaign_id=jury.campaign_id).values_list("pk", "jury_id")
    )
    scores = _submitted_scores([pk for pk, _jury in campaign_slots])
    jury_of_slot = dict(campaign_slots)
    units_by_jury: dict[str, list[Unit]] = defaultdict(list)
    for slot_id, slot_scores in scores.items():
        units = score_units(slot_scores, ranks, criteria)
        units_by_jury[str(jury_of_slot[slot_id])].extend(units.values())
    report = agreement_report(units_by_jury)
    names: dict[str, str] = {}
    candidates = []
    jury_units: list[Unit] = []
    deliberations = latest_deliberation_states(slot__jury=jury)
    for slot in jury.slots.all():
        slot_scores = scores.get(slot.pk, [])
        names |= {juror_key(s.juror_id): s.juror.display_name for s in slot_scores}
        units = score_units(slot_scores, ranks, criteria)
        jury_units.extend(units.values())
        found = [
            {
                "criterion": d.unit,
                "spread": int(d.spread),
                "values": [
                    (names[key], labels[by_rank[int(value)]]) for key, value in sorted(d.values.items())
                ],
            }
            for d in disagreements(units, threshold=2)
        ]
        candidates.append(CandidateAgreement(slot, len(slot_scores), found, deliberations.get(slot.pk, "")))
    severity = [
        {"juror": names.get(s.rater, s.rater), "deviation": s.mean_deviation, "units": s.units}
        for s in rater_severity(jury_units)
    ]
    return JuryAgreement(
        alpha=report.per_jury.get(str(jury.pk)),
        campaign_alpha=report.pooled,
        severity=severity,
        candidates=candidates,
    )


def grid_scores_of(slot: OralSlot) -> list[GridScore]:
    return list(slot.grid_scores.select_related("juror__user").order_by("juror__user__last_name", "pk"))


def current_deliberation(slot: OralSlot) -> Deliberation | None:
    """The draft if one is open, else the latest validated deliberation."""
    return slot.deliberations.order_by("-number").first()


def validated_deliberation(slot: OralSlot) -> Deliberation | None:
    return slot.deliberations.filter(state=Deliberation.State.VALIDATED).order_by("-number").first()


def decision_outcomes(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per campaign, the number of candidates per outcome of their latest validated deliberation (a
    reopened decision counts with the decision it replaces until the new one is validated)."""
    rows = (
        Deliberation.objects.filter(
            slot__enrolment__campaign_id__in=campaign_ids, state=Deliberation.State.VALIDATED
        )
        .order_by("slot_id", "number")
        .values_list("slot_id", "slot__enrolment__campaign_id", "outcome")
    )
    latest = {slot_id: (campaign_id, outcome) for slot_id, campaign_id, outcome in rows}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for campaign_id, outcome in latest.values():
        counts[campaign_id][outcome] = counts[campaign_id].get(outcome, 0) + 1
    return dict(counts)


def deliberation_verdicts(deliberation: Deliberation | None) -> Verdicts:
    """The jury's validations recorded on a deliberation, typed (the only reader of its JSON)."""
    return Verdicts.from_json(None if deliberation is None else deliberation.verdicts)


def decided_verdicts(deliberation: Deliberation | None) -> Verdicts:
    """The validations as the decision counts them (a competence whose explicit constraint is not
    met counts as not validated, seed 000), for what results, files and score sheets show."""
    verdicts = deliberation_verdicts(deliberation)
    if deliberation is None:
        return verdicts
    details = deliberation_outcome(deliberation).final.details or {}
    return domain_decided_verdicts(verdicts, details.get("blocked"))


def deliberation_outcome(deliberation: Deliberation) -> DeliberationOutcome:
    """The levels and decision stored on a deliberation, typed (the only reader of its JSON)."""
    return DeliberationOutcome.from_json(deliberation.evaluation)


def jury_questions_of(campaign: Campaign, framework: Framework) -> list[dict[str, Any]]:
    """The question bank by domain: Annexe 8 of the référentiel, then the jurors' own questions."""
    domains = {d.id: d.title for d in framework.domains}
    by_domain: dict[str, list[dict[str, str]]] = defaultdict(list)
    for question in framework.extras.get("jury_questions", ()):
        jury = question.get("jury")
        by_domain[str(question["domain"])].append(
            {"text": question["question"], "source": f"Annexe 8 ({jury})" if jury else "Annexe 8"}
        )
    for own in JuryQuestion.objects.filter(campaign=campaign).select_related("author"):
        by_domain[own.domain].append(
            {"text": own.text, "source": own.author.get_full_name() or own.author.email}
        )
    return [
        {"domain": domain_id, "title": domains.get(domain_id, domain_id), "questions": by_domain[domain_id]}
        for domain_id in [*domains, *sorted(set(by_domain) - set(domains))]
        if by_domain[domain_id]
    ]


def feedback_summary(campaign: Campaign) -> dict[str, Any]:
    """Mean and distribution (1–4) per topic, and the comments, over the jurors' answers."""
    answers = list(JurorFeedback.objects.filter(juror__campaign=campaign).order_by("submitted_at"))
    topics = []
    for topic in JurorFeedback.TOPICS:
        values = [getattr(a, topic) for a in answers]
        topics.append(
            {
                "topic": topic,
                # TOPICS names fields of the model, never a relation.
                "label": cast("Field[Any, Any]", JurorFeedback._meta.get_field(topic)).verbose_name,
                "mean": round(mean(values), 2) if values else None,
                "counts": [values.count(v) for v in (1, 2, 3, 4)],
            }
        )
    return {
        "answers": len(answers),
        "jurors": Juror.objects.filter(campaign=campaign).count(),
        "topics": topics,
        "comments": [a.comment for a in answers if a.comment.strip()],
    }
