"""Oral rehearsals: opening slots, booking (full, past, already booked), feedback, and that a
rehearsal never counts for the decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign
from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from certeval.juries.models import Deliberation, GridScore, OralSlot
from certeval.juries.rehearsal_models import RehearsalBooking
from certeval.juries.rehearsal_services import (
    RehearsalRefused,
    rehearsal_book,
    rehearsal_feedback,
    rehearsal_slot_open,
)
from certeval.juries.tests.rehearsal_fixtures import rehearsal_world

pytestmark = pytest.mark.django_db


def test_a_juror_volunteers_an_organiser_opens_for_a_juror_a_stranger_cannot() -> None:
    world = rehearsal_world()
    world.slot()
    world.slot(by=world.organiser)
    with pytest.raises(PermissionDenied):
        rehearsal_slot_open(
            campaign=world.campaign,
            by=UserFactory(),
            rehearser=world.juror.user,
            starts_at=timezone.now() + timedelta(days=1),
            place="Salle 3",
        )
    with pytest.raises(RehearsalRefused, match="vous-même ou un juré"):
        rehearsal_slot_open(
            campaign=world.campaign,
            by=world.juror.user,
            rehearser=world.organiser,
            starts_at=timezone.now() + timedelta(days=1),
            place="Salle 3",
        )
    assert AuditEvent.objects.filter(action="juries.rehearsal_open").count() == 2


@pytest.mark.parametrize(
    ("hours", "visio", "place", "message"),
    [(-1, "https://v.example.fr", "", "dans le futur"), (24, "", "  ", "lien de visioconférence ou un lieu")],
)
def test_bad_slots_are_refused(hours: int, visio: str, place: str, message: str) -> None:
    world = rehearsal_world()
    with pytest.raises(RehearsalRefused, match=message):
        rehearsal_slot_open(
            campaign=world.campaign,
            by=world.organiser,
            rehearser=world.organiser,
            starts_at=timezone.now() + timedelta(hours=hours),
            visio_link=visio,
            place=place,
        )


def test_booking_full_past_and_already_booked_are_refused_in_french(settings: Any) -> None:
    world = rehearsal_world()
    slot = world.slot()
    user = world.enrolment.candidate.user
    booking = rehearsal_book(enrolment=world.enrolment, slot_id=slot.pk, by=user)
    other = EnrolmentFactory(campaign=world.campaign)
    with pytest.raises(RehearsalRefused, match="complet"):
        rehearsal_book(enrolment=other, slot_id=slot.pk, by=other.candidate.user)
    second = world.slot(hours=72)
    with pytest.raises(RehearsalRefused, match="déjà réservé une répétition"):
        rehearsal_book(enrolment=world.enrolment, slot_id=second.pk, by=user)
    settings.CERTEVAL_REHEARSAL_BOOKINGS_PER_CANDIDATE = 2
    rehearsal_book(enrolment=world.enrolment, slot_id=second.pk, by=user)
    third = world.slot(hours=96)
    with pytest.raises(RehearsalRefused, match="passé"):
        rehearsal_book(enrolment=other, slot_id=third.pk, by=other.candidate.user, now=third.starts_at)
    with pytest.raises(RehearsalRefused, match="n'existe pas"):
        rehearsal_book(enrolment=other, slot_id=999999, by=other.candidate.user)
    with pytest.raises(PermissionDenied):
        rehearsal_book(enrolment=other, slot_id=third.pk, by=user)
    assert booking.slot == slot
    assert AuditEvent.objects.filter(action="juries.rehearsal_book", outcome="refused").count() == 4


def test_a_slot_of_another_campaign_cannot_be_booked() -> None:
    world = rehearsal_world()
    elsewhere = rehearsal_world().slot()
    with pytest.raises(RehearsalRefused, match="n'existe pas pour votre campagne"):
        rehearsal_book(enrolment=world.enrolment, slot_id=elsewhere.pk, by=world.enrolment.candidate.user)


def test_no_booking_once_the_deliberation_started() -> None:
    world = rehearsal_world()
    slot = world.slot()
    Campaign.objects.filter(pk=world.campaign.pk).update(state="deliberation")
    world.enrolment.refresh_from_db()
    with pytest.raises(RehearsalRefused, match="closes"):
        rehearsal_book(enrolment=world.enrolment, slot_id=slot.pk, by=world.enrolment.candidate.user)


def test_feedback_after_the_rehearsal_by_the_rehearser_only_and_the_candidate_reads_it() -> None:
    world = rehearsal_world()
    slot = world.slot()
    user = world.enrolment.candidate.user
    rehearsal_book(enrolment=world.enrolment, slot_id=slot.pk, by=user)
    with pytest.raises(RehearsalRefused, match="pas encore eu lieu"):
        rehearsal_feedback(slot=slot, by=world.juror.user, text="Bien")
    with pytest.raises(PermissionDenied):
        rehearsal_feedback(slot=slot, by=world.organiser, text="Bien", now=slot.starts_at)
    with pytest.raises(RehearsalRefused, match="Écrivez votre retour"):
        rehearsal_feedback(slot=slot, by=world.juror.user, text="  ", now=slot.starts_at)
    rehearsal_feedback(
        slot=slot, by=world.juror.user, text="Analyse réflexive à approfondir.", now=slot.starts_at
    )
    client = Client()
    client.force_login(user)
    page = client.get(f"/mes-certifications/{world.enrolment.pk}/repetition/").content.decode()
    assert "Analyse réflexive à approfondir." in page and "ne compte jamais pour la décision" in page
    # A rehearsal never counts for the decision: nothing of the jury's work exists for it.
    assert (
        not OralSlot.objects.exists() and not GridScore.objects.exists() and not Deliberation.objects.exists()
    )


def test_candidate_books_through_the_page_with_clear_errors() -> None:
    world = rehearsal_world()
    slot = world.slot()
    client = Client()
    client.force_login(world.enrolment.candidate.user)
    url = f"/mes-certifications/{world.enrolment.pk}/repetition/"
    assert "visio.example.fr" in client.get(url).content.decode()
    response = client.post(url + "reserver/", {"slot": "abc"}, follow=True)
    assert "Choisissez un créneau." in response.content.decode()
    response = client.post(url + "reserver/", {"slot": slot.pk}, follow=True)
    assert "Répétition réservée" in response.content.decode()
    response = client.post(url + "reserver/", {"slot": slot.pk}, follow=True)
    assert "complet" in response.content.decode()
    assert RehearsalBooking.objects.count() == 1
    assert (
        f"/mes-certifications/{world.enrolment.pk}/repetition/"
        in client.get("/mes-certifications/").content.decode()
    )


def test_staff_page_opens_slots_and_shows_french_errors() -> None:
    world = rehearsal_world()
    client = Client()
    client.force_login(world.juror.user)
    url = f"/jurys/campagne/{world.campaign.pk}/repetitions/"
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        url, {"rehearser": world.juror.user.pk, "day": day, "clock": "14:00", "duration_minutes": 30}
    )
    assert "Indiquez un lien de visioconférence ou un lieu." in response.content.decode()
    response = client.post(
        url,
        {
            "rehearser": world.juror.user.pk,
            "day": "2020-01-01",
            "clock": "14:00",
            "duration_minutes": 30,
            "place": "Salle 1",
        },
    )
    assert "dans le futur" in response.content.decode()
    response = client.post(
        url,
        {
            "rehearser": world.juror.user.pk,
            "day": day,
            "clock": "14:00",
            "duration_minutes": 30,
            "place": "Salle 1",
        },
    )
    assert response.status_code == 302
    assert "Salle 1" in client.get(url).content.decode()


def test_the_rehearsal_page_is_linked_from_the_campaign_page_and_my_juries() -> None:
    world = rehearsal_world()
    url = f"/jurys/campagne/{world.campaign.pk}/repetitions/"
    client = Client()
    client.force_login(world.organiser)
    assert url in client.get(f"/campagnes/{world.campaign.pk}/").content.decode()
    client.force_login(world.juror.user)
    assert url in client.get("/jurys/").content.decode()


def test_a_booking_is_confirmed_by_e_mail_to_the_candidate_and_the_rehearser(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    world = rehearsal_world()
    slot = world.slot()
    with django_capture_on_commit_callbacks(execute=True):
        rehearsal_book(enrolment=world.enrolment, slot_id=slot.pk, by=world.enrolment.candidate.user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {world.enrolment.candidate.email, world.juror.user.email}
    assert "Répétition de l'oral réservée" in message.subject and "visio.example.fr" in message.body
    assert "ne compte jamais pour la décision" in message.body


def test_the_enrolment_page_shows_the_booked_rehearsal_to_the_candidate_and_the_organiser() -> None:
    world = rehearsal_world()
    slot = world.slot()
    rehearsal_book(enrolment=world.enrolment, slot_id=slot.pk, by=world.enrolment.candidate.user)
    url = f"/campagnes/candidats/{world.enrolment.pk}/"
    client = Client()
    for user in (world.enrolment.candidate.user, world.organiser):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Répétitions réservées" in page and "À écrire" in page
    client.force_login(world.organiser)
    assert f"/mes-certifications/{world.enrolment.pk}/guide/" in client.get(url).content.decode()
    assert f"/mes-certifications/{world.enrolment.pk}/relecture/" not in client.get(url).content.decode()
    client.force_login(world.enrolment.candidate.user)
    assert f"/mes-certifications/{world.enrolment.pk}/relecture/" in client.get(url).content.decode()
