"""Reads of the candidate's pages of a proctored test (``sitting_views``): which sitting the browser
joined, which page it should see, what the welcome page says, the progress, the messages.

A candidate is not signed in: the Django session of the browser that joined holds the sitting's id
(``SESSION_KEY``), and that is the only way a page names a sitting — no URL carries it, so no one can
open another candidate's test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certeval.domain.delivery import allowed_seconds
from certeval.testing import sitting_engine
from certeval.testing.models import LiveAlert, Question, Sitting, SittingMessage, TestProfile
from certeval.testing.models.items import Part
from certeval.testing.run_selectors import profile_of, progress_of, questions_of

SESSION_KEY = "sitting_id"
WELCOME_KEY = "sitting_welcome_read"

WAITING = (
    Sitting.Status.NOT_ARRIVED,
    Sitting.Status.PRESENT,
    Sitting.Status.IDENTITY_CHECKED,
    Sitting.Status.AUTHORISED,
)
OPEN = (Sitting.Status.IN_PROGRESS, Sitting.Status.PAUSED)

# What the waiting room says in each state before the start (the state's own words for the candidate).
WAITING_LABELS: dict[str, Any] = {
    Sitting.Status.NOT_ARRIVED: gettext_lazy("En attente du surveillant"),
    Sitting.Status.PRESENT: gettext_lazy("Présence constatée"),
    Sitting.Status.IDENTITY_CHECKED: gettext_lazy("Identité vérifiée"),
    Sitting.Status.AUTHORISED: gettext_lazy("Autorisé : vous pouvez commencer"),
}
WAITING_HINTS: dict[str, Any] = {
    Sitting.Status.NOT_ARRIVED: gettext_lazy(
        "Le surveillant va constater votre présence, puis vérifier votre identité."
    ),
    Sitting.Status.PRESENT: gettext_lazy("Préparez votre pièce d'identité : le surveillant va la vérifier."),
    Sitting.Status.IDENTITY_CHECKED: gettext_lazy("Le surveillant va autoriser le début de votre épreuve."),
    Sitting.Status.AUTHORISED: gettext_lazy(
        "Votre temps ne commence qu'au moment où vous cliquez sur « Commencer l'épreuve »."
    ),
}


def sitting_of(session: SessionBase) -> Sitting | None:
    """The sitting this browser joined, or None."""
    sitting_id = session.get(SESSION_KEY)
    if not isinstance(sitting_id, int):
        return None
    return sitting_of_id(sitting_id)


def sitting_of_id(sitting_id: int) -> Sitting | None:
    return (
        Sitting.objects.select_related(
            "session__session",
            "enrolment__campaign__framework_version",
            "enrolment__candidate",
            "run",
        )
        .filter(pk=sitting_id)
        .first()
    )


def pending_alert(sitting: Sitting) -> LiveAlert | None:
    return LiveAlert.objects.filter(sitting=sitting, status=LiveAlert.Status.PENDING).first()


def last_handled_alert(sitting: Sitting) -> LiveAlert | None:
    return (
        LiveAlert.objects.filter(sitting=sitting, handled_at__isnull=False)
        .order_by("-handled_at", "-pk")
        .first()
    )


def stage_of(sitting: Sitting) -> str:
    """The page the candidate should see: ``waiting`` (before the start), ``question``, ``blocked``
    (a problem reported, waiting for the invigilator), ``paused`` or ``ended``."""
    if sitting.status in WAITING:
        return "waiting"
    if sitting.status in OPEN:
        if pending_alert(sitting) is not None:
            return "blocked"
        return "paused" if sitting.status == Sitting.Status.PAUSED else "question"
    return "ended"


def poll_state(sitting: Sitting) -> str:
    """What a polling page compares with the state it shows: the stage, and before the start the
    sitting's own state (each step of the waiting room is shown)."""
    stage = stage_of(sitting)
    return str(sitting.status) if stage == "waiting" else stage


def is_remote(sitting: Sitting) -> bool:
    return bool(sitting.session.session.mode == "remote")


def duration_label(minutes: int) -> str:
    """« 2 h 30 », « 45 min », « 3 h »."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    if not rest:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)02d") % {"h": hours, "m": rest}


def seconds_label(seconds: float) -> str:
    """The remaining time as the page's countdown shows it: « 1 h 05 min 09 s »."""
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    return f"{minutes} min {secs:02d} s"


@dataclass(frozen=True)
class PartGuide:
    label: str
    questions: int
    minutes: int
    minutes_label: str


@dataclass(frozen=True)
class Guide:
    """What the welcome page and the instructions say (from the référentiel's automated part)."""

    remote: bool
    minutes: int
    minutes_label: str
    extra_percent: int
    allowed_label: str
    setup_label: str
    max_questions: int
    parts: list[PartGuide]
    place: str
    place_is_link: bool


def guide_of(sitting: Sitting) -> Guide:
    campaign = sitting.enrolment.campaign
    remote = is_remote(sitting)
    minutes = sitting_engine.duration_minutes(campaign)
    extra = int(sitting.enrolment.extra_time_percent or 0)
    extras: dict[str, Any] = (campaign.framework_version.document.get("extras") or {}).get(
        "automated_part"
    ) or {}
    part_labels = dict(Part.choices)
    parts = []
    for key, advised in (extras.get("advised_minutes") or {}).items():
        name = str(key).replace("_", "-")
        parts.append(
            PartGuide(
                label=str(part_labels.get(name, name)),
                questions=int(extras.get(f"{key}_questions") or 0),
                minutes=int(advised),
                minutes_label=duration_label(int(advised)),
            )
        )
    place = sitting.session.session.place or ""
    return Guide(
        remote=remote,
        minutes=minutes,
        minutes_label=duration_label(minutes),
        extra_percent=extra,
        allowed_label=duration_label(round(allowed_seconds(minutes, extra) / 60)),
        setup_label=duration_label(sitting_engine.setup_minutes(campaign, remote)),
        max_questions=sitting_engine.max_questions(campaign),
        parts=parts,
        place=place,
        place_is_link=place.startswith(("https://", "http://")),
    )


def profile_of_sitting(sitting: Sitting) -> TestProfile:
    return profile_of(sitting.enrolment.candidate)


def reads_aloud(sitting: Sitting, profile: TestProfile) -> bool:
    """The « Lire la question à voix haute » button: for a person whose accommodations say so."""
    needs = set(profile.needs) | set(sitting.run.needs if sitting.run is not None else [])
    return "screen-reader" in needs


@dataclass(frozen=True)
class Position:
    number: int
    total: int
    answered: int


def position_of(sitting: Sitting) -> Position:
    assert sitting.run is not None
    progress = progress_of(sitting.run, questions_of(sitting.run))
    return Position(progress.number, progress.total, progress.answered)


def answers_recorded(sitting: Sitting) -> int:
    """The answers the candidate gave (a question replaced after a live alert is not one of them)."""
    if sitting.run is None:
        return 0
    return Question.objects.filter(run=sitting.run, answered_at__isnull=False, response__isnull=False).count()


def question_at(sitting: Sitting, position: int) -> Question | None:
    if sitting.run is None or not 0 < position < 2**31:
        return None
    return (
        Question.objects.filter(run=sitting.run, position=position)
        .select_related("item_version__item")
        .first()
    )


def question_with_key(sitting: Sitting, key: str) -> Question | None:
    if sitting.run is None or not key:
        return None
    return (
        Question.objects.filter(run=sitting.run, idempotency_key=key)
        .select_related("item_version__item")
        .first()
    )


def messages_of(sitting: Sitting) -> list[SittingMessage]:
    return list(SittingMessage.objects.filter(sitting=sitting).order_by("at", "pk"))
