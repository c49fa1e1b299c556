"""Writes of the invigilator console and of incident decisions (docs/testing.md, « Invigilator console »).

Every action is logged with who and when: the invigilator's account, or — for a console opened with the
session's number and invigilator password on a room computer — the name they typed. A person decides
every consequence for a candidate (CNIL délibération 2023-058 on remote proctoring): a live alert is
validated or dismissed by an invigilator, an incident is decided by an organiser, never by the software.

Finalisation closes the session: absentees confirmed, incidents listed, the invigilator's comment. The
results are recorded by themselves once the session is finalised and no incident is left undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Enrolment, Session
from certeval.campaigns.permissions import campaigns_run
from certeval.testing import run_selectors
from certeval.testing import sitting_engine as forms
from certeval.testing import sitting_services as candidate_side
from certeval.testing.answer_services import serve
from certeval.testing.engine import bank_view, profile_items
from certeval.testing.errors import TestingError
from certeval.testing.models import (
    AutomatedResult,
    Incident,
    ItemVersion,
    LiveAlert,
    ProctoringEvent,
    Question,
    SessionDelivery,
    Sitting,
    SittingMessage,
)
from certeval.testing.models.sessions import DeliveryForm
from certeval.testing.permissions import incidents_decidable
from certeval.testing.selectors import automated_test_of

BEFORE_START = (
    Sitting.Status.NOT_ARRIVED,
    Sitting.Status.PRESENT,
    Sitting.Status.IDENTITY_CHECKED,
    Sitting.Status.AUTHORISED,
)


@dataclass(frozen=True)
class Invigilator:
    """Who acts in the console: an account, or the name typed when opening it with the session's
    password."""

    user: User | None
    name: str

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.email
        return self.name


def _log(
    who: Invigilator, action: str, sitting: Sitting | None, delivery: SessionDelivery, **data: object
) -> None:
    target = sitting if sitting is not None else delivery
    audit_record(
        actor=who.user,
        action=f"testing.{action}",
        target=target,
        data={"by": who.label, **data},
        campaign=delivery.session.campaign,
    )
    if sitting is not None:
        ProctoringEvent.objects.create(
            sitting=sitting,
            kind=ProctoringEvent.Kind.ACTION,
            data={"action": action, "by": who.label, **data},
        )


def _sitting(delivery: SessionDelivery, sitting_id: int) -> Sitting:
    sitting = candidate_side.lock(sitting_id)
    if sitting.session_id != delivery.pk:
        raise TestingError(_("Candidat introuvable dans cette session."))
    if delivery.finalised_at is not None:
        raise TestingError(_("La session est finalisée : elle ne peut plus changer."))
    return sitting


def ensure_sittings(delivery: SessionDelivery) -> None:
    """One sitting per candidate placed in the session (created as « non arrivé »)."""
    enrolments = Enrolment.objects.filter(session=delivery.session, status=Enrolment.Status.ENROLLED)
    existing = set(delivery.sittings.values_list("enrolment_id", flat=True))
    Sitting.objects.bulk_create(
        [Sitting(session=delivery, enrolment=e) for e in enrolments if e.pk not in existing],
        ignore_conflicts=True,
    )


def mark_present(*, delivery: SessionDelivery, sitting_id: int, who: Invigilator) -> Sitting:
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status not in (Sitting.Status.NOT_ARRIVED, Sitting.Status.ABSENT):
            raise TestingError(_("La présence de ce candidat est déjà constatée."))
        sitting.status = Sitting.Status.PRESENT
        sitting.present_at = timezone.now()
        sitting.save(update_fields=["status", "present_at"])
        _log(who, "sitting_present", sitting, delivery)
    return sitting


def check_identity(*, delivery: SessionDelivery, sitting_id: int, document: str, who: Invigilator) -> Sitting:
    """Record the identity check: the kind of document seen, never its number."""
    if document not in Sitting.Document.values:
        raise TestingError(_("Choisissez la pièce d'identité présentée."))
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status not in (Sitting.Status.NOT_ARRIVED, Sitting.Status.PRESENT):
            raise TestingError(_("L'identité de ce candidat est déjà vérifiée."))
        now = timezone.now()
        sitting.present_at = sitting.present_at or now
        sitting.status = Sitting.Status.IDENTITY_CHECKED
        sitting.identity_document = document
        sitting.identity_checked_at = now
        sitting.save(update_fields=["status", "present_at", "identity_document", "identity_checked_at"])
        _log(who, "sitting_identity", sitting, delivery, document=document)
    return sitting


def authorise(*, delivery: SessionDelivery, sitting_id: int, who: Invigilator) -> Sitting:
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status != Sitting.Status.IDENTITY_CHECKED:
            raise TestingError(_("Vérifiez d'abord l'identité du candidat."))
        form = candidate_side.campaign_delivery(sitting.enrolment.campaign_id).form
        if form == DeliveryForm.LEVEL and not sitting.enrolment.target_level:
            raise TestingError(
                _(
                    "Ce candidat n'a pas de niveau visé : l'épreuve est tirée à ce niveau. Il doit faire le "
                    "parcours bilan, ou l'organisateur saisir son niveau visé."
                )
            )
        sitting.status = Sitting.Status.AUTHORISED
        sitting.authorised_at = timezone.now()
        sitting.save(update_fields=["status", "authorised_at"])
        _log(who, "sitting_authorise", sitting, delivery)
    return sitting


def pause(*, delivery: SessionDelivery, sitting_id: int, who: Invigilator, reason: str = "") -> Sitting:
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status != Sitting.Status.IN_PROGRESS:
            raise TestingError(_("Seule une épreuve en cours peut être mise en pause."))
        candidate_side.stop_clock(sitting, timezone.now())
        sitting.status = Sitting.Status.PAUSED
        sitting.save(update_fields=["status", "used_seconds", "running_since"])
        _log(who, "sitting_pause", sitting, delivery, reason=reason.strip()[:300])
    return sitting


def resume(*, delivery: SessionDelivery, sitting_id: int, who: Invigilator) -> Sitting:
    """Resume a paused test. Refused while the candidate has a live alert waiting: it must be handled
    first (validated or dismissed), never dismissed silently by a resume."""
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).exists():
            raise TestingError(
                _("Ce candidat attend une réponse à son signalement : validez-le ou rejetez-le d'abord.")
            )
        if sitting.status != Sitting.Status.PAUSED:
            raise TestingError(_("Cette épreuve n'est pas en pause."))
        now = timezone.now()
        sitting.status = Sitting.Status.IN_PROGRESS
        candidate_side.start_clock(sitting, now)
        sitting.last_seen_at = now
        sitting.save(update_fields=["status", "running_since", "last_seen_at"])
        _log(who, "sitting_resume", sitting, delivery)
    return sitting


def add_time(
    *, delivery: SessionDelivery, sitting_id: int, minutes: int, reason: str, who: Invigilator
) -> Sitting:
    reason = (reason or "").strip()
    if not reason:
        raise TestingError(_("Indiquez le motif du temps ajouté."))
    if not 1 <= minutes <= 120:
        raise TestingError(_("Le temps ajouté doit être compris entre 1 et 120 minutes."))
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status not in (*BEFORE_START, *candidate_side.OPEN):
            raise TestingError(_("Cette épreuve est terminée."))
        sitting.added_seconds += minutes * 60
        sitting.save(update_fields=["added_seconds"])
        _log(who, "sitting_add_time", sitting, delivery, minutes=minutes, reason=reason[:300])
    return sitting


def end(*, delivery: SessionDelivery, sitting_id: int, reason: str, who: Invigilator) -> Sitting:
    reason = (reason or "").strip()
    if not reason:
        raise TestingError(_("Indiquez le motif de l'arrêt de l'épreuve."))
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        if sitting.status not in candidate_side.OPEN:
            raise TestingError(_("Seule une épreuve en cours peut être arrêtée."))
        pending = LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).first()
        if pending is not None:
            raise TestingError(
                _("Ce candidat attend une réponse à son signalement : validez-le ou rejetez-le d'abord.")
            )
        candidate_side._finish(sitting, Sitting.Finish.ENDED, timezone.now(), reason)
        _log(who, "sitting_end", sitting, delivery, reason=reason[:300])
    return sitting


def handle_alert(*, delivery: SessionDelivery, alert_id: int, validate: bool, who: Invigilator) -> LiveAlert:
    """Validate (the question is replaced and excluded from scoring) or dismiss (the candidate goes on
    with the same question) a live alert; the candidate's clock starts again."""
    with transaction.atomic():
        alert = LiveAlert.objects.select_for_update().filter(pk=alert_id, sitting__session=delivery).first()
        if alert is None:
            raise TestingError(_("Signalement introuvable."))
        sitting = _sitting(delivery, alert.sitting_id)
        if alert.status != LiveAlert.Status.PENDING:
            raise TestingError(_("Ce signalement est déjà traité."))
        now = timezone.now()
        alert.status = LiveAlert.Status.VALIDATED if validate else LiveAlert.Status.DISMISSED
        alert.handled_at = now
        alert.handled_by = who.user
        alert.save(update_fields=["status", "handled_at", "handled_by"])
        replacement = None
        if validate and alert.question is not None and alert.question.answered_at is None and sitting.run:
            replacement = _replace(sitting, alert.question, now)
        if sitting.status in candidate_side.OPEN:
            if sitting.status == Sitting.Status.IN_PROGRESS:
                candidate_side.start_clock(sitting, now)
            sitting.last_seen_at = now
            sitting.save(update_fields=["running_since", "last_seen_at"])
        _log(
            who,
            "alert_validate" if validate else "alert_dismiss",
            sitting,
            delivery,
            question=alert.question.position if alert.question else None,
            replacement=replacement,
        )
    return alert


def _replace(sitting: Sitting, question: Question, now: object) -> int | None:
    """Exclude ``question`` from scoring and serve another one in its place."""
    run = sitting.run
    assert run is not None
    Question.objects.filter(pk=question.pk).update(scored=False, answered_at=now, response=None, correct=None)
    view = bank_view(run.bank, run.audience, certification=True)
    questions = run_selectors.questions_of(run)
    taken = profile_items(run.candidate_id) | {q.item_version.item_id for q in questions}
    substitute = forms.substitute(view, run, question.item_version.item_id, taken)
    if substitute is None:
        candidate_side._advance(sitting, timezone.now())
        return None
    if run.settings.get("form") == DeliveryForm.LEVEL:
        items = [substitute if i == question.item_version.item_id else i for i in run.settings["form_items"]]
        run.settings = {**run.settings, "form_items": items}
        run.save(update_fields=["settings"])
    served = serve(run, ItemVersion(pk=view.by_id[substitute].version_id), scored=True)
    return served.position


def send_message(
    *, delivery: SessionDelivery, sitting_id: int, text: str, who: Invigilator
) -> SittingMessage:
    text = (text or "").strip()
    if not text:
        raise TestingError(_("Écrivez votre message."))
    with transaction.atomic():
        sitting = _sitting(delivery, sitting_id)
        return SittingMessage.objects.create(
            sitting=sitting, from_candidate=False, author=who.user, text=text[:1000]
        )


def report_incident(
    *,
    delivery: SessionDelivery,
    category: str,
    description: str,
    who: Invigilator,
    sitting_id: int | None = None,
    question_number: int | None = None,
) -> Incident:
    description = (description or "").strip()
    if category not in Incident.Category.values:
        raise TestingError(_("Choisissez la catégorie de l'incident."))
    if not description:
        raise TestingError(_("Décrivez l'incident."))
    if category == Incident.Category.QUESTION and not question_number:
        raise TestingError(_("Indiquez le numéro de la question concernée."))
    with transaction.atomic():
        if delivery.finalised_at is not None:
            raise TestingError(_("La session est finalisée : elle ne peut plus changer."))
        sitting = None
        if sitting_id is not None:
            sitting = delivery.sittings.filter(pk=sitting_id).first()
            if sitting is None:
                raise TestingError(_("Candidat introuvable dans cette session."))
        incident = Incident.objects.create(
            session=delivery,
            sitting=sitting,
            category=category,
            question_number=question_number if category == Incident.Category.QUESTION else None,
            description=description,
            reported_by=who.user,
        )
        _log(who, "incident_report", sitting, delivery, incident=incident.pk, category=category)
    return incident


def finalise(
    *, delivery: SessionDelivery, comment: str, absentees_confirmed: bool, who: Invigilator
) -> SessionDelivery:
    """Close the session: every test over, every live alert handled, absentees confirmed."""
    with transaction.atomic():
        locked = (
            SessionDelivery.objects.select_for_update()
            .select_related("session__campaign")
            .get(pk=delivery.pk)
        )
        if locked.finalised_at is not None:
            raise TestingError(_("La session est déjà finalisée."))
        candidate_side.expire_due(locked)
        open_ = locked.sittings.filter(status__in=candidate_side.OPEN).count()
        if open_:
            raise TestingError(
                _("%(n)s épreuve(s) encore en cours : attendez leur fin ou arrêtez-les avec un motif.")
                % {"n": open_}
            )
        if LiveAlert.objects.filter(sitting__session=locked, status=LiveAlert.Status.PENDING).exists():
            raise TestingError(_("Un signalement attend encore une réponse."))
        absent = locked.sittings.filter(status__in=BEFORE_START)
        if absent.exists() and not absentees_confirmed:
            raise TestingError(_("Confirmez la liste des absents."))
        names = [str(s.enrolment.candidate) for s in absent.select_related("enrolment__candidate")]
        absent.update(status=Sitting.Status.ABSENT)
        locked.finalised_at = timezone.now()
        locked.finalised_by = who.user
        locked.comment = (comment or "").strip()
        locked.save(update_fields=["finalised_at", "finalised_by", "comment"])
        _log(who, "session_finalise", None, locked, absent=names, comment=locked.comment)
        record_results_if_ready(locked)
    return locked


def decide_incident(*, incident_id: int, decision: str, reason: str, actor: User) -> Incident:
    """An organiser decides an incident: neutralise the question (for the candidate concerned), cancel
    the candidate's result (or every result of the session for an incident without candidate), or keep
    it. The session's results are recorded once no incident is left undecided."""
    reason = (reason or "").strip()
    if decision not in Incident.Decision.values:
        raise TestingError(_("Choisissez une décision."))
    if not reason:
        raise TestingError(_("Indiquez le motif de la décision."))
    with transaction.atomic():
        # The permission's query is DISTINCT, which PostgreSQL cannot lock: check it, then lock the row.
        allowed = incidents_decidable(actor).filter(pk=incident_id).exists()
        incident = Incident.objects.select_for_update().filter(pk=incident_id).first() if allowed else None
        if incident is None:
            raise TestingError(_("Incident introuvable."))
        if incident.decision:
            raise TestingError(_("Cet incident est déjà décidé."))
        delivery = (
            SessionDelivery.objects.select_for_update()
            .select_related("session__campaign")
            .get(pk=incident.session_id)
        )
        if decision == Incident.Decision.NEUTRALISE:
            if incident.sitting is None or not incident.question_number:
                raise TestingError(_("Seul un incident sur une question d'un candidat peut la neutraliser."))
            run = incident.sitting.run
            question = run.questions.filter(position=incident.question_number).first() if run else None
            if question is None:
                raise TestingError(
                    _("Ce candidat n'a pas de question n° %(n)s.") % {"n": incident.question_number}
                )
            Question.objects.filter(pk=question.pk).update(scored=False)
            candidate_side.rescore(candidate_side.lock(incident.sitting.pk))
        incident.decision = decision
        incident.decision_reason = reason
        incident.decided_at = timezone.now()
        incident.decided_by = actor
        incident.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action="testing.incident_decide",
            target=incident.sitting or delivery,
            data={"incident": incident.pk, "decision": decision, "reason": reason},
            campaign=delivery.session.campaign,
        )
        record_results_if_ready(delivery)
    return incident


def record_results_if_ready(delivery: SessionDelivery) -> int:
    """Record the automated result of every valid test of a finalised session with no undecided
    incident — on the person, so it follows them to their next campaign. Results cancelled by an
    incident decision are not recorded. Returns how many were recorded."""
    if delivery.finalised_at is None or delivery.results_recorded_at is not None:
        return 0
    if delivery.incidents.filter(decision="").exists():
        return 0
    cancelled_all = delivery.incidents.filter(
        sitting__isnull=True, decision=Incident.Decision.CANCEL
    ).exists()
    cancelled = set(
        delivery.incidents.filter(decision=Incident.Decision.CANCEL, sitting__isnull=False).values_list(
            "sitting_id", flat=True
        )
    )
    session = delivery.session
    count = 0
    for sitting in delivery.sittings.filter(
        status__in=(Sitting.Status.FINISHED, Sitting.Status.ENDED)
    ).select_related("enrolment__campaign__framework_version", "enrolment__candidate"):
        outcome = sitting.outcome
        if cancelled_all or sitting.pk in cancelled or not outcome.get("valid") or not outcome.get("level"):
            continue
        enrolment = sitting.enrolment
        obtained_on = timezone.localdate(sitting.finished_at or session.starts_at)  # the day it was taken
        test = automated_test_of(enrolment.campaign.framework_version)
        if test is None:
            continue
        result, _created = AutomatedResult.objects.update_or_create(
            candidate_id=enrolment.candidate_id,
            test=test,
            enrolment=enrolment,
            defaults={
                "campaign": enrolment.campaign,
                "level": outcome["level"],
                "obtained_on": obtained_on,
                "parts": {
                    part: {"level": v["level"], "obtained_on": obtained_on.isoformat()}
                    for part, v in outcome.get("parts", {}).items()
                    if v.get("level")
                },
                "details": {
                    "sitting": sitting.pk,
                    "form": outcome.get("form"),
                    "domains": outcome.get("domains", {}),
                    "competences": outcome.get("competences", []),
                    "reasons": outcome.get("reasons", []),
                },
                "recorded_by": None,
            },
        )
        audit_record(
            actor=None,
            action="testing.automated_result",
            target=enrolment,
            data={"level": result.level, "obtained_on": obtained_on.isoformat(), "sitting": sitting.pk},
            campaign=enrolment.campaign,
        )
        count += 1
    delivery.results_recorded_at = timezone.now()
    delivery.save(update_fields=["results_recorded_at"])
    audit_record(
        actor=None,
        action="testing.session_results",
        target=delivery,
        data={"recorded": count},
        campaign=session.campaign,
    )
    return count


def open_delivery(*, session_id: int, actor: User) -> SessionDelivery:
    """Run a session of the campaign as a proctored online test: its access code and invigilator
    password are drawn, a sitting is created for each candidate placed in it."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update()
            .select_related("campaign__framework_version")
            .filter(pk=session_id)
            .first()
        )
        if session is None or not campaigns_run(actor).filter(pk=session.campaign_id).exists():
            raise TestingError(_("Session introuvable."))
        if automated_test_of(session.campaign.framework_version) is None:
            raise TestingError(_("Ce référentiel n'a pas de volet automatisé : pas d'épreuve en ligne."))
        delivery = SessionDelivery.objects.filter(session=session).first()
        if delivery is None:
            delivery = SessionDelivery.objects.create(
                session=session,
                access_code=candidate_side.new_access_code(),
                invigilator_code=candidate_side.new_invigilator_code(),
            )
            audit_record(
                actor=actor,
                action="testing.session_open",
                target=delivery,
                data={"session": session.pk},
                campaign=session.campaign,
            )
        ensure_sittings(delivery)
    return delivery
