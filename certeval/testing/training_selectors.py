"""Reads for training (docs/testing.md, « Training »): whom it is for, which items it may serve, what
is due for replay, the competences with their counts and the progress over time.

**Who trains, on what.** A person with a ``campaigns.Candidate`` record: their most recent enrolment
in a campaign whose référentiel has an automated test names the bank (``automated_test_of``), the
référentiel whose labels are shown, and the audience (the enrolment's degree, premier or second).
Their ``TestProfile`` gives their accessibility needs.

**Servable items** (:func:`servable_items`): items of that bank in *active* status whose usage is
*practice* (certification-only items are never served, shown or counted here), for both degrees or
the person's own, with a current version whose compatibility list covers every need of the person.

**New items** are servable items the person was never served in any run (placement, training, later
the certification: :func:`seen_items`); **replays** are servable items with a ``ReviewCard`` (every
item answered in training has one) whose FSRS due date has passed.

The person's profile and the servable-items filter follow the same rule as the placement run's
adapter (``certeval/testing/engine.py``); they are written here with plain queries so that training
does not depend on the placement engine.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from fsrs import Card

from certeval.campaigns.models import Candidate, Enrolment
from certeval.core.dates import PARIS
from certeval.domain.cat.repetition import ReplayPlan
from certeval.frameworks.models import FrameworkVersion
from certeval.testing.defaults import DEFAULT_TRAINING
from certeval.testing.models import Item, Question, ReviewCard, Run, TestProfile
from certeval.testing.models.items import ItemStatus, ItemUsage, Level, Part
from certeval.testing.selectors import automated_test_of, candidate_of
from certeval.testing.selectors import bank_version_of as bank_version_of  # the callers read it here

LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


def training_settings() -> dict[str, Any]:
    """``settings.CERTEVAL_TRAINING`` over the documented defaults."""
    merged = dict(DEFAULT_TRAINING)
    merged.update(getattr(settings, "CERTEVAL_TRAINING", {}) or {})
    return merged


def replay_plan(expected_seconds: float | None = None) -> ReplayPlan:
    """The FSRS scheduler with the training settings, for an item of ``expected_seconds``."""
    config = training_settings()
    ratio = config["easy_ratio"]
    easy = None if ratio is None or expected_seconds is None else float(ratio) * float(expected_seconds)
    return ReplayPlan(desired_retention=float(config["desired_retention"]), easy_seconds=easy)


# --- the person ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trainee:
    """A person who trains, and what their training is drawn from."""

    candidate: Candidate
    bank: str | None  # None: no enrolment in a certification with an automated test
    audience: str  # "premier", "second" or "" (unknown: items for both degrees only)
    needs: tuple[str, ...]
    enrolment: Enrolment | None
    version: FrameworkVersion | None  # the certification's référentiel (competence labels)
    text_size: str = TestProfile.TextSize.NORMAL


def trainee_or_404(user: Any) -> Trainee:
    """The trainee a signed-in user is; 404 for a user without a candidate record."""
    candidate = candidate_of(user)
    if candidate is None:
        raise Http404("No candidate record.")
    return trainee_of(candidate)


def trainee_of(candidate: Candidate) -> Trainee:
    enrolments = (
        Enrolment.objects.filter(candidate=candidate)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("campaign__framework_version")
        .order_by("-created_at", "-pk")
    )
    chosen: Enrolment | None = None
    bank: str | None = None
    for enrolment in enrolments:
        bank = automated_test_of(enrolment.campaign.framework_version)
        if bank is not None:
            chosen = enrolment
            break
    profile = TestProfile.objects.filter(candidate=candidate).first()
    return Trainee(
        candidate=candidate,
        bank=bank,
        audience=chosen.school_level if chosen is not None else "",
        needs=tuple(sorted(profile.needs)) if profile is not None else (),
        enrolment=chosen,
        version=chosen.campaign.framework_version if chosen is not None else None,
        text_size=profile.text_size if profile is not None else TestProfile.TextSize.NORMAL,
    )


# --- items -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Servable:
    item_id: int
    version_id: int
    code: str
    part: str
    competence: str
    level: str


def servable_items(
    trainee: Trainee, part: str | None = None, competence: str | None = None
) -> list[Servable]:
    """The items training may serve the person (the rule in the module's docstring)."""
    if trainee.bank is None:
        return []
    rows = Item.objects.filter(
        bank=trainee.bank,
        usage=ItemUsage.PRACTICE,
        status=ItemStatus.ACTIVE,
        audience__in={"", trainee.audience},
        current__isnull=False,
    )
    if part is not None:
        rows = rows.filter(part=part)
    if competence is not None:
        rows = rows.filter(competence=competence)
    needs = set(trainee.needs)
    found = []
    for pk, version_id, code, item_part, item_competence, level, accessibility in rows.order_by(
        "part", "competence", "code"
    ).values_list("pk", "current_id", "code", "part", "competence", "level", "current__accessibility"):
        if needs <= set(accessibility or ()):
            found.append(Servable(pk, version_id, code, item_part, item_competence, level))
    return found


def seen_items(candidate: Candidate) -> set[int]:
    """Ids of the items on the person's profile — answered in any run — and of the items served in a
    run still in progress (shown, not answered yet): training never offers them as new."""
    questions = Question.objects.filter(run__candidate=candidate).filter(
        Q(answered_at__isnull=False) | Q(run__status=Run.Status.IN_PROGRESS)
    )
    return set(questions.values_list("item_version__item_id", flat=True))


def served_in(run: Run) -> set[int]:
    return set(run.questions.values_list("item_version__item_id", flat=True))


def open_session(candidate: Candidate, part: str, competence: str) -> Run | None:
    """The person's training session in progress on a competence (at most one, see the services)."""
    return (
        Run.objects.filter(
            candidate=candidate,
            kind=Run.Kind.TRAINING,
            status=Run.Status.IN_PROGRESS,
            competence=competence,
            settings__part=part,
        )
        .order_by("-started_at", "-pk")
        .first()
    )


# --- replays ---------------------------------------------------------------------------------------


def end_of_day(now: datetime) -> datetime:
    """The last instant of ``now``'s day in Paris."""
    local = now.astimezone(PARIS).date()
    return datetime.combine(local + timedelta(days=1), time.min, tzinfo=PARIS) - timedelta(microseconds=1)


@dataclass(frozen=True)
class DueCard:
    card: ReviewCard
    item: Servable
    ready: bool  # due now (False: later today)


def due_cards(trainee: Trainee, *, until: datetime, now: datetime | None = None) -> list[DueCard]:
    """The person's cards due by ``until`` whose item training may still serve, earliest first."""
    now = now or timezone.now()
    servable = {s.item_id: s for s in servable_items(trainee)}
    cards = (
        ReviewCard.objects.filter(candidate=trainee.candidate, due__lte=until)
        .select_related("item__current")
        .order_by("due", "pk")
    )
    return [DueCard(c, servable[c.item_id], c.due <= now) for c in cards if c.item_id in servable]


def next_replay(
    trainee: Trainee, part: str, competence: str, *, exclude: set[int], now: datetime
) -> Servable | None:
    """The most overdue replay of a competence, leaving out ``exclude`` (this session's items)."""
    servable = {s.item_id: s for s in servable_items(trainee, part, competence)}
    cards = ReviewCard.objects.filter(
        candidate=trainee.candidate, due__lte=now, item_id__in=list(servable)
    ).order_by("due", "pk")
    for card in cards:
        if card.item_id not in exclude:
            return servable[card.item_id]
    return None


def next_due_date(trainee: Trainee, part: str, competence: str) -> datetime | None:
    """When the next replay of a competence falls due (None: nothing to replay)."""
    ids = [s.item_id for s in servable_items(trainee, part, competence)]
    first = ReviewCard.objects.filter(candidate=trainee.candidate, item_id__in=ids).order_by("due").first()
    return first.due if first is not None else None


def retrievability(card: ReviewCard, now: datetime) -> float:
    plan = replay_plan()
    plan.cards["item"] = Card.from_dict(card.card)
    return plan.retrievability("item", now.astimezone(UTC))


# --- competences -----------------------------------------------------------------------------------


@dataclass
class CompetenceRow:
    part: str
    competence: str
    title: str
    available: int = 0  # servable items
    new: int = 0  # servable items never served to the person
    trained: int = 0  # servable items answered in training (with a card)
    due: int = 0  # cards due now
    in_progress: Run | None = None

    @property
    def key(self) -> str:
        return f"{self.part}/{self.competence}"


@dataclass
class DomainGroup:
    id: str
    title: str
    competences: list[CompetenceRow] = field(default_factory=list)


@dataclass
class PartGroup:
    part: str
    label: str
    domains: list[DomainGroup] = field(default_factory=list)


def _framework(framework_id: str) -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version_number").first()


def part_frameworks(trainee: Trainee) -> dict[str, FrameworkVersion | None]:
    """Each part of the automated test, with the référentiel that names its competences (the part's
    ``framework`` in ``rules.automated.parts``, else the certification's own)."""
    version = trainee.version
    if version is None:
        return {}
    parts = ((version.document.get("rules") or {}).get("automated") or {}).get("parts") or {}
    return {
        str(part): (_framework(str(spec["framework"])) if (spec or {}).get("framework") else version)
        for part, spec in parts.items()
    }


def competence_catalogue(trainee: Trainee) -> list[PartGroup]:
    """Every competence of the parts, grouped by part then domain, labelled from the published
    référentiels; competences of the bank's items missing from them come last, under their code."""
    groups: list[PartGroup] = []
    labels = dict(Part.choices)
    known: set[tuple[str, str]] = set()
    for part, framework in part_frameworks(trainee).items():
        group = PartGroup(part, str(labels.get(part, part)))
        for domain in (framework.document.get("domains") or []) if framework is not None else []:
            domain_group = DomainGroup(str(domain["id"]), str(domain.get("title") or ""))
            for competence in domain.get("competences") or []:
                domain_group.competences.append(
                    CompetenceRow(part, str(competence["id"]), str(competence.get("title") or ""))
                )
                known.add((part, str(competence["id"])))
            group.domains.append(domain_group)
        groups.append(group)
    extra = sorted({(s.part, s.competence) for s in servable_items(trainee)} - known)
    for part, competence in extra:
        found = next((g for g in groups if g.part == part), None)
        if found is None:
            found = PartGroup(part, str(labels.get(part, part)))
            groups.append(found)
        if not found.domains or found.domains[-1].id != "":
            found.domains.append(DomainGroup("", ""))
        found.domains[-1].competences.append(CompetenceRow(part, competence, ""))
    return groups


def competence_row(trainee: Trainee, part: str, competence: str) -> CompetenceRow | None:
    """One competence of the catalogue (None: unknown, or not a competence of the person's test)."""
    for group in competence_catalogue(trainee):
        if group.part != part:
            continue
        for domain in group.domains:
            for row in domain.competences:
                if row.competence == competence:
                    return row
    return None


def competences_with_counts(trainee: Trainee, now: datetime | None = None) -> list[PartGroup]:
    """The catalogue with, per competence, items available, new, trained, due now and the session in
    progress."""
    now = now or timezone.now()
    groups = competence_catalogue(trainee)
    servable = servable_items(trainee)
    seen = seen_items(trainee.candidate)
    cards = {
        item_id: due
        for item_id, due in ReviewCard.objects.filter(candidate=trainee.candidate).values_list(
            "item_id", "due"
        )
    }
    sessions = {
        (r.settings.get("part", ""), r.competence): r
        for r in Run.objects.filter(
            candidate=trainee.candidate, kind=Run.Kind.TRAINING, status=Run.Status.IN_PROGRESS
        ).order_by("started_at", "pk")
    }
    rows = {(row.part, row.competence): row for g in groups for d in g.domains for row in d.competences}
    for item in servable:
        row = rows.get((item.part, item.competence))
        if row is None:
            continue
        row.available += 1
        if item.item_id not in seen:
            row.new += 1
        if item.item_id in cards:
            row.trained += 1
            if cards[item.item_id] <= now:
                row.due += 1
    for key, run in sessions.items():
        if key in rows:
            rows[key].in_progress = run
    return groups


def competence_titles(trainee: Trainee) -> dict[tuple[str, str], str]:
    return {
        (row.part, row.competence): row.title
        for group in competence_catalogue(trainee)
        for domain in group.domains
        for row in domain.competences
    }


# --- sessions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSummary:
    run: Run
    answered: int
    right: int
    replays: int
    questions: list[Question]
    next_due: datetime | None
    end: str  # "" (in progress), "complete", "exhausted", "stopped"


def replayed_positions(run: Run, questions: Iterable[Question]) -> set[int]:
    """Positions of the run's questions that were replays: the person had answered the same item
    before (in training)."""
    result = set()
    for question in questions:
        earlier = Question.objects.filter(
            run__candidate_id=run.candidate_id,
            run__kind=Run.Kind.TRAINING,
            item_version__item_id=question.item_version.item_id,
            answered_at__isnull=False,
            answered_at__lt=question.served_at,
        ).exists()
        if earlier:
            result.add(question.position)
    return result


def session_summary(trainee: Trainee, run: Run) -> SessionSummary:
    questions = list(
        run.questions.filter(answered_at__isnull=False)
        .select_related("item_version__item")
        .order_by("position")
    )
    return SessionSummary(
        run=run,
        answered=len(questions),
        right=sum(1 for q in questions if q.correct),
        replays=len(replayed_positions(run, questions)),
        questions=questions,
        next_due=next_due_date(trainee, run.settings.get("part", ""), run.competence),
        end=str((run.outcome or {}).get("end", "")),
    )


# --- progress --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # Monday, Paris time
    answered: int
    right: int

    @property
    def share(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class Progress:
    part: str
    competence: str
    title: str
    weeks: list[Week]  # the last ``progress_weeks`` weeks, oldest first
    answered: int
    right: int
    retrievability: float | None  # mean FSRS probability of recall now, over the competence's cards
    cards: int


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def progress(trainee: Trainee, now: datetime | None = None) -> list[Progress]:
    """Per competence worked on in training: the share of right answers per week (Paris time) over the
    last ``progress_weeks`` weeks, all answers, and the mean FSRS retrievability of its cards now."""
    now = (now or timezone.now()).astimezone(UTC)  # FSRS reads UTC instants
    weeks = int(training_settings()["progress_weeks"])
    this_monday = _monday(now.astimezone(PARIS).date())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    answers: dict[tuple[str, str], dict[date, list[int]]] = {}
    totals: dict[tuple[str, str], list[int]] = {}
    rows = Question.objects.filter(
        run__candidate=trainee.candidate, run__kind=Run.Kind.TRAINING, answered_at__isnull=False
    ).values_list("item_version__item__part", "item_version__item__competence", "answered_at", "correct")
    for part, competence, answered_at, correct in rows:
        assert answered_at is not None
        key = (part, competence)
        week = _monday(answered_at.astimezone(PARIS).date())
        total = totals.setdefault(key, [0, 0])
        total[0] += 1
        total[1] += int(bool(correct))
        bucket = answers.setdefault(key, {}).setdefault(week, [0, 0])
        bucket[0] += 1
        bucket[1] += int(bool(correct))
    recall: dict[tuple[str, str], list[float]] = {}
    plan = replay_plan()
    for card in ReviewCard.objects.filter(candidate=trainee.candidate).select_related("item"):
        plan.cards[str(card.item_id)] = Card.from_dict(card.card)
        recall.setdefault((card.item.part, card.item.competence), []).append(
            plan.retrievability(str(card.item_id), now)
        )
    titles = competence_titles(trainee)
    order = {key: n for n, key in enumerate(titles)}
    result = []
    for key in sorted(totals, key=lambda k: (order.get(k, len(order)), k)):
        per_week = answers.get(key, {})
        values = recall.get(key, [])
        result.append(
            Progress(
                part=key[0],
                competence=key[1],
                title=titles.get(key, ""),
                weeks=[Week(m, *per_week.get(m, [0, 0])) for m in mondays],
                answered=totals[key][0],
                right=totals[key][1],
                retrievability=statistics.fmean(values) if values else None,
                cards=len(values),
            )
        )
    return result
