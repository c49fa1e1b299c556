"""Sensitive actions need a password confirmed recently in the session: publication, revocation and
role grants send a stale session to « Confirmez votre mot de passe », then back to the page to
submit again; signing in counts as a confirmation (docs/security-accounts.md)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from certeval.accounts.models import User
from certeval.accounts.reauth import SESSION_KEY
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import PASSWORD, CampaignFactory, organiser_of
from conftest import second_factor_code

pytestmark = pytest.mark.django_db

CONFIRM = "/comptes/confirmer/"


def confirmed_minutes_ago(client: Client, minutes: float) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time() - minutes * 60)
    session.save()


@pytest.fixture
def organiser() -> tuple[Client, User, int]:
    campaign = CampaignFactory()
    user = organiser_of(campaign)
    client = Client()
    client.force_login(user)
    return client, user, campaign.pk


def grant(client: Client, campaign_id: int, email: str = "nouvelle@example.fr"):  # type: ignore[no-untyped-def]
    roles = f"/campagnes/{campaign_id}/roles/"
    return client.post(
        roles, {"email": email, "role": "invigilator"}, HTTP_REFERER=f"http://testserver{roles}"
    )


def test_a_role_grant_asks_for_the_password_then_is_allowed(organiser: tuple[Client, User, int]) -> None:
    client, user, campaign_id = organiser
    confirmed_minutes_ago(client, settings.CERTEVAL_REAUTH_MINUTES + 1)
    roles = f"/campagnes/{campaign_id}/roles/"

    asked = grant(client, campaign_id)
    assert asked.status_code == 302 and asked["Location"].startswith(CONFIRM)
    assert not CampaignRole.objects.filter(user__email="nouvelle@example.fr").exists()

    page = client.get(asked["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "Confirmez votre mot de passe" in text
    assert "n'a pas été envoyé" in text and f'value="{roles}"' in text
    assert 'autocomplete="current-password"' in text and "<label" in text

    wrong = client.post(asked["Location"], {"password": "pas-le-bon", "next": roles})
    assert wrong.status_code == 200 and "Mot de passe incorrect." in wrong.content.decode()
    assert AuditEvent.objects.filter(action="account.reauth_failed", actor=user, outcome="refused").exists()

    right = client.post(asked["Location"], {"password": PASSWORD, "next": roles})
    assert right.status_code == 302 and right["Location"] == roles
    back = client.get(roles).content.decode()
    assert "soumettez-le à nouveau" in back
    assert AuditEvent.objects.filter(action="account.reauth", actor=user).count() == 1

    assert grant(client, campaign_id).status_code == 302
    assert CampaignRole.objects.filter(user__email="nouvelle@example.fr", role="invigilator").exists()


def test_a_recent_confirmation_or_sign_in_is_enough(organiser: tuple[Client, User, int]) -> None:
    client, user, campaign_id = organiser
    # force_login signs in: a fresh authentication.
    assert grant(client, campaign_id, "a@example.fr")["Location"] == f"/campagnes/{campaign_id}/roles/"
    confirmed_minutes_ago(client, settings.CERTEVAL_REAUTH_MINUTES - 1)
    assert grant(client, campaign_id, "b@example.fr")["Location"] == f"/campagnes/{campaign_id}/roles/"
    # Through the sign-in form too (then the organiser's second factor).
    confirmed_minutes_ago(client, 60)
    form = Client()
    assert form.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD}).status_code == 302
    code = second_factor_code(user)
    assert form.post("/comptes/second-facteur/verifier/", {"token": code}).status_code == 302
    assert grant(form, campaign_id, "c@example.fr")["Location"] == f"/campagnes/{campaign_id}/roles/"


def test_reading_a_guarded_page_needs_no_confirmation(organiser: tuple[Client, User, int]) -> None:
    client, _user, campaign_id = organiser
    confirmed_minutes_ago(client, 60)
    assert client.get(f"/campagnes/{campaign_id}/roles/").status_code == 200


def test_only_the_transition_to_published_is_guarded(organiser: tuple[Client, User, int]) -> None:
    client, _user, campaign_id = organiser
    confirmed_minutes_ago(client, 60)
    url = f"/campagnes/{campaign_id}/etat/"
    publish = client.post(url, {"to_state": "published", "confirm": "on"})
    assert publish.status_code == 302 and publish["Location"].startswith(CONFIRM)
    close = client.post(url, {"to_state": "deposit_closed"})
    assert close.status_code == 302 and close["Location"] == f"/campagnes/{campaign_id}/"


def test_the_api_answers_403_with_the_confirmation_address(organiser: tuple[Client, User, int]) -> None:
    client, _user, campaign_id = organiser
    confirmed_minutes_ago(client, 60)
    answer = client.post(
        f"/api/v1/campaigns/{campaign_id}/roles",
        {"email": "api@example.fr", "role": "juror"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert answer.json()["confirm_url"].startswith(CONFIRM) and "mot de passe" in answer.json()["detail"]
    published = client.post(
        f"/api/v1/campaigns/{campaign_id}/transitions",
        {"to_state": "published", "confirm": True},
        content_type="application/json",
    )
    assert published.status_code == 403
    assert not CampaignRole.objects.filter(user__email="api@example.fr").exists()


def test_the_next_address_stays_on_this_site(organiser: tuple[Client, User, int]) -> None:
    client, _user, _campaign_id = organiser
    answer = client.post(CONFIRM, {"password": PASSWORD, "next": "https://ailleurs.example/"})
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_the_admin_role_grant_is_guarded() -> None:
    admin = User.objects.create_superuser("admin@example.fr", PASSWORD)
    target = User.objects.create_user("personne@example.fr", PASSWORD)
    client = Client()
    client.force_login(admin)
    confirmed_minutes_ago(client, 60)
    url = f"/admin/accounts/user/{target.pk}/change/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"email": target.email, "is_superuser": "on"})
    assert answer.status_code == 302 and answer["Location"].startswith(CONFIRM)
    target.refresh_from_db()
    assert not target.is_superuser
