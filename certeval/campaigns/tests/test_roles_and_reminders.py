"""Granting and withdrawing campaign roles by e-mail (scoped organisers limited to their academy),
and the scheduled deadline reminders (once per enrolment and window)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole, DeadlineReminder
from certeval.campaigns.services import deadline_reminders_due
from certeval.campaigns.tests.factories import (
    AcademyFactory,
    CampaignFactory,
    EnrolmentFactory,
    UserFactory,
    organiser_of,
)

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_organiser_grants_a_role_to_a_new_address_who_gets_the_password_email(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    campaign = CampaignFactory()
    organiser = client_of(organiser_of(campaign))
    url = f"/campagnes/{campaign.pk}/roles/"
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(
            url, {"email": "Nouvelle.Jure@Example.fr", "role": "juror", "last_name": "Jurée"}
        )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.jure@example.fr")
    assert not user.has_usable_password()
    assert CampaignRole.objects.filter(campaign=campaign, user=user, role="juror").exists()
    [message] = mail.outbox
    assert message.to == ["nouvelle.jure@example.fr"] and "/comptes/mot-de-passe/" in message.body
    assert "Juré" in message.body
    assert AuditEvent.objects.filter(action="campaign.role_grant").count() == 1
    assert AuditEvent.objects.filter(action="account.create").count() == 1
    again = organiser.post(url, {"email": "nouvelle.jure@example.fr", "role": "juror"})
    assert "a déjà ce rôle" in again.content.decode()
    page = organiser.get(url).content.decode()
    assert "nouvelle.jure@example.fr" in page and "Retirer le rôle" in page

    grant = CampaignRole.objects.get(user=user)
    organiser.post(f"/campagnes/{campaign.pk}/roles/retirer/", {"grant": grant.pk})
    assert not CampaignRole.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="campaign.role_revoke", data__email=user.email).exists()


def test_an_existing_account_keeps_its_password_and_gets_a_sign_in_link(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    campaign = CampaignFactory()
    known = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client_of(organiser_of(campaign)).post(
            f"/campagnes/{campaign.pk}/roles/", {"email": known.email, "role": "invigilator"}
        )
    known.refresh_from_db()
    assert known.has_usable_password()
    assert "/comptes/connexion/" in mail.outbox[0].body


def test_the_last_unscoped_organiser_cannot_be_withdrawn() -> None:
    campaign = CampaignFactory()
    me = organiser_of(campaign)
    grant = CampaignRole.objects.get(user=me)
    client = client_of(me)
    client.post(f"/campagnes/{campaign.pk}/roles/retirer/", {"grant": grant.pk})
    assert CampaignRole.objects.filter(pk=grant.pk).exists()


def test_an_academy_scoped_organiser_only_grants_organisers_of_their_academy() -> None:
    campaign = CampaignFactory()
    lyon, versailles = AcademyFactory(code="lyon"), AcademyFactory(code="versailles")
    scoped = client_of(organiser_of(campaign, academy=lyon))
    url = f"/campagnes/{campaign.pk}/roles/"
    page = scoped.get(url).content.decode()
    assert "Juré" not in page and "Versailles" not in page
    scoped.post(url, {"email": "x@example.fr", "role": "juror"})
    scoped.post(url, {"email": "y@example.fr", "role": "organiser", "academy": versailles.pk})
    assert not CampaignRole.objects.filter(user__email__in=["x@example.fr", "y@example.fr"]).exists()
    scoped.post(url, {"email": "z@example.fr", "role": "organiser", "academy": lyon.pk})
    assert CampaignRole.objects.filter(user__email="z@example.fr", academy=lyon).exists()
    # and withdraws only those
    unscoped = (
        CampaignRole.objects.get(campaign=campaign, academy__isnull=True, role="organiser")
        if (CampaignRole.objects.filter(campaign=campaign, academy__isnull=True).exists())
        else CampaignRole.objects.create(campaign=campaign, user=UserFactory(), role="organiser")
    )
    scoped.post(f"/campagnes/{campaign.pk}/roles/retirer/", {"grant": unscoped.pk})
    assert CampaignRole.objects.filter(pk=unscoped.pk).exists()


def test_reminders_go_once_per_enrolment_and_window(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    campaign = CampaignFactory(deposit_deadline=now + timedelta(days=5))
    far = CampaignFactory(deposit_deadline=now + timedelta(days=30))
    pending = EnrolmentFactory(campaign=campaign)
    EnrolmentFactory(campaign=far)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_due(days=7, now=now) == 1
    assert deadline_reminders_due(days=7, now=now + timedelta(minutes=1)) == 0  # idempotent
    assert [m.to for m in mail.outbox] == [[pending.candidate.email]]
    assert deadline_reminders_due(days=7, now=now + timedelta(days=26)) == 1  # the far campaign enters J-7
    # a second, shorter window is a new reminder
    assert deadline_reminders_due(days=1, now=now + timedelta(days=4, hours=1)) == 1
    assert list(DeadlineReminder.objects.filter(enrolment=pending).values_list("days_before", flat=True)) in (
        [1, 7],
        [7, 1],
    )
    # past the deadline: nothing
    assert deadline_reminders_due(days=7, now=now + timedelta(days=6)) == 0


def test_remind_command() -> None:
    EnrolmentFactory(campaign=CampaignFactory(deposit_deadline=timezone.now() + timedelta(days=2)))
    out = StringIO()
    call_command("campaigns", "remind", "--days", "3", stdout=out)
    assert "1 reminder(s) sent (J-3)." in out.getvalue()
    call_command("campaigns", "remind", "--days", "3", stdout=out)
    assert "0 reminder(s) sent (J-3)." in out.getvalue()
