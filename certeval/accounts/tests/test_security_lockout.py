"""A bounded brute force of the sign-in form is locked out after the configured number of failures,
per account and per address; the lockout page is French and says when to retry; every attempt, the
lockout and the sign-ins are in the audit log (docs/security-accounts.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from certeval.accounts.client_address import client_address
from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
MAX_ATTEMPTS = 30


def attempt(client: Client, email: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client, user: User) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_defaults_are_documented_values() -> None:
    assert settings.CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT == 5
    assert settings.CERTEVAL_LOGIN_FAILURES_PER_ADDRESS == 50
    assert settings.CERTEVAL_LOGIN_LOCKOUT_MINUTES == 15
    assert settings.AXES_FAILURE_LIMIT == settings.CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.CERTEVAL_CLIENT_IP_HEADER == ""


def test_a_brute_force_on_one_account_is_locked_out_and_audited() -> None:
    victim = UserFactory(email="victime@example.fr")
    attacker = Client()
    answers = []
    for number in range(1, MAX_ATTEMPTS + 1):
        # The case of the address changes nothing: the same account is counted.
        email = victim.email.upper() if number % 2 else victim.email
        answer = attempt(attacker, email, f"devine-{number}", ATTACKER)
        answers.append(answer.status_code)
        if answer.status_code == 429:
            break
    limit = settings.CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT
    assert answers == [200] * (limit - 1) + [429], answers

    # Locked: even the right password is refused, with the French page.
    locked = attempt(attacker, victim.email, PASSWORD, ATTACKER)
    assert locked.status_code == 429 and not signed_in(attacker, victim)
    page = locked.content.decode()
    assert "Connexion temporairement bloquée" in page
    assert "pour ce compte" in page
    assert "Vous pourrez réessayer dans 15 minutes" in page
    assert "/comptes/mot-de-passe/nouveau-lien/" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # The victim from another address is refused too: the lockout is on the account.
    assert attempt(Client(), victim.email, PASSWORD, ELSEWHERE).status_code == 429

    # A different account from another address still signs in; so does one from the same address
    # (its failures stay far below the address's own limit).
    other = UserFactory(email="autre@example.fr")
    elsewhere = Client()
    assert attempt(elsewhere, other.email, PASSWORD, ELSEWHERE).status_code == 302
    assert signed_in(elsewhere, other)
    neighbour = UserFactory(email="voisine@example.fr")
    same_address = Client()
    assert attempt(same_address, neighbour.email, PASSWORD, ATTACKER).status_code == 302

    failures = AuditEvent.objects.filter(action="account.login_failed", person=victim)
    assert failures.count() == limit + 2  # the attempts up to the lockout, then two while locked
    assert failures.filter(data__locked=True).count() == 2
    first = failures.order_by("pk").first()
    assert first is not None and first.actor is None and first.outcome == "refused"
    assert first.data["email"] == victim.email and first.data["address"] == ATTACKER
    [lockout] = AuditEvent.objects.filter(action="account.lockout")
    assert lockout.person == victim and lockout.data["account_locked"] is True
    assert lockout.data["address"] == ATTACKER
    assert AuditEvent.objects.filter(action="account.login", actor=other, data__address=ELSEWHERE).exists()


def test_the_lockout_ends_after_the_lockout_period() -> None:
    user = UserFactory()
    client = Client()
    for number in range(settings.CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT):
        attempt(client, user.email, f"faux-{number}", ATTACKER)
    assert attempt(client, user.email, PASSWORD, ATTACKER).status_code == 429
    long_ago = timezone.now() - timedelta(minutes=settings.CERTEVAL_LOGIN_LOCKOUT_MINUTES + 1)
    AccessAttempt.objects.update(attempt_time=long_ago)
    assert attempt(client, user.email, PASSWORD, ATTACKER).status_code == 302
    # A successful sign-in clears the account's failures.
    assert not AccessAttempt.objects.filter(username=user.email).exists()


@override_settings(CERTEVAL_LOGIN_FAILURES_PER_ADDRESS=8)
def test_an_address_guessing_many_accounts_is_locked_out() -> None:
    sprayer = Client()
    answers = [
        attempt(sprayer, f"inconnu{number}@example.fr", "Printemps2026!", ATTACKER).status_code
        for number in range(1, 9)
    ]
    assert answers == [200] * 7 + [429]
    # Any account from that address is now refused, even with its password…
    user = UserFactory()
    blocked = attempt(Client(), user.email, PASSWORD, ATTACKER)
    assert blocked.status_code == 429
    assert "depuis votre adresse réseau" in blocked.content.decode()
    # …but the same account signs in from another address.
    assert attempt(Client(), user.email, PASSWORD, ELSEWHERE).status_code == 302
    unknown = AuditEvent.objects.filter(action="account.login_failed", person__isnull=True)
    assert unknown.count() == 8 and unknown.filter(target_id="").count() == 8
    [lockout] = AuditEvent.objects.filter(action="account.lockout")
    assert lockout.data["address_locked"] is True and lockout.data["account_locked"] is False


def test_the_lockout_page_in_the_state_theme(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = "etat"
    user = UserFactory()
    client = Client()
    for number in range(settings.CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT):
        answer = attempt(client, user.email, f"faux-{number}", ATTACKER)
    assert answer.status_code == 429
    page = answer.content.decode()
    assert "fr-alert" in page and "<h1" in page and "Connexion temporairement bloquée" in page


def test_the_audit_journal_shows_sign_in_events_to_administrators() -> None:
    UserFactory(email="connue@example.fr")
    attempt(Client(), "connue@example.fr", "mauvais-mot-de-passe", ATTACKER)
    attempt(Client(), "personne@example.fr", "mauvais-mot-de-passe", ATTACKER)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    page = client.get("/journal/", {"action": "account.login_failed"}).content.decode()
    assert "Échec de connexion" in page
    assert "Aucun compte à cette adresse" in page and "personne@example.fr" in page
    assert ATTACKER in page and "Adresse réseau" in page


def test_the_client_address_header_is_used_only_when_configured() -> None:
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.5")
    assert client_address(request) == "10.0.0.1"  # off by default: the header is ignored
    with override_settings(CERTEVAL_CLIENT_IP_HEADER="X-Forwarded-For"):
        assert client_address(request) == "192.0.2.5"  # the entry the trusted proxy added
        with override_settings(CERTEVAL_TRUSTED_PROXY_COUNT=2):
            assert client_address(request) == "6.6.6.6"
        forged = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="pas-une-adresse")
        assert client_address(forged) == "10.0.0.1"
