"""Writes of the placement run (« parcours bilan », seed 004 §3): start or resume it, answer, finish.

Flow (docs/testing.md, « Placement run »):

1. :func:`placement_start` opens the person's run for a bank, or gives back the one in progress (one
   per person and bank: a database constraint, and the candidate's row is locked while starting). The
   run keeps its settings (composition, cuts, confidence, stopping rule, pilot positions) for its whole
   life, its audience (the enrolment's degree) and accessibility needs (the person's profile).
2. The next question is chosen and **stored before it is shown** (``answer_services.serve``), so a closed
   tab resumes at the same question.
3. :func:`placement_answer` stores the answer through ``answer_services.record_answer`` (idempotent on
   the served question's key: a double submission or a retry stores one answer) and, in the same
   transaction, chooses and stores the next question with the domain's placement rebuilt from the
   stored answers — or finishes the run.
4. Finishing stores the proposed level with its reasons and the competences acquired / to work on
   (``Run.outcome``), and sets the target level on the person's open enrolments of that bank.
"""

from __future__ import annotations

import math
import secrets
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Candidate, Enrolment
from certeval.domain.cat.form import InfeasibleFormError
from certeval.domain.items.content import ACCOMMODATIONS, Response
from certeval.testing import engine as adapter
from certeval.testing import hooks
from certeval.testing import run_selectors as selectors
from certeval.testing.answer_services import record_answer, serve
from certeval.testing.errors import TestingError
from certeval.testing.invitation_selectors import accepted_invitations
from certeval.testing.models import ItemVersion, Question, Run, TestProfile
from certeval.testing.models.items import Level
from certeval.testing.selectors import automated_test_of

LEVELS = adapter.LEVELS


def _candidate_for(actor: User) -> Candidate:
    candidate = selectors.candidate_of(actor)
    if candidate is None:
        raise TestingError(_("Le parcours bilan est réservé aux candidats inscrits à une certification."))
    return candidate


def _lock_candidate(candidate: Candidate) -> None:
    """Serialise a person's starts (and profile changes): their candidate row is the lock."""
    Candidate.objects.select_for_update().filter(pk=candidate.pk).first()


def placement_start(*, actor: User, bank: str) -> Run:
    """Start the person's placement run for ``bank``, or return the one in progress (resumed): through
    their most recent open enrolment of that bank, else through their accepted invitation to a
    campaign of that bank (the run then has its campaign and no enrolment)."""
    candidate = _candidate_for(actor)
    enrolments = selectors.open_enrolments(candidate, bank)
    enrolment = enrolments[0] if enrolments else None
    invitations = [] if enrolment is not None else accepted_invitations(actor, bank)
    if enrolment is None and not invitations:
        raise TestingError(
            _("Aucune de vos inscriptions en cours ne donne accès à ce parcours bilan."),
        )
    # Through the enrolment when the person is enrolled, else through their accepted invitation.
    campaign = enrolment.campaign if enrolment is not None else invitations[0].campaign
    audience = enrolment.school_level if enrolment is not None else invitations[0].school_level
    with transaction.atomic():
        _lock_candidate(candidate)
        current = selectors.current_run(candidate, bank)
        if current is not None:
            current = Run.objects.select_for_update().get(pk=current.pk)
            _advance(current, actor)
            return current
        profile = selectors.profile_of(candidate)
        needs = sorted(set(profile.needs) & set(ACCOMMODATIONS))
        view = adapter.bank_view(bank, audience)
        seen = adapter.profile_items(candidate.pk)
        stored = adapter.run_settings(view, campaign.framework_version, audience, needs, seen)
        if stored["max_items"] == 0:
            raise TestingError(
                _(
                    "Aucune question n'est disponible pour votre parcours bilan pour le moment "
                    "(vous avez déjà répondu à toutes celles qui vous conviennent). Réessayez plus tard."
                )
            )
        seed = secrets.randbits(62)
        stored["pilot_after"] = _pilot_positions(stored, seed)
        run = Run.objects.create(
            candidate=candidate,
            kind=Run.Kind.PLACEMENT,
            bank=bank,
            bank_version=view.version,
            audience=audience,
            needs=needs,
            campaign=campaign,
            enrolment=enrolment,
            settings=stored,
            seed=seed,
        )
        audit_record(
            actor=actor,
            action="testing.placement_start",
            target=run,
            data={
                "kind": run.kind,
                "audience": audience,
                "needs": needs,
                "max_items": stored["max_items"],
                "enrolment": enrolment.pk if enrolment is not None else None,
                **({"invitation": invitations[0].pk} if enrolment is None else {}),
            },
            campaign=campaign,
            person=actor,
        )
        _advance(run, actor)
    return run


def _pilot_positions(stored: dict[str, Any], seed: int) -> list[int]:
    """After how many scored answers each pilot question comes: drawn before the earliest stop, so
    that an early stop does not skip them."""
    wanted = int(stored.get("pilot_items", 0))
    last = max(1, min(int(stored["min_items"]), int(stored["max_items"])) - 1)
    if wanted <= 0:
        return []
    rng = np.random.default_rng([seed, 1])
    return sorted(int(x) for x in rng.choice(np.arange(1, last + 1), size=min(wanted, last), replace=False))


def placement_answer(
    *,
    actor: User,
    run: Run,
    question: Question,
    response: Response,
    idempotency_key: str,
    seconds: float | None = None,
) -> Question:
    """Store the answer to ``question`` and serve the next question (or finish the run); returns the
    question answered (on a retry: the answer stored the first time)."""
    if question.run_id != run.pk or run.kind != Run.Kind.PLACEMENT:
        raise TestingError(_("Cette question est introuvable."))
    with transaction.atomic():
        answered = record_answer(actor, question, response, idempotency_key=idempotency_key, seconds=seconds)
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.status == Run.Status.IN_PROGRESS:
            _advance(locked, actor)
    run.refresh_from_db()
    return answered


def placement_resume(*, actor: User, run: Run) -> Question | None:
    """The question to show: the one served and not answered yet (served now if none is, for a run
    interrupted between an answer and the next question); None once the run is finished."""
    if run.status != Run.Status.IN_PROGRESS:
        return None
    questions = selectors.questions_of(run)
    pending = selectors.pending_question(questions)
    if pending is not None:
        return pending
    with transaction.atomic():
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.status == Run.Status.IN_PROGRESS:
            _advance(locked, actor)
    run.refresh_from_db()
    return (
        selectors.pending_question(selectors.questions_of(run))
        if run.status == Run.Status.IN_PROGRESS
        else None
    )


def _advance(run: Run, actor: User) -> None:
    """Serve the next question of ``run`` (locked by the caller), or finish it; nothing when a
    question is already waiting for its answer."""
    questions = selectors.questions_of(run)
    if selectors.pending_question(questions) is not None:
        return
    seen = adapter.profile_items(run.candidate_id, exclude_run=run.pk)
    try:
        state = adapter.placement_of(run, questions, seen)
    except (LookupError, InfeasibleFormError, ValueError):
        # The bank changed under the run (items retired, needs no longer met): end it with what
        # was answered rather than fail.
        _finish(run, None, questions, actor, stop="bank-exhausted")
        return
    pilot = _pilot_due(run, state, questions, seen)
    if pilot is not None:
        serve(run, pilot, scored=False)
        return
    try:
        index = state.placement.next_item()
    except InfeasibleFormError:
        index = None
    if index is None:
        _finish(run, state, questions, actor)
        return
    item = state.view.item_at(index)
    serve(run, ItemVersion(pk=item.version_id), scored=True)


def _pilot_due(
    run: Run, state: adapter.RunState, questions: list[Question], seen: set[int]
) -> ItemVersion | None:
    positions = list(run.settings.get("pilot_after", ()))
    served = sum(1 for q in questions if not q.scored)
    if served >= len(positions) or state.scored_answered < positions[served]:
        return None
    if state.placement.decision().finished:
        return None
    taken = seen | {q.item_version.item_id for q in questions}
    needs = frozenset(run.needs)
    candidates = [p for p in state.view.pilot if p.item_id not in taken and p.compatible(needs)]
    if not candidates:
        return None
    rng = np.random.default_rng([run.seed, 2, len(questions)])
    chosen = candidates[int(rng.integers(len(candidates)))]
    return ItemVersion(pk=chosen.version_id)


# --- finishing -------------------------------------------------------------------------------------


def _finish(
    run: Run, state: adapter.RunState | None, questions: list[Question], actor: User, stop: str = ""
) -> None:
    outcome: dict[str, Any]
    if state is not None:
        decision = state.placement.decision()
        outcome = {
            "level": decision.level,
            "probabilities": decision.probabilities,
            "theta": _finite(decision.theta),
            "se": _finite(decision.se),
            "answered": decision.answered,
            "stop_reason": decision.stop_reason or stop,
            "reasons": list(decision.reasons),
            "competences": _competences(state, questions, decision.level, decision.theta),
        }
    else:
        outcome = _fallback_outcome(run, questions, stop)
    outcome["pilot_answered"] = sum(1 for q in questions if not q.scored and q.answered_at is not None)
    run.status = Run.Status.FINISHED
    run.finished_at = timezone.now()
    run.proposed_level = outcome["level"]
    run.outcome = outcome
    run.save(update_fields=["status", "finished_at", "proposed_level", "outcome"])
    audit_record(
        actor=actor,
        action="testing.placement_finish",
        target=run,
        data={
            "proposed_level": run.proposed_level,
            "answered": outcome["answered"],
            "stop_reason": outcome["stop_reason"],
        },
        campaign=run.campaign,
        person=actor,
    )
    _set_target_levels(run, actor)
    for hook in hooks.PLACEMENT_FINISHED:
        hook(run, actor)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _fallback_outcome(run: Run, questions: list[Question], stop: str) -> dict[str, Any]:
    answered = [q for q in questions if q.scored and q.answered_at is not None]
    return {
        "level": LEVELS[0],
        "probabilities": {},
        "theta": None,
        "se": None,
        "answered": len(answered),
        "stop_reason": stop,
        "reasons": [
            _(
                "Le parcours s'est arrêté faute de questions adaptées : le niveau de départ est proposé. "
                "Vous pourrez refaire un parcours bilan quand de nouvelles questions seront disponibles."
            )
        ],
        "competences": [],
    }


def _competences(
    state: adapter.RunState, questions: list[Question], level: str, theta: float
) -> list[dict[str, Any]]:
    """Per competence answered: answers, right answers, the ability estimated from that
    competence's answers around the person's overall estimate (``adapter.competence_estimates``),
    its level by the cuts, and whether it is *acquired* or *to work on*: acquired when the ability
    on that competence clears the cut of the reference level — the level proposed, or the next one
    when the base level is proposed (every competence is at least at the base level, so that would
    say nothing) — with the run's confidence (0.8 by default), the same guard against
    over-estimation as the level itself: one wrong answer is never « acquired »."""
    view = state.view
    engine = state.placement.engine
    cuts = dict((str(name), float(cut)) for name, cut in state.run.settings["cuts"])
    names = [LEVELS[0], *(name for name in LEVELS[1:] if name in cuts)]
    position = names.index(level) if level in names else 0
    reference = names[min(max(position, 1), len(names) - 1)]
    indices: list[int] = []
    responses: list[bool] = []
    keys: list[str] = []
    tally: dict[str, list[int]] = {}
    for question in questions:
        if not question.scored or question.answered_at is None:
            continue
        index = view.index_of(question.item_version.item_id)
        if index is None:
            continue
        item = view.item_at(index)
        key = f"{item.part}/{item.competence}"
        indices.append(index)
        responses.append(bool(question.correct))
        keys.append(key)
        counts = tally.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += int(bool(question.correct))
    estimates = adapter.competence_estimates(engine, indices, responses, keys, theta)
    confidence = float(state.run.settings["confidence"])
    rows = []
    for key in sorted(estimates, key=_competence_order):
        part, competence = key.split("/", 1)
        mean, sd = estimates[key]
        reached = LEVELS[0]
        for name in names[1:]:
            if mean >= cuts[name]:
                reached = name
        rows.append(
            {
                "part": part,
                "competence": competence,
                "answered": tally[key][0],
                "correct": tally[key][1],
                "theta": round(mean, 3),
                "se": round(sd, 3),
                "level": reached,
                "acquired": _clears(mean, sd, cuts[reference], confidence),
                "reference": reference,
            }
        )
    return rows


def _clears(mean: float, sd: float, cut: float, confidence: float) -> bool:
    """P(θ ≥ cut) ≥ confidence under the competence's posterior (normal approximation)."""
    if sd <= 0:
        return mean >= cut
    return 0.5 * math.erfc((cut - mean) / (sd * math.sqrt(2))) >= confidence


def _competence_order(key: str) -> tuple[int, tuple[int, ...]]:
    part, competence = key.split("/", 1)
    numbers = tuple(int(n) if n.isdigit() else 0 for n in competence.split("."))
    return (0 if part == "crcn-edu" else 1, numbers)


def _set_target_levels(run: Run, actor: User) -> None:
    """The proposed level becomes the target level of the person's open enrolments in campaigns of
    this bank (organisers no longer type it); audited on each enrolment."""
    level = run.proposed_level
    for enrolment in selectors.open_enrolments(run.candidate, run.bank):
        if level not in dict(enrolment.campaign.level_choices):
            continue
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if automated_test_of(enrolment.campaign.framework_version) != run.bank:
            continue
        before = locked.target_level
        if before == level:
            continue
        locked.target_level = level
        locked.save(update_fields=["target_level"])
        audit_record(
            actor=actor,
            action="testing.placement_target_level",
            target=locked,
            data={"target_level": level, "previous": before, "run": run.pk},
        )


# --- the person's settings -------------------------------------------------------------------------


def profile_update(
    *, actor: User, needs: list[str] | None = None, text_size: str | None = None
) -> TestProfile:
    """Change the person's text size and/or accessibility needs. New needs also apply to the
    placement run in progress from its next question (its length shrinks when fewer items fit)."""
    candidate = _candidate_for(actor)
    if text_size is not None and text_size not in TestProfile.TextSize.values:
        raise TestingError(_("Taille de texte inconnue."))
    if needs is not None and not set(needs) <= set(ACCOMMODATIONS):
        raise TestingError(_("Besoin d'adaptation inconnu."))
    with transaction.atomic():
        _lock_candidate(candidate)
        profile, _created = TestProfile.objects.get_or_create(candidate=candidate)
        changed: dict[str, Any] = {}
        if text_size is not None and text_size != profile.text_size:
            profile.text_size = text_size
            changed["text_size"] = text_size
        if needs is not None and sorted(needs) != sorted(profile.needs):
            profile.needs = sorted(set(needs))
            changed["needs"] = profile.needs
        if not changed:
            return profile
        profile.save()
        audit_record(actor=actor, action="testing.profile_update", target=profile, data=changed, person=actor)
        if "needs" in changed:
            for run in Run.objects.select_for_update().filter(
                candidate=candidate, kind=Run.Kind.PLACEMENT, status=Run.Status.IN_PROGRESS
            ):
                _apply_needs(run, profile.needs)
    return profile


def _apply_needs(run: Run, needs: list[str]) -> None:
    """New needs for a run in progress: the composition is capped again by the items that still fit
    (answered ones included)."""
    view = adapter.bank_view(run.bank, run.audience)
    questions = selectors.questions_of(run)
    in_run = {q.item_version.item_id for q in questions if q.scored and q.answered_at is not None}
    seen = adapter.profile_items(run.candidate_id, exclude_run=run.pk)
    available: dict[str, int] = {}
    for item in view.items:
        if item.item_id in in_run or (item.item_id not in seen and item.compatible(needs)):
            available[item.part] = available.get(item.part, 0) + 1
    stored = dict(run.settings)
    wanted: dict[str, int] = stored.get("composition") or stored["parts"]
    parts = {p: min(int(c), available.get(p, 0)) for p, c in wanted.items()}
    stored["parts"] = {p: c for p, c in parts.items() if c > 0}
    stored["max_items"] = sum(stored["parts"].values())
    stored["min_items"] = max(1, min(int(stored["min_items"]), stored["max_items"]))
    run.needs = list(needs)
    run.settings = stored
    run.save(update_fields=["needs", "settings"])


__all__ = [
    "Level",
    "placement_answer",
    "placement_resume",
    "placement_start",
    "profile_update",
]
