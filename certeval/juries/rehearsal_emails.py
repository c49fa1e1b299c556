"""The e-mail confirming a rehearsal booking, to the candidate and to the rehearser, sent by the task
worker once the booking's transaction commits (ids only, as ``campaigns.notifications`` does)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import site_url
from certeval.core.dates import paris_text


def enqueue_booking(booking_id: int) -> None:
    transaction.on_commit(partial(send_booking_email.enqueue, booking_id))


def booking_email(booking_id: int) -> EmailMessage:
    """Build (without sending) the confirmation, addressed to the candidate and the rehearser."""
    from certeval.juries.rehearsal_models import RehearsalBooking

    booking = RehearsalBooking.objects.select_related(
        "slot__campaign", "slot__rehearser", "enrolment__candidate"
    ).get(pk=booking_id)
    slot = booking.slot
    context: dict[str, Any] = {
        "booking": booking,
        "campaign": slot.campaign,
        "candidate": booking.enrolment.candidate,
        "rehearser": slot.rehearser.get_full_name() or slot.rehearser.email,
        "when": paris_text(slot.starts_at),
        "where": slot.visio_link or slot.place,
        "candidate_url": site_url(reverse("rehearsals:candidate", args=[booking.enrolment_id])),
        "feedback_url": site_url(reverse("rehearsals:feedback", args=[slot.pk])),
    }
    subject = render_to_string("juries/emails/rehearsal_booked_subject.txt", context).strip()
    body = render_to_string("juries/emails/rehearsal_booked_body.txt", context)
    return EmailMessage(
        subject=subject, body=body, to=[booking.enrolment.candidate.email, slot.rehearser.email]
    )


@task()
def send_booking_email(booking_id: int) -> None:
    booking_email(booking_id).send()
