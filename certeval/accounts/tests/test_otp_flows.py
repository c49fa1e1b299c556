"""The second factor's flows (docs/security-2fa.md): setting up an authenticator app with a real
code, verifying after the password, wrong codes refused in French and throttled, recovery codes that
work once, removal with the password, an administrator's reset, the staff idle timeout, the passkey
ceremonies' options, and every step's audit row."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from certeval.accounts.models import User
from certeval.accounts.otp_middleware import ACTIVITY_KEY
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CandidateFactory, EnrolmentFactory, UserFactory
from conftest import authenticator_of, login_without_second_factor, second_factor_code

pytestmark = pytest.mark.django_db


def juror() -> User:
    user = UserFactory()
    CampaignRole.objects.create(campaign=EnrolmentFactory().campaign, user=user, role="invigilator")
    return user


def unverified(user: User) -> Client:
    client = Client()
    login_without_second_factor(client, user)
    return client


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def actions(user: User) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(person=user).order_by("pk").values_list("action", "outcome"))


def test_first_sign_in_sets_up_an_app_with_a_real_code_then_recovery_codes() -> None:
    user = juror()
    client = unverified(user)
    page = client.get("/comptes/second-facteur/application/?next=/campagnes/surveillance/")
    content = text(page)
    assert 'src="data:image/svg+xml' in content  # the QR code (segno)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code id="totp-secret" class="otp-secret">([A-Z2-7 ]+)</code>', content)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32  # also readable as text
    assert "otpauth://totp/Certeval" in content

    wrong = client.post("/comptes/second-facteur/application/", {"token": "000000", "next": "/"})
    assert "Ce code ne correspond pas" in text(wrong)
    assert client.get("/campagnes/").status_code == 302  # still not verified
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the wait after the wrong code is over
    device.save()

    done = client.post("/comptes/second-facteur/application/", {"token": code_of(device), "next": "/"})
    assert done.status_code == 302 and done["Location"].startswith(
        "/comptes/second-facteur/codes-de-secours/"
    )
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200  # the session is verified

    codes_page = client.post("/comptes/second-facteur/codes-de-secours/", {"next": "/"})
    codes = re.findall(r"<li><code>(\w+)</code></li>", text(codes_page))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "ne seront plus jamais affichés" in text(codes_page)
    again = text(client.get("/comptes/second-facteur/codes-de-secours/"))
    assert codes[0] not in again and "Il vous reste 10 codes non utilisés" in again
    assert ("account.otp_device_add", "done") in actions(user)
    assert ("account.recovery_codes_generate", "done") in actions(user)


def test_verification_after_the_password_with_an_app_code() -> None:
    user = juror()
    device = authenticator_of(user)
    client = unverified(user)
    page = client.get("/comptes/second-facteur/verifier/?next=/campagnes/surveillance/")
    assert "Vérification en deux étapes" in text(page)
    response = client.post(
        "/comptes/second-facteur/verifier/",
        {"token": second_factor_code(user), "next": "/campagnes/surveillance/"},
    )
    assert response.status_code == 302 and response["Location"] == "/campagnes/surveillance/"
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).last_t > 0


def test_wrong_codes_are_refused_in_french_audited_and_throttled() -> None:
    user = juror()
    authenticator_of(user)
    client = unverified(user)
    first = client.post("/comptes/second-facteur/verifier/", {"token": "123456"})
    assert first.status_code == 200
    assert "Ce code n'est pas valable" in text(first)
    # django-otp's wait doubles after each failure (1 s, 2 s, 4 s…): after four failures, even the
    # right code is refused for 8 s.
    assert TOTPDevice.objects.get(user=user).throttling_failure_count == 1
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=4)
    second = client.post(
        "/comptes/second-facteur/verifier/", {"token": code_of(TOTPDevice.objects.get(user=user))}
    )
    assert "Trop de codes erronés : patientez" in text(second)
    assert client.get("/campagnes/").status_code == 302
    failures = [a for a in actions(user) if a[0] == "account.otp_failure"]
    assert failures == [("account.otp_failure", "refused")] * 2


def test_a_recovery_code_works_once() -> None:
    user = juror()
    authenticator_of(user)
    client = Client()
    client.force_login(user)
    codes_page = client.post("/comptes/second-facteur/codes-de-secours/")
    code = re.findall(r"<li><code>(\w+)</code></li>", text(codes_page))[0]

    first = unverified(user)
    response = first.post("/comptes/second-facteur/verifier/", {"token": code}, follow=True)
    assert "Code de secours accepté" in text(response) and "Il vous en reste 9" in text(response)
    assert first.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    second = unverified(user)
    refused = second.post("/comptes/second-facteur/verifier/", {"token": code})
    assert "Ce code n'est pas valable" in text(refused)
    assert ("account.recovery_code_use", "done") in actions(user)


def test_candidate_opts_in_then_is_asked_at_sign_in() -> None:
    candidate = CandidateFactory().user
    client = unverified(candidate)
    page = text(client.get("/comptes/second-facteur/"))
    assert "Vous pouvez protéger votre compte" in page
    client.get("/comptes/second-facteur/application/")
    device = TOTPDevice.objects.get(user=candidate, confirmed=False)
    client.post("/comptes/second-facteur/application/", {"token": code_of(device)})
    assert client.get("/mes-certifications/").status_code == 200
    later = unverified(candidate)
    assert later.get("/mes-certifications/")["Location"].startswith("/comptes/second-facteur/verifier/")


def test_removing_a_device_needs_the_password() -> None:
    from certeval.campaigns.tests.factories import PASSWORD

    user = juror()
    client = Client()
    client.force_login(user)
    client.get("/comptes/second-facteur/application/")
    extra = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/comptes/second-facteur/application/", {"token": code_of(extra)})
    url = f"/comptes/second-facteur/supprimer/totp/{extra.pk}/"
    wrong = client.post(url, {"password": "pas le bon"})
    assert "Mot de passe incorrect" in text(wrong)
    assert TOTPDevice.objects.filter(pk=extra.pk).exists()
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=extra.pk).exists()
    assert ("account.otp_device_remove", "done") in actions(user)
    other = juror()
    assert (
        client.get(f"/comptes/second-facteur/supprimer/totp/{authenticator_of(other).pk}/").status_code == 404
    )


def test_an_administrator_resets_a_person_who_lost_their_device() -> None:
    person = juror()
    authenticator_of(person)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    unknown = client.post("/comptes/second-facteur/reinitialiser/", {"email": "personne@exemple.fr"})
    assert "Aucun compte n'a cette adresse" in text(unknown)
    response = client.post(
        "/comptes/second-facteur/reinitialiser/", {"email": person.email.upper()}, follow=True
    )
    assert "1 appareil supprimé" in text(response)
    assert not TOTPDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="account.otp_reset")
    assert event.actor == admin and event.person == person
    # The person's next request goes to the setup of a new second factor.
    assert unverified(person).get("/campagnes/")["Location"].startswith("/comptes/second-facteur/?next=")
    # Others cannot, nor an administrator whose own session is not verified.
    staff_client = Client()
    staff_client.force_login(juror())
    assert staff_client.get("/comptes/second-facteur/reinitialiser/").status_code == 404
    assert unverified(admin).get("/comptes/second-facteur/reinitialiser/").status_code == 302


def _idle(client: Client, minutes: float) -> None:
    session = client.session
    session[ACTIVITY_KEY] = time.time() - minutes * 60
    session.save()


def test_an_idle_staff_session_ends_and_the_sign_in_page_says_why(settings: Any) -> None:
    settings.CERTEVAL_STAFF_IDLE_MINUTES = 30
    client = Client()
    client.force_login(juror())
    assert client.get("/").status_code == 200
    _idle(client, 29)
    assert client.get("/").status_code == 200  # still active: the request renews it
    _idle(client, 31)
    response = client.get("/campagnes/surveillance/", follow=True)
    assert response.redirect_chain[0][0].startswith("/comptes/connexion/?next=")
    assert "Votre session a pris fin après 30 minutes sans activité" in text(response)
    assert "_auth_user_id" not in client.session


def test_an_idle_candidate_session_stays(settings: Any) -> None:
    client = Client()
    client.force_login(CandidateFactory().user)
    client.get("/")
    _idle(client, 120)
    assert client.get("/mes-certifications/").status_code == 200
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_passkey_pages_and_ceremony_options() -> None:
    user = juror()
    client = Client()
    client.force_login(user)
    page = text(client.get("/comptes/second-facteur/cle-d-acces/"))
    assert "passkey-registration-placeholder" in page and "otp_webauthn_register.js" in page
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", page.split("<main")[1])  # no CDN script
    options = client.post("/comptes/second-facteur/cle-d-acces/api/inscription/debut/")
    assert options.status_code == 200
    body = options.json()
    assert body["rp"]["name"] == "Certeval" and body["rp"]["id"] == "localhost"
    assert body["user"]["name"] == user.email
    auth = client.post("/comptes/second-facteur/cle-d-acces/api/verification/debut/")
    assert auth.status_code == 200 and "challenge" in auth.json()
    # Completing without a ceremony under way is refused and audited as a failure.
    failed = client.post(
        "/comptes/second-facteur/cle-d-acces/api/verification/fin/", {}, content_type="application/json"
    )
    assert failed.status_code == 422  # the ceremony's answer is missing
    assert ("account.otp_failure", "refused") in actions(user)
    # Passwordless sign-in is off: the password always comes first.
    assert Client().post("/comptes/second-facteur/cle-d-acces/api/verification/debut/").status_code == 403
    assert Client().post("/comptes/second-facteur/cle-d-acces/api/inscription/debut/").status_code == 403


def test_the_verification_page_offers_the_passkey_when_there_is_one() -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    user = juror()
    WebAuthnCredential.objects.create(
        user=user, name="clé", confirmed=True, public_key=b"k", credential_id=b"c", sign_count=0
    )
    content = text(unverified(user).get("/comptes/second-facteur/verifier/"))
    assert "passkey-verification-button" in content and "otp_webauthn_auth.js" in content
    assert "Avec un code" not in content  # no app nor recovery codes: the code form is not offered
