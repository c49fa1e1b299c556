"""The write path of oral rehearsals (seed 004, §5.2) and who may do what.

- Organisers who run the campaign open slots for themselves or for a juror of the campaign's pool;
  a juror of the pool (or a group's president) volunteers by opening slots for themselves.
- A candidate of the campaign books a future free slot: one booking per candidate and campaign
  (``CERTEVAL_REHEARSAL_BOOKINGS_PER_CANDIDATE``, default 1), while the campaign is before its
  deliberation.
- The rehearser writes feedback once the slot has started; the candidate reads it.

A rehearsal never counts for the decision: no scoring, deliberation or result reads these rows."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, CampaignState, Enrolment
from certeval.campaigns.permissions import campaigns_run
from certeval.core.dates import paris_text
from certeval.juries.models import Juror
from certeval.juries.permissions import campaigns_of_juror
from certeval.juries.rehearsal_emails import enqueue_booking
from certeval.juries.rehearsal_models import REHEARSAL_FEEDBACK_MAX_LENGTH, RehearsalBooking, RehearsalSlot

DEFAULT_BOOKINGS_PER_CANDIDATE = 1
# Rehearsals prepare the oral: booked until the deliberation starts.
BOOKABLE_STATES = (CampaignState.OPEN, CampaignState.DEPOSIT_CLOSED, CampaignState.JURIES)


class RehearsalRefused(Exception):
    """A rehearsal action refused for a business reason (the message is French)."""


def bookings_per_candidate() -> int:
    return int(getattr(settings, "CERTEVAL_REHEARSAL_BOOKINGS_PER_CANDIDATE", DEFAULT_BOOKINGS_PER_CANDIDATE))


# --- Permissions -----------------------------------------------------------------------------------


def campaigns_rehearsing(user: User) -> QuerySet[Campaign]:
    """Campaigns whose rehearsal page the user opens: those they run, and those whose juror pool
    they belong to or whose group of juries they preside."""
    if is_administrator(user):
        return Campaign.objects.all()
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(pk__in=campaigns_run(user).values("pk")) | Q(pk__in=campaigns_of_juror(user).values("pk"))
    ).distinct()


def runs(user: User, campaign: Campaign) -> bool:
    return campaigns_run(user).filter(pk=campaign.pk).exists()


def rehearsers_for(user: User, campaign: Campaign) -> list[User]:
    """Whom the user may open a slot for: themselves, and, for those who run the campaign, the
    jurors of its pool."""
    people = {user.pk: user}
    if runs(user, campaign):
        for juror in Juror.objects.filter(campaign=campaign).select_related("user"):
            people.setdefault(juror.user_id, juror.user)
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.email))


def slots_visible(user: User, campaign: Campaign) -> QuerySet[RehearsalSlot]:
    """Every slot of the campaign for those who run it; a volunteer's own slots otherwise."""
    slots = RehearsalSlot.objects.filter(campaign=campaign).select_related(
        "rehearser", "booking__enrolment__candidate"
    )
    return slots if runs(user, campaign) else slots.filter(rehearser=user)


# --- Writes ----------------------------------------------------------------------------------------


def rehearsal_slot_open(
    *,
    campaign: Campaign,
    by: User,
    rehearser: User,
    starts_at: datetime,
    duration_minutes: int = 30,
    visio_link: str = "",
    place: str = "",
    now: datetime | None = None,
) -> RehearsalSlot:
    now = now or timezone.now()
    if not campaigns_rehearsing(by).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    if rehearser.pk not in {u.pk for u in rehearsers_for(by, campaign)}:
        raise RehearsalRefused(
            _("Vous ne pouvez ouvrir un créneau que pour vous-même ou un juré de la campagne.")
        )
    if starts_at <= now:
        raise RehearsalRefused(_("Le créneau doit commencer dans le futur."))
    if not (visio_link.strip() or place.strip()):
        raise RehearsalRefused(_("Indiquez un lien de visioconférence ou un lieu."))
    if not 10 <= duration_minutes <= 120:
        raise RehearsalRefused(_("La durée d'une répétition va de 10 à 120 minutes."))
    with transaction.atomic():
        slot = RehearsalSlot.objects.create(
            campaign=campaign,
            rehearser=rehearser,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            visio_link=visio_link.strip(),
            place=place.strip(),
            created_by=by,
            created_at=now,
        )
        audit_record(
            actor=by,
            action="juries.rehearsal_open",
            target=slot,
            data={"starts_at": starts_at.isoformat(), "rehearser": rehearser.pk},
            campaign=campaign,
            person=rehearser,
        )
    return slot


def rehearsal_book(
    *, enrolment: Enrolment, slot_id: int, by: User, now: datetime | None = None
) -> RehearsalBooking:
    """The candidate books a slot of their campaign; refusals say why (full, past, already booked)."""
    now = now or timezone.now()
    if enrolment.candidate.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update().select_related("campaign", "candidate").get(pk=enrolment.pk)
        )
        slot = (
            RehearsalSlot.objects.select_for_update()
            .filter(pk=slot_id, campaign_id=locked.campaign_id)
            .first()
        )
        refusal: str | None = None
        if slot is None:
            refusal = _("Ce créneau de répétition n'existe pas pour votre campagne.")
        elif locked.campaign.state not in BOOKABLE_STATES:
            refusal = _("Les répétitions de l'oral de cette campagne sont closes.")
        elif locked.status == "eliminated":
            refusal = _("Votre inscription est éliminée : vous ne pouvez pas réserver de répétition.")
        elif slot.starts_at <= now:
            refusal = _("Ce créneau est passé (%(date)s) : choisissez un créneau à venir.") % {
                "date": paris_text(slot.starts_at)
            }
        elif RehearsalBooking.objects.filter(slot=slot).exists():
            refusal = _("Ce créneau est complet : il a déjà été réservé. Choisissez-en un autre.")
        elif RehearsalBooking.objects.filter(enrolment=locked).count() >= bookings_per_candidate():
            refusal = _(
                "Vous avez déjà réservé une répétition pour cette campagne (%(max)s au plus par candidat)."
            ) % {"max": bookings_per_candidate()}
        if refusal is None and slot is not None:
            booking = RehearsalBooking.objects.create(slot=slot, enrolment=locked, booked_at=now)
            audit_record(
                actor=by,
                action="juries.rehearsal_book",
                target=booking,
                data={"slot": slot.pk, "starts_at": slot.starts_at.isoformat()},
                campaign=locked.campaign,
                person=by,
            )
            enqueue_booking(booking.pk)
            return booking
        audit_record(
            actor=by,
            action="juries.rehearsal_book",
            target=locked,
            refused=True,
            message=refusal or "",
            data={"slot": slot_id},
        )
    raise RehearsalRefused(refusal)


def rehearsal_feedback(
    *, slot: RehearsalSlot, by: User, text: str, now: datetime | None = None
) -> RehearsalBooking:
    """The rehearser's written feedback, once the rehearsal has started (it may be rewritten)."""
    now = now or timezone.now()
    if slot.rehearser_id != by.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise RehearsalRefused(_("Écrivez votre retour avant de l'enregistrer."))
    if len(text) > REHEARSAL_FEEDBACK_MAX_LENGTH:
        raise RehearsalRefused(
            _("Votre retour dépasse %(max)s caractères (%(count)s) : raccourcissez-le.")
            % {"max": REHEARSAL_FEEDBACK_MAX_LENGTH, "count": len(text)}
        )
    with transaction.atomic():
        booking = (
            RehearsalBooking.objects.select_for_update()
            .select_related("slot__campaign", "enrolment__candidate")
            .filter(slot=slot)
            .first()
        )
        if booking is None:
            raise RehearsalRefused(_("Personne n'a réservé ce créneau : il n'y a pas de retour à écrire."))
        if booking.slot.starts_at > now:
            raise RehearsalRefused(_("La répétition n'a pas encore eu lieu : écrivez votre retour après."))
        booking.feedback = text
        booking.feedback_at = now
        booking.save(update_fields=["feedback", "feedback_at"])
        audit_record(
            actor=by,
            action="juries.rehearsal_feedback",
            target=booking,
            data={"slot": slot.pk, "characters": len(text)},
            campaign=booking.slot.campaign,
            person=booking.enrolment.candidate.user,
        )
    return booking
