"""Writes of training (docs/testing.md, « Training »): start or resume a session on one competence,
serve its next question, answer it (and schedule the replay with FSRS), finish it.

A session is a :class:`Run` of kind ``training`` on one competence (``Run.competence``, the part in
``Run.settings["part"]``); a person has at most one in progress per competence (starting again resumes
it: the person's row is locked while it is looked for and created). Its questions are served
**unscored** (``scored=False``) and its answers never count for the certification nor for a calibration
(``calibration_selectors.calibration_answers`` leaves training runs out).

**Next question**: the question served and not answered yet (a closed tab resumes there); else, once
``questions_per_session`` answers are given, the session ends; else the most overdue **replay** of the
competence (an item answered in training whose FSRS card is due, not already served in this session);
else a **new** item (never served to the person in any run), the lowest intended level first, in an
order drawn from the session's seed; else the session ends and says that nothing is left. The session
also ends right after an answer that reaches its number of questions or leaves nothing to serve, so
that the feedback page offers the summary instead of a next question.

**Rating** of an answer for FSRS (``certeval.domain.cat.repetition.ReplayPlan``): wrong or passed →
*Again*; right within ``easy_ratio`` × the item's expected time → *Easy*; otherwise right → *Good*. The
card is updated in the answer's transaction (``record_answer``'s ``on_answer``), only for a fresh answer.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import replace
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fsrs import Card

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Candidate
from certeval.core.dates import PARIS
from certeval.domain.items.content import Response
from certeval.testing import training_selectors as selectors
from certeval.testing.answer_services import record_answer, serve
from certeval.testing.errors import TestingError
from certeval.testing.models import ItemVersion, Question, ReviewCard, Run

END_COMPLETE = "complete"  # the session's number of questions was reached
END_EXHAUSTED = "exhausted"  # no replay due and no new item left
END_STOPPED = "stopped"  # the person ended it


def _when(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return _("%(day)s à %(time)s") % {
        "day": date_format(local.date(), "j F Y"),
        "time": local.strftime("%H:%M"),
    }


def nothing_left_message(trainee: selectors.Trainee, part: str, competence: str) -> str:
    """Why a competence has no question now, and when its next replay falls due."""
    due = selectors.next_due_date(trainee, part, competence)
    if due is None:
        return _(
            "Vous avez répondu à toutes les questions d'entraînement de cette compétence, "
            "et aucune n'est à revoir."
        )
    return _(
        "Vous avez répondu à toutes les questions d'entraînement de cette compétence. "
        "Prochaine révision : le %(when)s."
    ) % {"when": _when(due)}


def _trainee(actor: User) -> selectors.Trainee:
    candidate = selectors.candidate_of(actor)
    if candidate is None:
        raise TestingError(_("L'entraînement est réservé aux personnes candidates."))
    trainee = selectors.trainee_of(candidate)
    if trainee.bank is None:
        raise TestingError(
            _("Aucune de vos inscriptions ne porte sur une certification avec un volet automatisé.")
        )
    return trainee


def _pick_new(trainee: selectors.Trainee, run: Run, part: str, competence: str) -> selectors.Servable | None:
    seen = selectors.seen_items(trainee.candidate)
    fresh = [s for s in selectors.servable_items(trainee, part, competence) if s.item_id not in seen]
    if not fresh:
        return None
    rng = random.Random(f"{run.seed}:{run.pk}:{len(seen)}")
    easiest = min(selectors.LEVEL_RANK.get(s.level, 0) for s in fresh)
    return rng.choice([s for s in fresh if selectors.LEVEL_RANK.get(s.level, 0) == easiest])


def _has_question(trainee: selectors.Trainee, part: str, competence: str, now: datetime) -> bool:
    if selectors.next_replay(trainee, part, competence, exclude=set(), now=now) is not None:
        return True
    seen = selectors.seen_items(trainee.candidate)
    return any(s.item_id not in seen for s in selectors.servable_items(trainee, part, competence))


def training_start(actor: User, *, part: str, competence: str, now: datetime | None = None) -> Run:
    """The person's session in progress on the competence, or a new one; refused (French
    :class:`TestingError`) for an unknown competence or when nothing is left to answer."""
    now = now or timezone.now()
    trainee = _trainee(actor)
    row = selectors.competence_row(trainee, part, competence)
    if row is None:
        raise TestingError(_("Cette compétence n'existe pas dans votre certification."))
    with transaction.atomic():
        Candidate.objects.select_for_update().get(pk=trainee.candidate.pk)
        run = selectors.open_session(trainee.candidate, part, competence)
        if run is not None:
            return run
        if not _has_question(trainee, part, competence, now):
            raise TestingError(nothing_left_message(trainee, part, competence))
        assert trainee.bank is not None
        enrolment = trainee.enrolment
        run = Run.objects.create(
            candidate=trainee.candidate,
            kind=Run.Kind.TRAINING,
            bank=trainee.bank,
            bank_version=selectors.bank_version_of(trainee.bank),
            audience=trainee.audience,
            needs=list(trainee.needs),
            competence=competence,
            campaign=enrolment.campaign if enrolment is not None else None,
            enrolment=enrolment,
            settings={
                "part": part,
                "questions_per_session": int(selectors.training_settings()["questions_per_session"]),
            },
            seed=secrets.randbits(31),
        )
        audit_record(
            actor=actor,
            action="testing.training_start",
            target=run,
            data={"part": part, "competence": competence},
            campaign=run.campaign,
            person=actor,
        )
    return run


def own_run(actor: User, run_id: int) -> Run:
    """A training session of the actor (any other run, or none: the same French refusal)."""
    run = (
        Run.objects.select_related("candidate")
        .filter(pk=run_id, kind=Run.Kind.TRAINING, candidate__user_id=actor.pk)
        .first()
    )
    if run is None:
        raise TestingError(_("Cette séance d'entraînement est introuvable."))
    return run


def _finish(run: Run, end: str, actor: User | None) -> None:
    answered = run.questions.filter(answered_at__isnull=False)
    run.status = Run.Status.FINISHED
    run.finished_at = timezone.now()
    run.outcome = {
        "end": end,
        "answered": answered.count(),
        "right": answered.filter(correct=True).count(),
    }
    run.save(update_fields=["status", "finished_at", "outcome"])
    audit_record(
        actor=actor,
        action="testing.training_finish",
        target=run,
        data={"part": run.settings.get("part", ""), "competence": run.competence, **run.outcome},
        campaign=run.campaign,
        person=run.candidate.user,
    )


def _more(run: Run, now: datetime) -> bool:
    """Whether the session has another question to serve (a replay due now or a new item)."""
    part = str(run.settings.get("part", ""))
    trainee = replace(selectors.trainee_of(run.candidate), bank=run.bank)
    served = selectors.served_in(run)
    if selectors.next_replay(trainee, part, run.competence, exclude=served, now=now) is not None:
        return True
    seen = selectors.seen_items(trainee.candidate) | served
    return any(s.item_id not in seen for s in selectors.servable_items(trainee, part, run.competence))


def training_next(actor: User, run_id: int, *, now: datetime | None = None) -> Question | None:
    """The question to show in the session (served now if needed); None once the session is over
    (``run.outcome["end"]`` says why)."""
    now = now or timezone.now()
    own_run(actor, run_id)
    with transaction.atomic():
        run = Run.objects.select_for_update().select_related("candidate__user").get(pk=run_id)
        if run.status != Run.Status.IN_PROGRESS:
            return None
        pending = run.questions.filter(answered_at__isnull=True).order_by("position").first()
        if pending is not None:
            return pending
        part = str(run.settings.get("part", ""))
        limit = int(
            run.settings.get("questions_per_session")
            or selectors.training_settings()["questions_per_session"]
        )
        if run.questions.filter(answered_at__isnull=False).count() >= limit:
            _finish(run, END_COMPLETE, actor)
            return None
        trainee = replace(selectors.trainee_of(run.candidate), bank=run.bank)
        chosen = selectors.next_replay(
            trainee, part, run.competence, exclude=selectors.served_in(run), now=now
        )
        if chosen is None:
            chosen = _pick_new(trainee, run, part, run.competence)
        if chosen is None:
            _finish(run, END_EXHAUSTED, actor)
            return None
        return serve(run, ItemVersion.objects.get(pk=chosen.version_id), scored=False)


def _schedule(candidate_id: int, question: Question) -> ReviewCard:
    """Update the person's FSRS card of the question's item after a fresh answer."""
    version = question.item_version
    key = str(version.item_id)
    card = (
        ReviewCard.objects.select_for_update()
        .filter(candidate_id=candidate_id, item_id=version.item_id)
        .first()
    )
    plan = selectors.replay_plan(version.expected_seconds)
    if card is not None:
        plan.cards[key] = Card.from_dict(card.card)
    when = (question.answered_at or timezone.now()).astimezone(UTC)  # FSRS reads UTC instants
    due = plan.record(key, bool(question.correct), when=when, seconds=question.seconds)
    state = dict(plan.cards[key].to_dict())
    if card is None:
        return ReviewCard.objects.create(
            candidate_id=candidate_id,
            item_id=version.item_id,
            card=state,
            due=due,
            reviews=1,
            last_correct=bool(question.correct),
        )
    card.card = state
    card.due = due
    card.reviews += 1
    card.last_correct = bool(question.correct)
    card.save(update_fields=["card", "due", "reviews", "last_correct"])
    return card


def training_answer(actor: User, run_id: int, position: int, response: Response, *, key: str) -> Question:
    """Store the answer to the session's question at ``position`` (the served key ``key``), schedule
    its replay, and end the session once its number of questions is reached. A retry with the same
    key returns the stored answer; a stale key is refused with a French :class:`TestingError`."""
    run = own_run(actor, run_id)
    question = run.questions.filter(position=position).first()
    if question is None:
        raise TestingError(_("Cette question est introuvable."))
    seconds = (timezone.now() - question.served_at).total_seconds()

    def schedule(fresh: Question) -> None:
        _schedule(run.candidate_id, fresh)

    with transaction.atomic():
        stored = record_answer(
            actor,
            question,
            response,
            idempotency_key=key,
            seconds=seconds,
            on_answer=schedule,
        )
        locked = Run.objects.select_for_update().select_related("candidate__user").get(pk=run.pk)
        if locked.status == Run.Status.IN_PROGRESS:
            limit = int(locked.settings.get("questions_per_session") or 0)
            if limit and locked.questions.filter(answered_at__isnull=False).count() >= limit:
                _finish(locked, END_COMPLETE, actor)
            elif not _more(locked, timezone.now()):
                _finish(locked, END_EXHAUSTED, actor)
    return stored


def training_finish(actor: User, run_id: int) -> Run:
    """End a session before its last question (its answers stay); ending it again changes nothing.
    A question served and not answered is left unanswered (it is not on the person's profile)."""
    own_run(actor, run_id)
    with transaction.atomic():
        run = Run.objects.select_for_update().select_related("candidate__user").get(pk=run_id)
        if run.status == Run.Status.IN_PROGRESS:
            _finish(run, END_STOPPED, actor)
    return run
