"""Writes of a candidate's proctored test (docs/testing.md, « Proctored sessions »).

A candidate joins a session with its access code and their identity (no account needed on a shared
room computer), waits for the invigilator's go, then takes the test. The clock is the server's
(``domain.delivery.Clock``): it runs from the start, stops while the test is paused or blocked by a
live alert, and the test closes by itself when the time is up — what was answered counts.

Nothing is lost: a question is stored before it is shown, an answer is committed before the next
question is sent (same transaction), a repeated submission (same served question, same key) stores one
answer; a closed tab, a lost network or a server restart resume at the same question with the same
remaining time; time lost to a service outage is given back and logged as an incident; a second tab
takes over, and the first one says so.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.audit.services import audit_record
from certeval.campaigns.models import Enrolment
from certeval.domain.delivery import Clock, allowed_seconds, minute_of, outage_seconds
from certeval.domain.items.content import ACCOMMODATIONS, Response
from certeval.testing import engine as adapter
from certeval.testing import run_selectors
from certeval.testing import sitting_engine as forms
from certeval.testing.answer_services import record_answer, serve
from certeval.testing.errors import TakeoverError, TestingError
from certeval.testing.models import (
    CampaignDelivery,
    Incident,
    ItemVersion,
    LiveAlert,
    ProctoringEvent,
    Question,
    Run,
    ServicePulse,
    SessionDelivery,
    Sitting,
    SittingMessage,
)
from certeval.testing.models.sessions import Abandonment, DeliveryForm
from certeval.testing.selectors import automated_test_of

ACCESS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RUNNING = (Sitting.Status.IN_PROGRESS,)
OPEN = (Sitting.Status.IN_PROGRESS, Sitting.Status.PAUSED)
BANK_STATE_SECONDS = 1.0


# --- codes and settings ------------------------------------------------------------------------------


def new_access_code() -> str:
    length = int(forms.delivery_settings()["access_code_length"])
    return "".join(secrets.choice(ACCESS_ALPHABET) for _ in range(length))


def new_invigilator_code() -> str:
    return "-".join("".join(secrets.choice(ACCESS_ALPHABET) for _ in range(4)) for _ in range(3))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def campaign_delivery(campaign_id: int) -> CampaignDelivery:
    """The campaign's delivery settings, created from ``CERTEVAL_DELIVERY`` the first time."""
    config = forms.delivery_settings()
    delivery, _created = CampaignDelivery.objects.get_or_create(
        campaign_id=campaign_id,
        defaults={
            "form": config["form"],
            "min_answered": int(config["min_answered"]),
            "abandonment": config["abandonment"],
            "retention_days": int(config["retention_days"]),
            "max_questions": int(config["max_questions"]) if config.get("max_questions") else None,
        },
    )
    return delivery


# --- the clock ---------------------------------------------------------------------------------------


def clock_of(sitting: Sitting) -> Clock:
    return Clock(
        float(sitting.allowed_seconds),
        float(sitting.added_seconds),
        sitting.used_seconds,
        sitting.running_since,
    )


def remaining_seconds(sitting: Sitting, now: datetime | None = None) -> float:
    return clock_of(sitting).remaining(now or timezone.now())


def stop_clock(sitting: Sitting, now: datetime) -> None:
    if sitting.running_since is not None:
        sitting.used_seconds = clock_of(sitting).elapsed(now)
        sitting.running_since = None


def start_clock(sitting: Sitting, now: datetime) -> None:
    if sitting.running_since is None:
        sitting.running_since = now


_LAST_PULSE: dict[str, datetime] = {}


def pulse(now: datetime) -> None:
    """Record that the service answered a candidate during this minute (one write per minute and
    process)."""
    minute = minute_of(now)
    if _LAST_PULSE.get("minute") == minute:
        return
    try:
        with transaction.atomic():
            ServicePulse.objects.get_or_create(minute=minute)
    except IntegrityError:
        pass  # another process wrote this minute first
    _LAST_PULSE["minute"] = minute


def _give_back_outage(sitting: Sitting, now: datetime) -> None:
    if sitting.last_seen_at is None or sitting.running_since is None:
        return
    threshold = float(forms.delivery_settings()["outage_seconds"])
    if (now - sitting.last_seen_at).total_seconds() <= threshold:
        return
    pulses = ServicePulse.objects.filter(
        minute__gt=minute_of(sitting.last_seen_at), minute__lt=minute_of(now)
    ).values_list("minute", flat=True)
    lost = outage_seconds(sitting.last_seen_at, now, list(pulses), threshold)
    if lost <= 0:
        return
    sitting.added_seconds += round(lost)
    sitting.last_seen_at = now
    sitting.save(update_fields=["added_seconds", "last_seen_at"])
    ProctoringEvent.objects.create(
        sitting=sitting,
        kind=ProctoringEvent.Kind.OUTAGE,
        data={"seconds": round(lost), "since": sitting.last_seen_at.isoformat()},
    )
    Incident.objects.create(
        session_id=sitting.session_id,
        sitting=sitting,
        category=Incident.Category.TECHNICAL,
        description=_(
            "Interruption du service de %(minutes)s min pendant l'épreuve : le temps perdu a été rendu au candidat."
        )
        % {"minutes": round(lost / 60)},
    )
    audit_record(
        actor=None,
        action="testing.sitting_outage",
        target=sitting,
        data={"seconds": round(lost)},
        campaign=sitting.enrolment.campaign,
    )


def touch(sitting: Sitting, now: datetime | None = None) -> Sitting:
    """A contact from the candidate (page, answer, heartbeat), with the sitting locked by the caller:
    gives back time lost to a service outage, closes the test when its time is up."""
    now = now or timezone.now()
    pulse(now)
    _give_back_outage(sitting, now)
    sitting.last_seen_at = now
    fields = ["last_seen_at", "added_seconds"]
    if sitting.status in OPEN and clock_of(sitting).expired(now):
        _finish(sitting, Sitting.Finish.TIME_UP, now)
        return sitting
    sitting.save(update_fields=fields)
    return sitting


def lock(sitting_id: int) -> Sitting:
    # Only the sitting's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the run (and the related rows need no lock). The référentiel's version (its YAML
    # and parsed document, hundreds of kB) is not joined: every contact locks the sitting, and only
    # starting and scoring read it (one query then).
    return (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("enrolment__campaign", "enrolment__candidate__user", "run")
        .get(pk=sitting_id)
    )


# --- joining -------------------------------------------------------------------------------------------


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


def join(*, access_code: str, name: str, birth_date: date) -> Sitting:
    """The candidate's sitting in the session of ``access_code``, identified by their birth name (or
    usual name) and birth date. One message for every mismatch: nothing tells which part was wrong."""
    refused = TestingError(
        _("Code d'accès, nom ou date de naissance incorrect. Vérifiez-les ou appelez le surveillant.")
    )
    delivery = (
        SessionDelivery.objects.select_related("session")
        .filter(access_code=normalise_code(access_code))
        .first()
    )
    if delivery is None:
        raise refused
    if delivery.finalised_at is not None:
        raise TestingError(_("Cette session est close."))
    wanted = _folded(name)
    enrolments = Enrolment.objects.filter(
        session=delivery.session, status=Enrolment.Status.ENROLLED, candidate__birth_date=birth_date
    ).select_related("candidate", "campaign")
    enrolment = next(
        (
            e
            for e in enrolments
            if wanted and wanted in {_folded(e.candidate.birth_name), _folded(e.candidate.usual_name)}
        ),
        None,
    )
    if enrolment is None:
        raise refused
    with transaction.atomic():
        sitting, _created = Sitting.objects.get_or_create(session=delivery, enrolment=enrolment)
        sitting = lock(sitting.pk)
        now = timezone.now()
        if sitting.joined_at is None:
            sitting.joined_at = now
            sitting.save(update_fields=["joined_at"])
        ProctoringEvent.objects.create(sitting=sitting, kind=ProctoringEvent.Kind.JOINED)
        audit_record(
            actor=None,
            action="testing.sitting_join",
            target=sitting,
            data={"session": delivery.session_id},
            campaign=enrolment.campaign,
            person=enrolment.candidate.user,
        )
    return sitting


def claim_tab(sitting_id: int) -> str:
    """A new tab (or computer) takes the test over: the previous one stops with a clear message."""
    with transaction.atomic():
        sitting = lock(sitting_id)
        previous = sitting.tab
        sitting.tab = secrets.token_urlsafe(16)
        sitting.save(update_fields=["tab"])
        if previous and sitting.status in OPEN:
            ProctoringEvent.objects.create(sitting=sitting, kind=ProctoringEvent.Kind.TAKEOVER)
    return sitting.tab


def check_tab(sitting: Sitting, tab: str) -> None:
    if not tab or tab != sitting.tab:
        raise TakeoverError(
            _(
                "Votre épreuve a été ouverte dans un autre onglet ou sur un autre poste : cet onglet n'est plus "
                "actif. Rechargez la page pour reprendre ici."
            )
        )


# --- starting and answering -----------------------------------------------------------------------------


def start(*, sitting_id: int, tab: str) -> Sitting:
    """Start the test once the invigilator authorised it (resuming returns the test in progress)."""
    with transaction.atomic():
        sitting = lock(sitting_id)
        check_tab(sitting, tab)
        if sitting.status in OPEN:
            return touch(sitting)
        if sitting.status != Sitting.Status.AUTHORISED:
            raise TestingError(_("Le surveillant n'a pas encore autorisé le début de votre épreuve."))
        enrolment = sitting.enrolment
        campaign = enrolment.campaign
        delivery = campaign_delivery(campaign.pk)
        bank = automated_test_of(campaign.framework_version)
        if bank is None:
            raise TestingError(_("Ce référentiel n'a pas de volet automatisé."))
        audience = enrolment.school_level
        view = adapter.bank_view(bank, audience, certification=True)
        candidate = enrolment.candidate
        profile = run_selectors.profile_of(candidate)
        needs = sorted(set(profile.needs) & set(ACCOMMODATIONS))
        seen = adapter.profile_items(candidate.pk)
        seed = secrets.randbits(62)
        stored: dict[str, Any] = {"form": delivery.form, "target_level": enrolment.target_level}
        if delivery.form == DeliveryForm.LEVEL:
            items = forms.draw_level_form(
                view, campaign, enrolment.target_level, seen, frozenset(needs), seed
            )
            stored["form_items"] = items
            stored["max_items"] = len(items)
            parts: dict[str, int] = {}
            for item_id in items:
                part = view.by_id[item_id].part
                parts[part] = parts.get(part, 0) + 1
            stored["parts"] = parts
        else:
            spec = forms.form_spec(bank, campaign)
            available: dict[str, int] = {}
            for item in view.items:
                if item.item_id not in seen and item.compatible(needs):
                    available[item.part] = available.get(item.part, 0) + 1
            parts = {p.name: min(p.count, available.get(p.name, 0)) for p in spec.parts} or {
                "": min(spec.length, sum(available.values()))
            }
            stored["parts"] = {p: n for p, n in parts.items() if n}
            stored["max_items"] = sum(stored["parts"].values())
        if not stored["max_items"]:
            raise TestingError(
                _("Aucune question n'est disponible pour votre épreuve : appelez le surveillant.")
            )
        run = Run.objects.create(
            candidate=candidate,
            kind=Run.Kind.CERTIFICATION,
            bank=bank,
            bank_version=view.version,
            audience=audience,
            needs=needs,
            campaign=campaign,
            enrolment=enrolment,
            settings=stored,
            seed=seed,
        )
        now = timezone.now()
        sitting.run = run
        sitting.status = Sitting.Status.IN_PROGRESS
        sitting.started_at = now
        sitting.allowed_seconds = allowed_seconds(
            forms.duration_minutes(campaign), enrolment.extra_time_percent
        )
        sitting.running_since = now
        sitting.last_seen_at = now
        sitting.save()
        audit_record(
            actor=None,
            action="testing.sitting_start",
            target=sitting,
            data={
                "form": delivery.form,
                "questions": stored["max_items"],
                "allowed_seconds": sitting.allowed_seconds,
            },
            campaign=campaign,
            person=candidate.user,
        )
        _advance(sitting, now)
    return sitting


def _advance(sitting: Sitting, now: datetime) -> Question | None:
    """Serve the next question (stored before it is shown) or finish the test when none is left."""
    run = sitting.run
    assert run is not None
    questions = run_selectors.served_questions(run)
    pending = run_selectors.pending_question(questions)
    if pending is not None:
        return pending
    # The bank's state (a query over all its items) is read at most once a second per process: an
    # item retired during a session stops being served within that second.
    view = adapter.bank_view(run.bank, run.audience, certification=True, max_age=BANK_STATE_SECONDS)
    # A level form was drawn at the start without the items already seen: only the adaptive form
    # needs the person's profile here.
    adaptive = run.settings.get("form") != DeliveryForm.LEVEL
    seen = adapter.profile_items(run.candidate_id, exclude_run=run.pk) if adaptive else set()
    item_id = forms.next_item(view, run, questions, seen)
    if item_id is None:
        _finish(sitting, Sitting.Finish.COMPLETED, now)
        return None
    last = max((q.position for q in questions), default=0)
    return serve(run, ItemVersion(pk=view.by_id[item_id].version_id), scored=True, after=last)


def current_question(sitting: Sitting) -> Question | None:
    if sitting.run is None or sitting.status not in OPEN:
        return None
    return run_selectors.pending_question(run_selectors.questions_of(sitting.run))


def answer(
    *,
    sitting_id: int,
    question: Question,
    response: Response,
    idempotency_key: str,
    client_key: str = "",
    tab: str,
    seconds: float | None = None,
) -> Sitting:
    """Store the answer and serve the next question in one transaction. A repeated submission of the
    same question (same key) stores nothing more and is not refused; an answer arriving after the end
    of time (beyond the grace period) is refused with a clear message."""
    now = timezone.now()
    with transaction.atomic():
        sitting = lock(sitting_id)
        if sitting.run is None or question.run_id != sitting.run_id:
            raise TestingError(_("Cette question est introuvable."))
        stored = Question.objects.get(pk=question.pk)
        if stored.answered_at is not None and stored.idempotency_key == idempotency_key:
            return sitting  # the same submission again: one answer, already stored
        check_tab(sitting, tab)
        grace = float(forms.delivery_settings()["grace_seconds"])
        clock = clock_of(sitting)
        if sitting.status == Sitting.Status.PAUSED:
            raise TestingError(_("Votre épreuve est en pause : attendez que le surveillant la reprenne."))
        if LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).exists():
            raise TestingError(_("Votre signalement est en cours de traitement par le surveillant."))
        late = sitting.status in OPEN and clock.remaining(now - timedelta(seconds=grace)) <= 0
        if sitting.status not in OPEN or late:
            touch(sitting, now)
            raise TestingError(
                _("Le temps est écoulé : l'épreuve est terminée. Vos réponses précédentes comptent.")
            )
        record_answer(
            sitting.enrolment.candidate.user,
            stored,
            response,
            idempotency_key=idempotency_key,
            seconds=seconds,
            client_key=client_key,
        )
        touch(sitting, now)
        if sitting.status in OPEN:
            _advance(sitting, now)
    return sitting


def report_problem(*, sitting_id: int, tab: str, message: str = "") -> LiveAlert:
    """« Signaler un problème »: a live alert to the invigilator; the candidate's clock stops until it
    is handled."""
    now = timezone.now()
    with transaction.atomic():
        sitting = lock(sitting_id)
        check_tab(sitting, tab)
        if sitting.status not in OPEN:
            raise TestingError(_("Votre épreuve n'est pas en cours."))
        pending = LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).first()
        if pending is not None:
            return pending
        touch(sitting, now)
        stop_clock(sitting, now)
        sitting.save(update_fields=["used_seconds", "running_since"])
        alert = LiveAlert.objects.create(
            sitting=sitting, question=current_question(sitting), message=(message or "").strip()[:500]
        )
        audit_record(
            actor=None,
            action="testing.alert_raise",
            target=sitting,
            data={"alert": alert.pk, "question": alert.question.position if alert.question else None},
            campaign=sitting.enrolment.campaign,
            person=sitting.enrolment.candidate.user,
        )
    return alert


def send_message(*, sitting_id: int, tab: str, text: str) -> SittingMessage:
    text = (text or "").strip()
    if not text:
        raise TestingError(_("Écrivez votre message."))
    with transaction.atomic():
        sitting = lock(sitting_id)
        check_tab(sitting, tab)
        return SittingMessage.objects.create(sitting=sitting, from_candidate=True, text=text[:1000])


def page_event(*, sitting_id: int, tab: str, left: bool) -> None:
    """The candidate left the page or came back: recorded, never a sanction by itself (candidates whose
    accommodations tolerate leaving the page are recorded the same way, for the invigilator's information)."""
    with transaction.atomic():
        sitting = lock(sitting_id)
        if tab != sitting.tab or sitting.status not in OPEN:
            return
        ProctoringEvent.objects.create(
            sitting=sitting, kind=ProctoringEvent.Kind.LEFT_PAGE if left else ProctoringEvent.Kind.BACK
        )
        touch(sitting)


def heartbeat(*, sitting_id: int, tab: str) -> Sitting:
    with transaction.atomic():
        sitting = lock(sitting_id)
        check_tab(sitting, tab)
        return touch(sitting)


def abandon(*, sitting_id: int, tab: str) -> Sitting:
    """The candidate stops their test before the end of time."""
    with transaction.atomic():
        sitting = lock(sitting_id)
        check_tab(sitting, tab)
        if sitting.status not in OPEN:
            raise TestingError(_("Votre épreuve n'est pas en cours."))
        _finish(sitting, Sitting.Finish.ABANDONED, timezone.now())
    return sitting


# --- finishing ---------------------------------------------------------------------------------------


def rescore(sitting: Sitting) -> None:
    """Score the sitting's answers again (after a question was neutralised) and store the outcome."""
    run = sitting.run
    if run is None:
        sitting.outcome = {"valid": False, "level": None, "reasons": [_("L'épreuve n'a pas commencé.")]}
        sitting.save(update_fields=["outcome"])
        return
    questions = run_selectors.questions_of(run)
    campaign = sitting.enrolment.campaign
    outcome = forms.score_run(run, questions, campaign)
    delivery = campaign_delivery(campaign.pk)
    valid = outcome["answered"] >= delivery.min_answered
    if not valid:
        outcome["reasons"].append(
            _("%(n)s réponse(s) sur les %(min)s requises pour un résultat valide : pas de résultat.")
            % {"n": outcome["answered"], "min": delivery.min_answered}
        )
    if sitting.finish == Sitting.Finish.ABANDONED and delivery.abandonment == Abandonment.VOID:
        valid = False
        outcome["reasons"].append(
            _("Épreuve arrêtée par le candidat avant la fin : pas de résultat (réglage de la campagne).")
        )
    outcome["valid"] = valid and outcome["level"] is not None
    sitting.outcome = outcome
    sitting.save(update_fields=["outcome"])
    run.proposed_level = outcome["level"] or ""
    run.outcome = outcome
    run.save(update_fields=["proposed_level", "outcome"])


def _finish(sitting: Sitting, how: str, now: datetime, reason: str = "") -> None:
    stop_clock(sitting, now)
    sitting.status = Sitting.Status.ENDED if how == Sitting.Finish.ENDED else Sitting.Status.FINISHED
    sitting.finish = how
    sitting.finish_reason = reason[:300]
    sitting.finished_at = now
    sitting.save()
    if sitting.run is not None:
        run = sitting.run
        run.status = Run.Status.FINISHED
        run.finished_at = now
        run.save(update_fields=["status", "finished_at"])
    rescore(sitting)
    audit_record(
        actor=None,
        action="testing.sitting_finish",
        target=sitting,
        data={"finish": how, "level": sitting.outcome.get("level"), "valid": sitting.outcome.get("valid")},
        campaign=sitting.enrolment.campaign,
        person=sitting.enrolment.candidate.user,
    )


def expire_due(delivery: SessionDelivery, now: datetime | None = None) -> int:
    """Close the tests of a session whose time is up (the console calls it on each refresh, so a test
    closes even when its candidate's page is gone)."""
    now = now or timezone.now()
    closed = 0
    for sitting_id in delivery.sittings.filter(status__in=RUNNING, running_since__isnull=False).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            sitting = lock(sitting_id)
            _give_back_outage(sitting, now)
            if sitting.status in OPEN and clock_of(sitting).expired(now):
                _finish(sitting, Sitting.Finish.TIME_UP, now)
                closed += 1
    return closed
