"""Demo of proctored sessions (docs/testing.md, « Proctored sessions »): a Pix+ Édu campaign whose
test is short (6 questions, ``CampaignDelivery.max_questions``) with three sessions run online —

- **today, on site, in progress**, invigilated by surveillant@: candidates not arrived, present,
  identity checked, one in progress with some answers, one blocked by a pending live alert, one
  finished; candidat@ is authorised and joins at ``/epreuve/`` with the access code, their birth name
  and birth date;
- **three days ago, remote, finalised** with an incident left for the organiser to decide (its results
  wait for the decision);
- **ten days ago, on site, finalised**, its incident decided, its results recorded on the people.

The access code and invigilator password of today's session are printed with the demo accounts
(:func:`notes`). Running it twice changes nothing."""

from __future__ import annotations

import time as time_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.campaigns import enrolments, services
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import demo_identity
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, CampaignState, Enrolment, Session
from certeval.frameworks.models import FrameworkVersion
from certeval.testing import console_services as console
from certeval.testing import kits
from certeval.testing import sitting_services as candidate_side
from certeval.testing.models import (
    Incident,
    LiveAlert,
    ProctoringEvent,
    Question,
    Run,
    SessionDelivery,
    Sitting,
    SittingMessage,
)
from certeval.testing.training_demo import plausible_response

TITLE = "Pix+ Édu — épreuves surveillées 2026"
TODAY = "Volet automatisé — session du jour (INSPÉ de Versailles)"
HELD = "Volet automatisé — session à distance (incident à décider)"
RECORDED = "Volet automatisé — session sur place (résultats enregistrés)"
QUESTIONS = 6
ORGANISER = "organisateur@demo.certeval.fr"
INVIGILATOR = "surveillant@demo.certeval.fr"
CANDIDATE = "candidat@demo.certeval.fr"

# Today's candidates: (birth name, first names, state they are left in).
TODAY_PEOPLE = [
    ("Aubry", "Lucie", "not-arrived"),
    ("Benoit", "Karim", "present"),
    ("Chevalier", "Inès", "identity"),
    ("Durand", "Hugo", "in-progress"),
    ("Fabre", "Manon", "alert"),
    ("Garnier", "Yanis", "finished"),
    ("Henry", "Sarah", "not-arrived"),
]
HELD_PEOPLE = [
    ("Lemaire", "Julie", "finished"),
    ("Marchand", "Louis", "finished"),
    ("Noël", "Emma", "absent"),
]
RECORDED_PEOPLE = [
    ("Perrin", "Clara", "perfect"),
    ("Renaud", "Thomas", "perfect"),
    ("Simon", "Chloé", "perfect"),
]


@dataclass(frozen=True)
class Cast:
    organiser: User
    invigilator: User
    who: console.Invigilator
    academy: Academy


def populate(stdout: TextIO) -> None:
    if Campaign.objects.filter(title=TITLE).exists():
        return
    version = FrameworkVersion.objects.filter(framework_id="pix-plus-edu").order_by("-version_number").first()
    organiser = User.objects.filter(email=ORGANISER).first()
    invigilator = User.objects.filter(email=INVIGILATOR).first()
    academy = Academy.objects.filter(code="versailles").first()
    if version is None or organiser is None or invigilator is None or academy is None:
        stdout.write("Sessions surveillées : Pix+ Édu ou les comptes de démonstration manquent.\n")
        return
    started = time_module.perf_counter()
    cast = Cast(organiser, invigilator, console.Invigilator(invigilator, "Sophie Surveillante"), academy)
    today = timezone.localdate()
    campaign = services.campaign_create(
        by=organiser,
        title=TITLE,
        framework_version=version,
        deposit_deadline=paris_instant(today + timedelta(days=60), time(23, 59, 59)),
        final_policy="joint",
        tie_rule="lower",
        oral_duration_minutes=45,
    )
    services.campaign_transition(
        campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture"
    )
    delivery = candidate_side.campaign_delivery(campaign.pk)
    delivery.max_questions = QUESTIONS
    delivery.min_answered = 4
    delivery.save(update_fields=["max_questions", "min_answered"])
    _recorded_session(campaign, cast, today - timedelta(days=10))
    _held_session(campaign, cast, today - timedelta(days=3))
    _today_session(campaign, cast)
    stdout.write(
        f"Sessions surveillées : campagne « {TITLE} », une session en cours aujourd'hui, deux finalisées "
        f"({time_module.perf_counter() - started:.1f} s).\n"
    )


def _session(
    campaign: Campaign, cast: Cast, label: str, starts_at: datetime, mode: str, place: str
) -> Session:
    session = services.session_create(
        campaign=campaign,
        by=cast.organiser,
        label=label,
        mode=mode,
        place=place,
        capacity=20,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
    )
    services.campaign_role_grant(
        campaign=campaign, user=cast.invigilator, role=Role.INVIGILATOR, by=cast.organiser, session=session
    )
    return session


def _enrol(
    campaign: Campaign, cast: Cast, session: Session, people: list[tuple[str, str, str]]
) -> list[Enrolment]:
    placed = []
    for index, (last, first, _state) in enumerate(people):
        slug = f"{first}.{last}".lower().replace("ë", "e").replace("è", "e").replace("é", "e")
        placed.append(
            enrolments.enrolment_create(
                campaign=campaign,
                by=cast.organiser,
                data=enrolments.EnrolmentData(
                    identity=Identity(
                        birth_name=last,
                        first_names=first,
                        email=f"{slug}@demo.certeval.fr",
                        birth_place="Versailles",
                        birth_date=date(1980 + index, 1 + index, 10 + index),
                    ),
                    academy=cast.academy,
                    school_level="second" if index % 2 else "premier",
                    training="continue",
                    target_level="confirme",
                    extra_time_percent=33 if last == "Henry" else 0,
                    session=session,
                ),
            )
        )
    return placed


def _sitting(delivery: SessionDelivery, enrolment: Enrolment) -> Sitting:
    return Sitting.objects.get(session=delivery, enrolment=enrolment)


def _answer(sitting_id: int, tab: str, count: int, wrong_every: int = 0) -> None:
    """Answer ``count`` questions (all of them for a large count), right except every ``wrong_every``."""
    for n in range(1, count + 1):
        sitting = Sitting.objects.select_related("run").get(pk=sitting_id)
        question = candidate_side.current_question(sitting)
        if question is None:
            return
        correct = not wrong_every or n % wrong_every
        candidate_side.answer(
            sitting_id=sitting_id,
            question=question,
            response=plausible_response(question.item_version.content(), bool(correct)),
            idempotency_key=question.idempotency_key,
            tab=tab,
        )


def _bring(delivery: SessionDelivery, enrolment: Enrolment, state: str, who: console.Invigilator) -> None:
    """Take the candidate's sitting to ``state`` through the services, as in a real session."""
    if state in ("not-arrived", "absent"):
        return
    c = enrolment.candidate
    sitting = candidate_side.join(
        access_code=delivery.access_code, name=c.birth_name, birth_date=c.birth_date
    )
    tab = candidate_side.claim_tab(sitting.pk)
    console.mark_present(delivery=delivery, sitting_id=sitting.pk, who=who)
    if state == "present":
        return
    console.check_identity(delivery=delivery, sitting_id=sitting.pk, document="id-card", who=who)
    if state == "identity":
        return
    console.authorise(delivery=delivery, sitting_id=sitting.pk, who=who)
    candidate_side.start(sitting_id=sitting.pk, tab=tab)
    if state == "in-progress":
        _answer(sitting.pk, tab, 2)
    elif state == "alert":
        _answer(sitting.pk, tab, 1)
        candidate_side.report_problem(
            sitting_id=sitting.pk,
            tab=tab,
            message="L'image de la question ne s'affiche pas : je ne peux pas répondre.",
        )
    else:  # finished: every question answered (« perfect »: every answer right)
        _answer(sitting.pk, tab, QUESTIONS * 2, wrong_every=0 if state == "perfect" else 4)


def _run(
    campaign: Campaign,
    cast: Cast,
    label: str,
    starts_at: datetime,
    where: tuple[str, str],
    people: list[tuple[str, str, str]],
) -> tuple[SessionDelivery, list[Enrolment]]:
    """A session (mode, place) with its candidates, opened online, each candidate taken to their state."""
    session = _session(campaign, cast, label, starts_at, *where)
    placed = _enrol(campaign, cast, session, people)
    delivery = console.open_delivery(session_id=session.pk, actor=cast.organiser)
    for enrolment, (_last, _first, state) in zip(placed, people, strict=True):
        _bring(delivery, enrolment, state, cast.who)
    return delivery, placed


def _today_session(campaign: Campaign, cast: Cast) -> None:
    now = timezone.localtime()
    starts_at = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0) - timedelta(
        minutes=25
    )
    where = (Session.Mode.ONSITE, "INSPÉ de l'académie de Versailles, salle B12")
    delivery, _placed = _run(campaign, cast, TODAY, starts_at, where, TODAY_PEOPLE)
    me = enrolments.enrolment_create(
        campaign=campaign,
        by=cast.organiser,
        data=enrolments.EnrolmentData(
            identity=demo_identity(
                email=CANDIDATE, birth_name="Candidate", first_names="Camille", birth_date=date(1975, 1, 1)
            ),
            academy=cast.academy,
            school_level="second",
            training="continue",
            target_level="confirme",
            session=delivery.session,
        ),
    )
    console.ensure_sittings(delivery)
    # candidat@ is ready: identity checked and authorised; they join and start from /epreuve/.
    mine = _sitting(delivery, me)
    console.check_identity(delivery=delivery, sitting_id=mine.pk, document="passport", who=cast.who)
    console.authorise(delivery=delivery, sitting_id=mine.pk, who=cast.who)


def _held_session(campaign: Campaign, cast: Cast, day: date) -> None:
    where = (Session.Mode.REMOTE, "https://visio.education.fr/pix-plus-edu-epreuve-distance")
    delivery, placed = _run(campaign, cast, HELD, paris_instant(day, time(14)), where, HELD_PEOPLE)
    first = _sitting(delivery, placed[0])
    SittingMessage.objects.create(
        sitting=first, from_candidate=True, text="Ma connexion a coupé une minute pendant la question 3."
    )
    console.report_incident(
        delivery=delivery,
        category=Incident.Category.QUESTION,
        description="La candidate signale que l'énoncé de la question 3 est resté incomplet après la coupure.",
        sitting_id=first.pk,
        question_number=3,
        who=cast.who,
    )
    console.finalise(
        delivery=delivery,
        comment="Session à distance sans autre difficulté ; une candidate absente.",
        absentees_confirmed=True,
        who=cast.who,
    )
    _backdate(delivery, delivery.session.starts_at + timedelta(minutes=40))


def _recorded_session(campaign: Campaign, cast: Cast, day: date) -> None:
    where = (Session.Mode.ONSITE, "INSPÉ de Versailles, salle B12")
    delivery, placed = _run(campaign, cast, RECORDED, paris_instant(day, time(9)), where, RECORDED_PEOPLE)
    incident = console.report_incident(
        delivery=delivery,
        category=Incident.Category.LATE_OR_LEFT,
        description="Arrivée avec dix minutes de retard, autorisée avant le début des épreuves.",
        sitting_id=_sitting(delivery, placed[1]).pk,
        who=cast.who,
    )
    console.finalise(
        delivery=delivery, comment="Session sans difficulté.", absentees_confirmed=True, who=cast.who
    )
    console.decide_incident(
        incident_id=incident.pk,
        decision=Incident.Decision.KEEP,
        reason="Retard sans effet sur l'épreuve : le candidat a eu tout son temps.",
        actor=cast.organiser,
    )
    _backdate(delivery, delivery.session.starts_at + timedelta(minutes=30))


def _backdate(delivery: SessionDelivery, moment: datetime) -> None:
    """Move what was just recorded for a past session to when it took place (the audit log keeps the
    real times)."""
    shift = timezone.now() - moment
    sittings = Sitting.objects.filter(session=delivery)
    fields = ("joined_at", "present_at", "identity_checked_at", "authorised_at", "started_at", "finished_at")
    sittings.update(**{f: F(f) - shift for f in (*fields, "last_seen_at")})
    ProctoringEvent.objects.filter(sitting__session=delivery).update(at=F("at") - shift)
    SittingMessage.objects.filter(sitting__session=delivery).update(at=F("at") - shift)
    LiveAlert.objects.filter(sitting__session=delivery).update(created_at=F("created_at") - shift)
    Incident.objects.filter(session=delivery).update(
        reported_at=F("reported_at") - shift, decided_at=F("decided_at") - shift
    )
    Run.objects.filter(sitting__session=delivery).update(
        started_at=F("started_at") - shift, finished_at=F("finished_at") - shift
    )
    Question.objects.filter(run__sitting__session=delivery).update(
        served_at=F("served_at") - shift, answered_at=F("answered_at") - shift
    )
    SessionDelivery.objects.filter(pk=delivery.pk).update(
        finalised_at=F("finalised_at") - shift, results_recorded_at=F("results_recorded_at") - shift
    )


def notes() -> list[str]:
    """What to type to join today's session and to open its console (printed with the accounts)."""
    delivery = SessionDelivery.objects.filter(session__label=TODAY, session__campaign__title=TITLE).first()
    if delivery is None:
        return []
    site = str(settings.CERTEVAL_SITE_URL).rstrip("/")
    return [
        f"Proctored session in progress today: « {TODAY} » ({TITLE})",
        f"  candidates join at {site}{kits.JOIN_PATH} with the access code {delivery.access_code}",
        f"    ({CANDIDATE}: name « Candidate », born 01/01/1975; already authorised)",
        f"  invigilator console at {site}{kits.CONSOLE_PATH}: session number {kits.session_number(delivery)}, "
        f"invigilator password {delivery.invigilator_code} (or sign in as {INVIGILATOR})",
    ]
