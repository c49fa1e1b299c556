"""Reads of the invigilator console and of the organiser's pages about proctored sessions
(docs/testing.md, « Invigilator console » and « Incidents and finalisation »).

Everything a person reads is a label (states, categories, documents, decisions, levels), never a code;
times are Paris time. The console's rows say which actions the candidate's state allows, so that the
page only offers those (the services refuse the others anyway, with their own message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Session
from certeval.core.dates import PARIS, paris_text
from certeval.testing import sitting_services as candidate_side
from certeval.testing.console_services import BEFORE_START
from certeval.testing.models import (
    Incident,
    LiveAlert,
    ProctoringEvent,
    Question,
    SessionDelivery,
    Sitting,
    SittingMessage,
)
from certeval.testing.models.items import Accommodation
from certeval.testing.permissions import deliveries_invigilated, incidents_decidable
from certeval.testing.run_selectors import level_label
from certeval.testing.selectors import automated_test_of
from certeval.testing.sitting_engine import delivery_settings

# A candidate heard from within this many seconds is shown as connected (CERTEVAL_DELIVERY may set it).
CONNECTED_SECONDS = 60


def hour(moment: datetime) -> str:
    """``10:42:13`` in Paris time."""
    return f"{moment.astimezone(PARIS):%H:%M:%S}"


def clock_text(seconds: float) -> str:
    """Time left as ``mm:ss`` (minutes beyond 59 included: ``150:00``)."""
    whole = max(int(seconds + 0.5), 0)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def is_remote(delivery: SessionDelivery) -> bool:
    return bool(delivery.session.mode == Session.Mode.REMOTE)


# --- the sessions a person opens ------------------------------------------------------------------


def console_sessions(user: User) -> list[SessionDelivery]:
    """The proctored sessions whose console the user opens with their account, the next ones first."""
    return list(
        deliveries_invigilated(user)
        .select_related("session__campaign")
        .annotate(candidates=Count("sittings"))
        .order_by("finalised_at", "session__starts_at", "pk")
    )


def delivery_or_none(delivery_id: int) -> SessionDelivery | None:
    return SessionDelivery.objects.select_related("session__campaign").filter(pk=delivery_id).first()


def may_invigilate(user: User, delivery: SessionDelivery) -> bool:
    return deliveries_invigilated(user).filter(pk=delivery.pk).exists()


# --- live alerts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertView:
    alert: LiveAlert
    sitting_id: int
    candidate: str
    question: int | None
    message: str
    at: str


def pending_alerts(delivery: SessionDelivery) -> list[AlertView]:
    alerts = LiveAlert.objects.filter(
        sitting__session=delivery, status=LiveAlert.Status.PENDING
    ).select_related("sitting__enrolment__candidate", "question")
    return [
        AlertView(
            alert=a,
            sitting_id=a.sitting_id,
            candidate=a.sitting.enrolment.candidate.display_name,
            question=a.question.position if a.question is not None else None,
            message=a.message,
            at=hour(a.created_at),
        )
        for a in alerts
    ]


def alerts_signature(alerts: list[AlertView]) -> str:
    """What the page shows of the pending alerts: the same signature, nothing to redraw."""
    return "-".join(str(a.alert.pk) for a in alerts) or "0"


# --- the candidates ---------------------------------------------------------------------------------


@dataclass
class Row:
    sitting: Sitting
    name: str
    status: str
    state: str
    progress: str
    time_left: str
    connected: bool
    connection: str
    left_page: int
    takeovers: int
    accommodations: list[str]
    alert: AlertView | None
    messages: list[SittingMessage] = field(default_factory=list)
    finish: str = ""

    @property
    def blocked(self) -> bool:
        return self.alert is not None

    @property
    def can_mark_present(self) -> bool:
        return self.status == Sitting.Status.NOT_ARRIVED

    @property
    def can_check_identity(self) -> bool:
        return self.status in (Sitting.Status.NOT_ARRIVED, Sitting.Status.PRESENT)

    @property
    def can_authorise(self) -> bool:
        return self.status == Sitting.Status.IDENTITY_CHECKED

    @property
    def can_pause(self) -> bool:
        return self.status == Sitting.Status.IN_PROGRESS

    @property
    def can_resume(self) -> bool:
        return self.status == Sitting.Status.PAUSED

    @property
    def can_add_time(self) -> bool:
        return self.status in (*BEFORE_START, *candidate_side.OPEN)

    @property
    def can_end(self) -> bool:
        return self.status in candidate_side.OPEN

    @property
    def has_more(self) -> bool:
        return self.can_add_time or self.can_end


def _connection(sitting: Sitting, now: datetime) -> tuple[bool, str]:
    seen = max((t for t in (sitting.joined_at, sitting.last_seen_at) if t is not None), default=None)
    if seen is None:
        return False, _("Pas encore connecté")
    window = int(delivery_settings().get("connected_seconds", CONNECTED_SECONDS))
    if sitting.status in (Sitting.Status.FINISHED, Sitting.Status.ENDED, Sitting.Status.ABSENT):
        return False, _("Dernier contact à %(time)s") % {"time": hour(seen)}
    if now - seen <= timedelta(seconds=window):
        return True, _("Connecté")
    return False, _("Déconnecté depuis %(time)s") % {"time": hour(seen)}


def _accommodations(sitting: Sitting) -> list[str]:
    enrolment = sitting.enrolment
    found = []
    if enrolment.extra_time_percent:
        found.append(_("Temps majoré de %(n)s %%") % {"n": enrolment.extra_time_percent})
    needs = dict(Accommodation.choices)
    if sitting.run is not None:
        found += [str(needs[n]) for n in sitting.run.needs if n in needs]
    if enrolment.accessible_formats:
        found.append(_("Formats accessibles : %(formats)s") % {"formats": enrolment.accessible_formats})
    return found


def _progress(sitting: Sitting, answered: int) -> str:
    if sitting.run is None or sitting.status not in candidate_side.OPEN:
        return ""
    total = int(sitting.run.settings.get("max_items") or 0)
    number = min(answered + 1, total) if total else answered + 1
    return _("question %(k)s/%(n)s") % {"k": number, "n": total}


def _count(queryset: QuerySet[Any], link: str) -> Coalesce:
    """A correlated count per sitting (separate subqueries: joining questions and events in one
    query would multiply their rows at every refresh of the console)."""
    counted = queryset.filter(**{link: OuterRef("pk")}).values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sittings_of(delivery: SessionDelivery) -> QuerySet[Sitting]:
    events = ProctoringEvent.objects.all()
    return (
        delivery.sittings.select_related("enrolment__candidate", "run")
        .annotate(
            answered=_count(Question.objects.filter(answered_at__isnull=False, scored=True), "run__sitting"),
            left_page=_count(events.filter(kind=ProctoringEvent.Kind.LEFT_PAGE), "sitting"),
            takeovers=_count(events.filter(kind=ProctoringEvent.Kind.TAKEOVER), "sitting"),
        )
        .order_by("enrolment__candidate__birth_name", "enrolment__candidate__first_names", "pk")
    )


def rows(delivery: SessionDelivery, alerts: list[AlertView], now: datetime | None = None) -> list[Row]:
    """Every candidate of the session, as the console shows them."""
    now = now or timezone.now()
    by_sitting = {a.sitting_id: a for a in alerts}
    queryset = sittings_of(delivery)
    if is_remote(delivery):
        queryset = queryset.prefetch_related(
            Prefetch("messages", queryset=SittingMessage.objects.order_by("at", "pk"))
        )
    found = []
    for sitting in queryset:
        connected, connection = _connection(sitting, now)
        running = sitting.status in candidate_side.OPEN
        found.append(
            Row(
                sitting=sitting,
                name=sitting.enrolment.candidate.display_name,
                status=sitting.status,
                state=sitting.get_status_display(),
                progress=_progress(sitting, sitting.answered),  # type: ignore[attr-defined]
                time_left=clock_text(candidate_side.remaining_seconds(sitting, now)) if running else "",
                connected=connected,
                connection=connection,
                left_page=sitting.left_page,  # type: ignore[attr-defined]
                takeovers=sitting.takeovers,  # type: ignore[attr-defined]
                accommodations=_accommodations(sitting),
                alert=by_sitting.get(sitting.pk),
                messages=list(sitting.messages.all()) if is_remote(delivery) else [],
                finish=sitting.get_finish_display() if sitting.finish else "",
            )
        )
    return found


def sitting_of(delivery: SessionDelivery, sitting_id: int) -> Sitting | None:
    return delivery.sittings.select_related("enrolment__candidate").filter(pk=sitting_id).first()


def conversation(sitting: Sitting) -> list[SittingMessage]:
    return list(sitting.messages.order_by("at", "pk"))


# --- incidents and finalisation -------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    campaign: str
    session: str
    candidate: str
    category: str
    question: int | None
    description: str
    reported: str
    status: str
    outcome: str
    decision: str
    decided: str
    neutralisable: bool


def outcome_text(sitting: Sitting | None) -> str:
    """The candidate's outcome as an organiser reads it before deciding an incident."""
    if sitting is None:
        return _("Toute la session")
    outcome = sitting.outcome or {}
    if sitting.status not in (Sitting.Status.FINISHED, Sitting.Status.ENDED) or not outcome:
        return sitting.get_status_display()
    finish = sitting.get_finish_display() if sitting.finish else sitting.get_status_display()
    answered = outcome.get("answered", 0)
    if outcome.get("valid") and outcome.get("level"):
        level = level_label(sitting.enrolment.campaign, str(outcome["level"]))
        return _("%(finish)s — %(n)s réponse(s) — niveau obtenu : %(level)s") % {
            "finish": finish,
            "n": answered,
            "level": level,
        }
    return _("%(finish)s — %(n)s réponse(s) — pas de résultat valide") % {"finish": finish, "n": answered}


def _status(incident: Incident) -> str:
    if incident.decision:
        return _("Décidé : %(decision)s") % {"decision": incident.get_decision_display()}
    return _("En attente de la décision de l'organisateur")


def _who(user: User | None) -> str:
    if user is None:
        return _("le surveillant")
    return str(user.get_full_name() or user.email)


def incident_view(incident: Incident) -> IncidentView:
    sitting = incident.sitting
    session = incident.session.session
    decided = ""
    if incident.decided_at is not None:
        decided = _("par %(who)s le %(date)s") % {
            "who": _who(incident.decided_by),
            "date": paris_text(incident.decided_at),
        }
    return IncidentView(
        incident=incident,
        campaign=session.campaign.title,
        session=session.label,
        candidate=sitting.enrolment.candidate.display_name if sitting is not None else _("Toute la session"),
        category=incident.get_category_display(),
        question=incident.question_number,
        description=incident.description,
        reported=paris_text(incident.reported_at),
        status=_status(incident),
        outcome=outcome_text(sitting),
        decision=incident.get_decision_display() if incident.decision else "",
        decided=decided,
        neutralisable=sitting is not None and bool(incident.question_number),
    )


def _incidents(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    return queryset.select_related(
        "session__session__campaign",
        "sitting__enrolment__candidate",
        "sitting__enrolment__campaign",
        "decided_by",
    ).order_by("reported_at", "pk")


def incidents_of(delivery: SessionDelivery) -> list[IncidentView]:
    return [incident_view(i) for i in _incidents(delivery.incidents.all())]


@dataclass(frozen=True)
class ResultsState:
    finalised: bool
    recorded: bool
    undecided: int
    text: str


def results_state(delivery: SessionDelivery) -> ResultsState:
    """Whether the session's results are recorded, or held by undecided incidents."""
    undecided = delivery.incidents.filter(decision="").count()
    if delivery.finalised_at is None:
        return ResultsState(False, False, undecided, _("Session en cours : elle n'est pas encore finalisée."))
    if delivery.results_recorded_at is not None:
        return ResultsState(
            True,
            True,
            undecided,
            _("Résultats enregistrés le %(date)s.") % {"date": paris_text(delivery.results_recorded_at)},
        )
    return ResultsState(
        True,
        False,
        undecided,
        _("Résultats en attente : %(n)s incident(s) à décider par l'organisateur.") % {"n": undecided},
    )


@dataclass(frozen=True)
class Finalisation:
    absentees: list[Row]
    open_tests: int
    pending_alerts: int
    incidents: list[IncidentView]


def finalisation(delivery: SessionDelivery) -> Finalisation:
    now = timezone.now()
    alerts = pending_alerts(delivery)
    every = rows(delivery, alerts, now)
    return Finalisation(
        absentees=[r for r in every if r.status in BEFORE_START or r.status == Sitting.Status.ABSENT],
        open_tests=sum(1 for r in every if r.status in candidate_side.OPEN),
        pending_alerts=len(alerts),
        incidents=incidents_of(delivery),
    )


# --- the organiser's pages ---------------------------------------------------------------------------


def has_automated_test(campaign: Campaign) -> bool:
    return automated_test_of(campaign.framework_version) is not None


@dataclass(frozen=True)
class SessionLine:
    session: Session
    delivery: SessionDelivery | None
    candidates: int
    dates: str
    state: str


def campaign_sessions(campaign: Campaign) -> list[SessionLine]:
    """The campaign's sessions, each with its online delivery once opened."""
    deliveries = {
        d.session_id: d
        for d in SessionDelivery.objects.filter(session__campaign=campaign).annotate(
            undecided=Count("incidents", filter=Q(incidents__decision=""))
        )
    }
    lines = []
    for session in campaign.sessions.annotate(
        placed=Count("enrolments", filter=Q(enrolments__status="enrolled"))
    ).order_by("starts_at", "pk"):
        delivery = deliveries.get(session.pk)
        state = _("Pas encore ouverte en ligne") if delivery is None else results_state(delivery).text
        lines.append(
            SessionLine(
                session=session,
                delivery=delivery,
                candidates=session.placed,
                dates=paris_text(session.starts_at),
                state=state,
            )
        )
    return lines


def incidents_to_decide(user: User) -> tuple[list[IncidentView], list[IncidentView]]:
    """The incidents the user decides: those waiting (oldest first), and those decided (latest first)."""
    decidable = _incidents(incidents_decidable(user))
    waiting = [incident_view(i) for i in decidable.filter(decision="")]
    decided = [incident_view(i) for i in decidable.exclude(decision="").order_by("-decided_at", "-pk")]
    return waiting, decided


def decidable_incident(user: User, incident_id: int) -> Incident | None:
    return _incidents(incidents_decidable(user)).filter(pk=incident_id).first()
