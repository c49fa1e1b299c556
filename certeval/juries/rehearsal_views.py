"""Pages of the oral rehearsals (seed 004, §5.2).

- ``/jurys/campagne/<id>/repetitions/``: organisers who run the campaign (every slot; they open
  slots for themselves or a juror of the pool) and volunteering jurors of the pool (their own
  slots); 404 for anyone else.
- ``/jurys/repetitions/<slot>/retour/``: the slot's rehearser writes feedback; 404 for anyone else.
- ``/mes-certifications/<enrolment>/repetition/``: the candidate books a slot and reads the feedback;
  404 for anyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.models import Enrolment
from certeval.core.dates import paris_text
from certeval.juries import rehearsal_services as services
from certeval.juries.rehearsal_forms import BookForm, FeedbackForm, OpenSlotForm
from certeval.juries.rehearsal_models import RehearsalBooking, RehearsalSlot


def _person(user: User) -> str:
    return user.get_full_name() or user.email


def _where(slot: RehearsalSlot) -> str:
    return slot.visio_link or slot.place


@login_required
def campaign_rehearsals(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_visible_or_404(services.campaigns_rehearsing(request.user), pk=campaign_id)
    rehearsers = services.rehearsers_for(request.user, campaign)
    choices = [(u.pk, _person(u)) for u in rehearsers]
    form = OpenSlotForm(
        request.POST if request.method == "POST" else None,
        rehearsers=choices,
        initial={"rehearser": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rehearser = next(u for u in rehearsers if u.pk == data["rehearser"])
        try:
            services.rehearsal_slot_open(
                campaign=campaign,
                by=request.user,
                rehearser=rehearser,
                starts_at=paris_instant(data["day"], data["clock"]),
                duration_minutes=data["duration_minutes"],
                visio_link=data["visio_link"],
                place=data["place"],
            )
        except services.RehearsalRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Créneau de répétition ouvert."))
            return redirect("rehearsals:campaign", campaign.pk)
    now = timezone.now()
    rows = []
    for slot in services.slots_visible(request.user, campaign):
        booking = getattr(slot, "booking", None)
        rows.append(
            (
                slot,
                paris_text(slot.starts_at),
                _person(slot.rehearser),
                _where(slot),
                booking.enrolment.candidate.display_name if booking else _("Libre"),
                (_("Écrit") if booking.feedback_at else _("À écrire")) if booking else "—",
                slot.rehearser_id == request.user.pk and booking is not None and slot.starts_at <= now,
            )
        )
    return render(
        request,
        "juries/rehearsal/campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (_("Répétitions de l'oral"), "")],
        },
    )


@login_required
def rehearsal_feedback(request: AuthenticatedHttpRequest, slot_id: int) -> HttpResponse:
    slot = get_visible_or_404(
        RehearsalSlot.objects.filter(rehearser=request.user).select_related("campaign"), pk=slot_id
    )
    booking = RehearsalBooking.objects.filter(slot=slot).select_related("enrolment__candidate").first()
    form = FeedbackForm(
        request.POST if request.method == "POST" else None,
        initial={"text": booking.feedback if booking else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rehearsal_feedback(slot=slot, by=request.user, text=form.cleaned_data["text"])
        except services.RehearsalRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Retour enregistré : le candidat peut le lire."))
            return redirect("rehearsals:campaign", slot.campaign_id)
    return render(
        request,
        "juries/rehearsal/feedback.html",
        {
            "slot": slot,
            "booking": booking,
            "when": paris_text(slot.starts_at),
            "form": form,
            "crumbs": [
                (_("Mes jurys"), reverse("juries:mine")),
                (_("Répétitions de l'oral"), reverse("rehearsals:campaign", args=[slot.campaign_id])),
                (_("Retour sur une répétition"), ""),
            ],
        },
    )


def _own_enrolment(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    return get_visible_or_404(
        Enrolment.objects.filter(candidate__user=request.user).select_related("campaign", "candidate"),
        pk=enrolment_id,
    )


@login_required
@require_GET
def candidate_rehearsal(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    now = timezone.now()
    bookings = list(
        RehearsalBooking.objects.filter(enrolment=enrolment)
        .select_related("slot__rehearser")
        .order_by("slot__starts_at")
    )
    can_book = (
        enrolment.campaign.state in services.BOOKABLE_STATES
        and len(bookings) < services.bookings_per_candidate()
    )
    free = (
        RehearsalSlot.objects.filter(campaign=enrolment.campaign, starts_at__gt=now, booking__isnull=True)
        .select_related("rehearser")
        .order_by("starts_at")
        if can_book
        else RehearsalSlot.objects.none()
    )
    return render(
        request,
        "juries/rehearsal/candidate.html",
        {
            "enrolment": enrolment,
            "bookings": [
                (
                    b,
                    paris_text(b.slot.starts_at),
                    _person(b.slot.rehearser),
                    _where(b.slot),
                    b.slot.starts_at <= now,
                )
                for b in bookings
            ],
            "free": [(s, paris_text(s.starts_at), _person(s.rehearser), _where(s)) for s in free],
            "can_book": can_book,
            "max_bookings": services.bookings_per_candidate(),
            "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Répétition de l'oral"), "")],
        },
    )


@login_required
@require_POST
def candidate_book(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un créneau."))
        return redirect("rehearsals:candidate", enrolment.pk)
    try:
        booking = services.rehearsal_book(
            enrolment=enrolment, slot_id=form.cleaned_data["slot"], by=request.user
        )
    except services.RehearsalRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Répétition réservée le %(date)s.") % {"date": paris_text(booking.slot.starts_at)}
        )
    return redirect("rehearsals:candidate", enrolment.pk)
