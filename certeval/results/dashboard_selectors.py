"""Reads of a campaign's dashboard: the funnel per stage and the table of its candidates, with their
state and decision (the caller has checked that the user organises the campaign; the enrolments are
those of the user's scope: one academy for an academy-limited organiser).

A fixed number of queries whatever the number of candidates (asserted in a test): the enrolments
with their candidate, academy, session, dossier and oral; the latest deliberation of each oral; the
automated results and the finished placement runs of the candidates; the published sessions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import enrolments_managed
from certeval.domain.campaign_funnel import (
    FunnelStep,
    Progress,
    Stage,
    applicable_stages,
    candidate_state,
    funnel,
)
from certeval.dossiers.models import DossierState
from certeval.juries.models import Deliberation
from certeval.results.models import SessionPublication
from certeval.results.selectors import RESULT_STATES
from certeval.testing.models import Run
from certeval.testing.selectors import applicable_results, automated_test_of

STAGE_LABELS = {
    Stage.ENROLLED: gettext_lazy("Inscrits"),
    Stage.PLACEMENT: gettext_lazy("Parcours bilan terminé"),
    Stage.AUTOMATED: gettext_lazy("Volet automatisé obtenu"),
    Stage.DEPOSITED: gettext_lazy("Dossier déposé"),
    Stage.HEARD: gettext_lazy("Oral passé"),
    Stage.DECIDED: gettext_lazy("Décision validée"),
    Stage.PUBLISHED: gettext_lazy("Résultat publié"),
}
STATE_LABELS = {
    Stage.ENROLLED.value: gettext_lazy("Inscrit"),
    Stage.PLACEMENT.value: gettext_lazy("Parcours bilan terminé"),
    Stage.AUTOMATED.value: gettext_lazy("Volet automatisé obtenu"),
    Stage.DEPOSITED.value: gettext_lazy("Dossier déposé"),
    Stage.HEARD.value: gettext_lazy("Oral passé"),
    Stage.DECIDED.value: gettext_lazy("Décision validée"),
    Stage.PUBLISHED.value: gettext_lazy("Résultat publié"),
    Enrolment.Status.WITHDRAWN.value: gettext_lazy("Désisté"),
    Enrolment.Status.ELIMINATED.value: gettext_lazy("Éliminé"),
}
NO_DECISION = "none"


@dataclass(frozen=True)
class CandidateRow:
    enrolment_id: int
    name: str
    email: str
    academy: str
    academy_code: str
    school_level: str
    school_level_label: str
    session: str
    target_level: str
    target_level_label: str
    state: str
    state_label: str
    decision: str  # a Deliberation.Outcome value, or NO_DECISION
    decision_label: str
    final_level_label: str
    oral_at: datetime | None


@dataclass(frozen=True)
class Filters:
    """What the organiser narrowed the table to; empty values mean « all »."""

    academy: str = ""
    state: str = ""
    school_level: str = ""
    level: str = ""
    decision: str = ""
    search: str = ""

    @property
    def active(self) -> bool:
        return any((self.academy, self.state, self.school_level, self.level, self.decision, self.search))


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    stages: tuple[Stage, ...]
    steps: list[FunnelStep]
    rows: list[CandidateRow]  # every candidate in scope, before filtering
    academies: list[tuple[str, str]]  # code, name: those of the candidates in scope
    academy_ids: dict[str, int]  # code → id


def _fold(text: str) -> str:
    """Lower case without accents, for the search box."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latest_deliberations(enrolment_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Enrolment id → (state, outcome, final level) of the latest deliberation of their oral."""
    latest: dict[int, tuple[str, str, str]] = {}
    rows = (
        Deliberation.objects.filter(slot__enrolment_id__in=enrolment_ids)
        .order_by("slot_id", "number")
        .values_list("slot__enrolment_id", "state", "outcome", "final_level")
    )
    for enrolment_id, state, outcome, final_level in rows:
        latest[enrolment_id] = (state, outcome, final_level)
    return latest


def _placed(candidate_ids: Iterable[int]) -> set[int]:
    """Candidates (ids) with a finished placement run."""
    return set(
        Run.objects.filter(
            candidate_id__in=list(candidate_ids), kind=Run.Kind.PLACEMENT, status=Run.Status.FINISHED
        ).values_list("candidate_id", flat=True)
    )


def published_sessions(campaign: Campaign) -> set[int]:
    """Ids of the campaign's sessions whose results are published on their own."""
    return set(
        SessionPublication.objects.filter(session__campaign=campaign).values_list("session_id", flat=True)
    )


def enrolments_in_scope(user: User, campaign: Campaign) -> list[Enrolment]:
    return list(
        enrolments_managed(user)
        .filter(campaign=campaign)
        .select_related("candidate", "academy", "session", "dossier", "oral_slot")
        .order_by("candidate__birth_name", "candidate__first_names", "pk")
    )


def campaign_dashboard(user: User, campaign: Campaign) -> Dashboard:
    """The funnel and the candidate table of ``campaign``, limited to the user's scope."""
    enrolments = enrolments_in_scope(user, campaign)
    stages = applicable_stages(automated_test=automated_test_of(campaign.framework_version) is not None)
    ids = [e.pk for e in enrolments]
    deliberations = _latest_deliberations(ids)
    automated = applicable_results(campaign, enrolments) if Stage.AUTOMATED in stages else {}
    placed = _placed(e.candidate_id for e in enrolments) if Stage.PLACEMENT in stages else set()
    sessions = published_sessions(campaign)
    campaign_published = campaign.state in RESULT_STATES
    levels = dict(campaign.level_choices)
    outcomes = dict(Deliberation.Outcome.choices)
    now = timezone.now()
    progresses: list[Progress] = []
    rows: list[CandidateRow] = []
    for e in enrolments:
        reached = {Stage.ENROLLED}
        if e.candidate_id in placed:
            reached.add(Stage.PLACEMENT)
        if automated.get(e.pk) is not None:
            reached.add(Stage.AUTOMATED)
        dossier = getattr(e, "dossier", None)
        if dossier is not None and dossier.state == DossierState.SUBMITTED:
            reached.add(Stage.DEPOSITED)
        slot = getattr(e, "oral_slot", None)
        if slot is not None and slot.starts_at <= now:
            reached.add(Stage.HEARD)
        state, outcome, final_level = deliberations.get(e.pk, ("", "", ""))
        decided = state == Deliberation.State.VALIDATED
        if decided:
            reached.add(Stage.DECIDED)
            if campaign_published or e.session_id in sessions:
                reached.add(Stage.PUBLISHED)
        progress = Progress(frozenset(reached), e.status)
        progresses.append(progress)
        shown_state = candidate_state(progress, stages)
        decision = outcome if decided and outcome else NO_DECISION
        rows.append(
            CandidateRow(
                enrolment_id=e.pk,
                name=e.candidate.display_name,
                email=e.candidate.email,
                academy=e.academy.name,
                academy_code=e.academy.code,
                school_level=e.school_level,
                school_level_label=e.get_school_level_display(),
                session=e.session.label if e.session else "",
                target_level=e.target_level,
                target_level_label=levels.get(e.target_level, e.target_level),
                state=shown_state,
                state_label=str(STATE_LABELS[shown_state]),
                decision=decision,
                decision_label=str(outcomes[decision]) if decision != NO_DECISION else _("Pas de décision"),
                final_level_label=levels.get(final_level, final_level) if decided else "",
                oral_at=slot.starts_at if slot is not None else None,
            )
        )
    academies = sorted({(e.academy.code, e.academy.name) for e in enrolments}, key=lambda a: a[1])
    academy_ids = {e.academy.code: e.academy_id for e in enrolments}
    return Dashboard(campaign, stages, funnel(progresses, stages), rows, academies, academy_ids)


def filter_rows(rows: list[CandidateRow], filters: Filters) -> list[CandidateRow]:
    """The rows matching every filter; the search looks in the name and the e-mail address,
    without regard to case or accents."""
    needle = _fold(filters.search.strip())
    return [
        row
        for row in rows
        if (not filters.academy or row.academy_code == filters.academy)
        and (not filters.state or row.state == filters.state)
        and (not filters.school_level or row.school_level == filters.school_level)
        and (not filters.level or row.target_level == filters.level)
        and (not filters.decision or row.decision == filters.decision)
        and (not needle or needle in _fold(row.name) or needle in _fold(row.email))
    ]


def state_choices(stages: tuple[Stage, ...]) -> list[tuple[str, str]]:
    return [(s.value, str(STATE_LABELS[s.value])) for s in stages] + [
        (Enrolment.Status.WITHDRAWN.value, str(STATE_LABELS["withdrawn"])),
        (Enrolment.Status.ELIMINATED.value, str(STATE_LABELS["eliminated"])),
    ]


def decision_choices() -> list[tuple[str, str]]:
    return [
        *((value, str(label)) for value, label in Deliberation.Outcome.choices),
        (NO_DECISION, _("Pas de décision")),
    ]
