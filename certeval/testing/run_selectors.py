"""Reads of placement runs (« parcours bilan »): who may take one, a person's runs, a run's questions,
progress and result (the caller checks permissions through these functions: a run is only ever read
by its own candidate).

**Who may take a placement run** (:func:`placement_offers`): a person with an enrolment that is still
*enrolled* (not eliminated nor withdrawn) in a campaign that is **open** (the placement run sets the
target level of the proctored automated test, which is taken before the dossier deadline) and whose
référentiel uses an automated test with an item bank (``selectors.automated_test_of``), and a person
who accepted a campaign's invitation to its placement run (``invitation_selectors``) while that
campaign is open. One offer per bank; the most recent such enrolment carries it, else the most
recently accepted invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, CampaignState, Candidate, Enrolment
from certeval.frameworks.models import FrameworkVersion
from certeval.testing.invitation_selectors import accepted_invitations
from certeval.testing.models import PlacementInvitation, Question, Run, TestProfile
from certeval.testing.selectors import automated_test_of, candidate_of, known_banks

OPEN_STATES = (CampaignState.OPEN,)


def candidate_or_404(user: User) -> Candidate:
    candidate = candidate_of(user)
    if candidate is None:
        raise Http404("No candidate.")
    return candidate


def open_enrolments(candidate: Candidate, bank: str | None = None) -> list[Enrolment]:
    """The person's enrolled enrolments in open campaigns using an automated test (of ``bank``),
    the most recent campaign first."""
    enrolments = (
        Enrolment.objects.filter(
            candidate=candidate, status=Enrolment.Status.ENROLLED, campaign__state__in=OPEN_STATES
        )
        .select_related("campaign__framework_version")
        .order_by("-campaign__deposit_deadline", "-pk")
    )
    banks = known_banks()
    found = []
    for enrolment in enrolments:
        test = automated_test_of(enrolment.campaign.framework_version)
        if test is not None and test in banks and (bank is None or test == bank):
            found.append(enrolment)
    return found


@dataclass(frozen=True)
class Offer:
    """A placement run the person may take: its bank, and the enrolment it is taken through or,
    for a person not enrolled, the accepted invitation (``enrolment`` is then None)."""

    bank: str
    title: str
    enrolment: Enrolment | None
    current: Run | None
    finished: Run | None
    campaign: Campaign
    invitation: PlacementInvitation | None = None


def placement_offers(candidate: Candidate) -> list[Offer]:
    banks = known_banks()
    offers: dict[str, Offer] = {}
    for enrolment in open_enrolments(candidate):
        bank = automated_test_of(enrolment.campaign.framework_version)
        assert bank is not None
        if bank not in offers:
            offers[bank] = Offer(
                bank,
                banks[bank],
                enrolment,
                current_run(candidate, bank),
                last_finished(candidate, bank),
                enrolment.campaign,
            )
    for invitation in accepted_invitations(candidate.user):
        bank = automated_test_of(invitation.campaign.framework_version)
        if bank is not None and bank in banks and bank not in offers:
            offers[bank] = Offer(
                bank,
                banks[bank],
                None,
                current_run(candidate, bank),
                last_finished(candidate, bank),
                invitation.campaign,
                invitation,
            )
    return list(offers.values())


def offer_or_404(candidate: Candidate, bank: str) -> Offer:
    for offer in placement_offers(candidate):
        if offer.bank == bank:
            return offer
    raise Http404("No placement run for this bank.")


def current_run(candidate: Candidate, bank: str) -> Run | None:
    return Run.objects.filter(
        candidate=candidate, bank=bank, kind=Run.Kind.PLACEMENT, status=Run.Status.IN_PROGRESS
    ).first()


def last_finished(candidate: Candidate, bank: str) -> Run | None:
    return (
        Run.objects.filter(
            candidate=candidate, bank=bank, kind=Run.Kind.PLACEMENT, status=Run.Status.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def finished_runs(candidate: Candidate) -> list[Run]:
    return list(
        Run.objects.filter(candidate=candidate, kind=Run.Kind.PLACEMENT, status=Run.Status.FINISHED).order_by(
            "-finished_at", "-pk"
        )
    )


def own_run_or_404(user: User, run_id: int) -> Run:
    """A placement run of the signed-in person; anyone else's (or an absent one) is 404."""
    run = (
        Run.objects.filter(pk=run_id, kind=Run.Kind.PLACEMENT, candidate__user_id=user.pk)
        .select_related("candidate", "enrolment__campaign", "campaign")
        .first()
        if user.is_authenticated
        else None
    )
    if run is None:
        raise Http404("No such run.")
    return run


def questions_of(run: Run) -> list[Question]:
    return list(Question.objects.filter(run=run).select_related("item_version__item").order_by("position"))


def served_questions(run: Run) -> list[Question]:
    """The run's questions without their content: position, scoring, the answer's time and
    correctness, and the item's id (``q.item_version.item_id``); what choosing the next question and
    counting the progress need, without decoding every served version's text at each answer."""
    return list(
        Question.objects.filter(run=run)
        .select_related("item_version")
        .only("run", "position", "scored", "answered_at", "correct", "idempotency_key", "item_version__item")
        .order_by("position")
    )


def pending_question(questions: list[Question]) -> Question | None:
    """The question served and not answered yet (at most one: the next is served after an answer)."""
    return next((q for q in reversed(questions) if q.answered_at is None), None)


def profile_of(candidate: Candidate) -> TestProfile:
    """The person's settings for online questions (unsaved defaults when they never chose any)."""
    return TestProfile.objects.filter(candidate=candidate).first() or TestProfile(candidate=candidate)


@dataclass(frozen=True)
class Progress:
    number: int  # the number of the question shown (1-based)
    answered: int
    total: int  # the most questions the run may ask (scored), pilot questions not included
    adaptive: bool
    percent: int


def progress_of(run: Run, questions: list[Question]) -> Progress:
    answered = sum(1 for q in questions if q.answered_at is not None)
    scored = sum(1 for q in questions if q.answered_at is not None and q.scored)
    total = int(run.settings.get("max_items", 0)) + min(
        int(run.settings.get("pilot_items", 0)), len(run.settings.get("pilot_after", ()))
    )
    total = max(total, answered + 1)
    percent = round(100 * scored / max(int(run.settings.get("max_items", 1)), 1))
    return Progress(
        number=answered + 1,
        answered=answered,
        total=total,
        adaptive=bool(run.settings.get("adaptive_stop")),
        percent=min(percent, 100),
    )


# --- labels ---------------------------------------------------------------------------------------


def _framework_of_part(version: FrameworkVersion | None, part: str) -> FrameworkVersion | None:
    if version is None:
        return None
    parts = ((version.document.get("rules") or {}).get("automated") or {}).get("parts") or {}
    other = (parts.get(part) or {}).get("framework")
    if not other or other == version.framework_id:
        return version
    return FrameworkVersion.objects.filter(framework_id=other).order_by("-version_number").first()


def competence_titles(campaign: Campaign | None, parts: list[str]) -> dict[str, dict[str, str]]:
    """part → competence id → title, from the référentiel of each part (CRCN for ``crcn``)."""
    version = campaign.framework_version if campaign is not None else None
    titles: dict[str, dict[str, str]] = {}
    for part in parts:
        framework = _framework_of_part(version, part)
        document: dict[str, Any] = framework.document if framework is not None else {}
        titles[part] = {
            str(c["id"]): str(c.get("title", ""))
            for d in document.get("domains", [])
            for c in d.get("competences", [])
        }
    return titles


def level_label(campaign: Campaign | None, level: str) -> str:
    from certeval.testing.models.items import Level

    if campaign is not None:
        label = dict(campaign.level_choices).get(level)
        if label:
            return str(label)
    return str(dict(Level.choices).get(level, level))


def level_choices_of(campaign: Campaign | None) -> list[tuple[str, str]]:
    from certeval.testing.models.items import Level

    if campaign is not None and campaign.level_choices:
        return [(str(v), str(label)) for v, label in campaign.level_choices]
    return [(str(v), str(label)) for v, label in Level.choices]


def part_choices() -> list[tuple[str, str]]:
    from certeval.testing.models.items import Part

    return [(str(v), str(label)) for v, label in Part.choices]
