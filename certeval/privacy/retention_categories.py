"""The categories of personal data the retention job looks at, each with the date its period counts
from and what removing it does (docs/privacy.md, « Retention »).

A category finds what is *due*: one item per person and campaign whose period is over. Sign-ins are
rows of the insert-only audit log: the job reports them with nothing due until the audit context
registers a way to remove them with ``register``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from certeval.audit.models import Consultation
from certeval.campaigns.models import (
    Campaign,
    CampaignRole,
    CampaignState,
    CampaignTransition,
    Candidate,
    Enrolment,
    ReviewerAssignment,
)
from certeval.core.retention_defaults import DEFAULT_RETENTION
from certeval.dossiers.models import DossierFile
from certeval.privacy import retention_anonymise as anonymise
from certeval.privacy.retention_models import AnonymisedPerson, RetentionCategory
from certeval.results.models import Award, SessionPublication
from certeval.testing.models import ProctoringEvent, Question, SittingMessage


def retention_settings() -> dict[str, Any]:
    """``CERTEVAL_RETENTION`` merged over the documented defaults, key by key."""
    merged: dict[str, Any] = {}
    configured = getattr(settings, "CERTEVAL_RETENTION", {}) or {}
    for key, default in DEFAULT_RETENTION.items():
        value = configured.get(key, default)
        merged[key] = {**default, **value} if isinstance(default, dict) and isinstance(value, dict) else value
    return merged


@dataclass(frozen=True)
class Due:
    """What one person has of one category in one campaign, due since ``due_at``."""

    category: str
    candidate_id: int
    campaign_id: int | None
    due_at: datetime
    count: int
    enrolment_ids: tuple[int, ...] = ()
    run_ids: tuple[int, ...] = ()  # test responses of runs outside any enrolment


Finder = Callable[[datetime, int], list[Due]]
Remover = Callable[[Due, datetime], int]


@dataclass(frozen=True)
class Category:
    key: str
    find: Finder
    remove: Remover


def _first_transition(state: str) -> dict[int, datetime]:
    found: dict[int, datetime] = {}
    for campaign_id, at in (
        CampaignTransition.objects.filter(to_state=state).order_by("at").values_list("campaign_id", "at")
    ):
        found.setdefault(campaign_id, at)
    return found


def result_published_at(enrolment_ids: Iterable[int]) -> dict[int, datetime]:
    """When each enrolment's result was published: its session's own publication, else the
    campaign's move to « Résultats publiés » (absent: not published yet, nothing is due)."""
    campaigns = _first_transition(CampaignState.PUBLISHED)
    sessions = dict(SessionPublication.objects.values_list("session_id", "published_at"))
    found: dict[int, datetime] = {}
    for pk, campaign_id, session_id in Enrolment.objects.filter(pk__in=list(enrolment_ids)).values_list(
        "pk", "campaign_id", "session_id"
    ):
        at = sessions.get(session_id) if session_id else None
        at = at or campaigns.get(campaign_id)
        if at is not None:
            found[pk] = at
    return found


def campaign_closed_at() -> dict[int, datetime]:
    """When each campaign closed: archived, else its results published."""
    return {**_first_transition(CampaignState.PUBLISHED), **_first_transition(CampaignState.ARCHIVED)}


def _per_enrolment(category: str, counts: dict[int, int], days: int, now: datetime) -> list[Due]:
    published = result_published_at(counts)
    rows = Enrolment.objects.filter(pk__in=list(published)).values_list("pk", "candidate_id", "campaign_id")
    due: list[Due] = []
    for pk, candidate_id, campaign_id in rows:
        at = published[pk] + timedelta(days=days)
        if at <= now:
            due.append(Due(category, candidate_id, campaign_id, at, counts[pk], (pk,)))
    return due


def _count_by(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for key, n in rows:
        if key is not None:
            counts[key] += n
    return counts


def find_proctoring(now: datetime, days: int) -> list[Due]:
    counts = _count_by(
        [
            *ProctoringEvent.objects.values("sitting__enrolment_id")
            .annotate(n=Count("pk"))
            .values_list("sitting__enrolment_id", "n"),
            *SittingMessage.objects.values("sitting__enrolment_id")
            .annotate(n=Count("pk"))
            .values_list("sitting__enrolment_id", "n"),
        ]
    )
    return _per_enrolment(RetentionCategory.PROCTORING_EVENTS, counts, days, now)


def find_responses(now: datetime, days: int) -> list[Due]:
    """Answers of the runs of an enrolment (a run of a campaign without its enrolment counts for the
    person's enrolment in that campaign) from its result's publication; answers of runs outside any
    campaign (training, a placement run on one's own, pilot runs) from the run's end (its last answer
    when it was left unfinished)."""
    answered = Question.objects.filter(response__isnull=False)
    counts = _count_by(
        answered.filter(run__enrolment__isnull=False)
        .values("run__enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("run__enrolment_id", "n")
    )
    enrolment_of = {
        (candidate_id, campaign_id): pk
        for pk, candidate_id, campaign_id in Enrolment.objects.values_list(
            "pk", "candidate_id", "campaign_id"
        )
    }
    loose: dict[int, list[tuple[int, datetime | None, int]]] = defaultdict(list)
    for run_id, candidate_id, campaign_id, finished_at, n in (
        answered.filter(run__enrolment__isnull=True)
        .values("run_id", "run__candidate_id", "run__campaign_id")
        .annotate(n=Count("pk"), ended=Max(Coalesce("run__finished_at", "answered_at", "run__started_at")))
        .values_list("run_id", "run__candidate_id", "run__campaign_id", "ended", "n")
    ):
        enrolment = enrolment_of.get((candidate_id, campaign_id)) if campaign_id else None
        if enrolment is not None:
            counts[enrolment] += n
        else:
            loose[candidate_id].append((run_id, finished_at, n))
    due = _per_enrolment(RetentionCategory.TEST_RESPONSES, counts, days, now)
    # Runs of a campaign without the enrolment were counted with it: remove them with it too.
    for candidate_id, runs in loose.items():
        ended = [
            (run_id, at, n) for run_id, at, n in runs if at is not None and at + timedelta(days=days) <= now
        ]
        if ended:
            at = max(a for _r, a, _n in ended if a is not None) + timedelta(days=days)
            due.append(
                Due(
                    RetentionCategory.TEST_RESPONSES,
                    candidate_id,
                    None,
                    at,
                    sum(n for _r, _a, n in ended),
                    run_ids=tuple(r for r, _a, _n in ended),
                )
            )
    return due


def find_dossiers(now: datetime, days: int) -> list[Due]:
    counts = _count_by(
        DossierFile.objects.exclude(title=anonymise.ERASED_TITLE)
        .values("dossier__enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("dossier__enrolment_id", "n")
    )
    return _per_enrolment(RetentionCategory.DOSSIERS, counts, days, now)


def find_identities(now: datetime, days: int) -> list[Due]:
    """Persons who hold no award and no staff role, whose every campaign closed more than ``days``
    ago: their identity is due, counted from the last of those closings (attributed to that
    campaign)."""
    closed = campaign_closed_at()
    holders = Award.objects.values("candidate_id")
    done = AnonymisedPerson.objects.values("candidate_id")
    staff = CampaignRole.objects.values("user_id").union(ReviewerAssignment.objects.values("user_id"))
    persons = (
        Candidate.objects.exclude(pk__in=holders)
        .exclude(pk__in=done)
        .exclude(user__is_staff=True)
        .exclude(user__is_superuser=True)
        .exclude(user_id__in=[row["user_id"] for row in staff])
        .annotate(n=Count("enrolments"))
        .filter(n__gt=0)
        .values_list("pk", flat=True)
    )
    campaigns_of: dict[int, list[int]] = defaultdict(list)
    for candidate_id, campaign_id in Enrolment.objects.filter(candidate_id__in=persons).values_list(
        "candidate_id", "campaign_id"
    ):
        campaigns_of[candidate_id].append(campaign_id)
    due: list[Due] = []
    for candidate_id, campaign_ids in campaigns_of.items():
        if any(cid not in closed for cid in campaign_ids):
            continue  # a campaign still running: the identity is needed
        last = max(campaign_ids, key=lambda cid: closed[cid])
        at = closed[last] + timedelta(days=days)
        if at <= now:
            due.append(Due(RetentionCategory.ENROLMENTS, candidate_id, last, at, 1))
    return due


def nothing_due(now: datetime, days: int) -> list[Due]:
    return []


def find_consultations(now: datetime, days: int) -> list[Due]:
    """Rows of the consultation log (who opened a candidate's file) older than the period, per
    candidate and campaign; each row is due ``days`` after it was written."""
    rows = list(
        Consultation.objects.filter(at__lte=now - timedelta(days=days))
        .values("person_id", "campaign_id")
        .annotate(n=Count("pk"), last=Max("at"))
    )
    candidates = dict(
        Candidate.objects.filter(user_id__in={r["person_id"] for r in rows}).values_list("user_id", "pk")
    )
    return [
        Due(
            RetentionCategory.CONSULTATIONS,
            candidates[r["person_id"]],
            r["campaign_id"],
            r["last"] + timedelta(days=days),
            r["n"],
        )
        for r in rows
        if r["person_id"] in candidates
    ]


def remove_consultations(due: Due, now: datetime) -> int:
    days = retention_settings()["consultations"]["days"]
    user_id = Candidate.objects.values_list("user_id", flat=True).get(pk=due.candidate_id)
    rows = Consultation.objects.filter(person_id=user_id, at__lte=now - timedelta(days=days))
    if due.campaign_id is None:
        rows = rows.filter(campaign__isnull=True)
    else:
        rows = rows.filter(campaign_id=due.campaign_id)
    deleted, _kinds = rows.delete()
    return deleted


def remove_proctoring(due: Due, now: datetime) -> int:
    return anonymise.proctoring_of(list(due.enrolment_ids))


def remove_responses(due: Due, now: datetime) -> int:
    return anonymise.responses_of(list(due.enrolment_ids), list(due.run_ids))


def remove_dossiers(due: Due, now: datetime) -> int:
    return anonymise.dossiers_of(list(due.enrolment_ids))


def remove_identity(due: Due, now: datetime) -> int:
    candidate = Candidate.objects.select_related("user").get(pk=due.candidate_id)
    if Award.objects.filter(candidate=candidate).exists() or anonymise.is_staff(candidate):
        return 0  # became a holder since (kept for good), or a staff account (kept with its work)
    anonymise.pseudonymise(candidate, reason="retention", now=now)
    return 1


def remove_nothing(due: Due, now: datetime) -> int:
    return 0


CATEGORIES: dict[str, Category] = {
    RetentionCategory.PROCTORING_EVENTS: Category("proctoring_events", find_proctoring, remove_proctoring),
    RetentionCategory.TEST_RESPONSES: Category("test_responses", find_responses, remove_responses),
    RetentionCategory.DOSSIERS: Category("dossiers", find_dossiers, remove_dossiers),
    RetentionCategory.ENROLMENTS: Category("enrolments", find_identities, remove_identity),
    RetentionCategory.LOGIN_EVENTS: Category("login_events", nothing_due, remove_nothing),
    RetentionCategory.CONSULTATIONS: Category("consultations", find_consultations, remove_consultations),
}


def register(key: str, find: Finder, remove: Remover) -> None:
    """Let another part of Certeval handle a category whose data it stores (sign-ins,
    consultations), from its ``AppConfig.ready()``."""
    if key not in RetentionCategory.values:
        raise ValueError(f"Unknown retention category: {key}")
    CATEGORIES[key] = Category(key, find, remove)


def campaign_titles(ids: Iterable[int | None]) -> dict[int, str]:
    return dict(Campaign.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "title"))
