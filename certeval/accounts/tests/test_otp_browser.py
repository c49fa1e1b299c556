"""A juror's first sign-in in a real browser (docs/security-2fa.md): the password, then the
invitation to set up a second factor, the authenticator app (QR code and the secret as text), a
real code, the recovery codes, and their page — in both themes, each page checked by axe-core.
Then a passkey, with Chromium's virtual authenticator: created, and used to verify the next sign-in."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from certeval.campaigns.models import ReviewerAssignment
from certeval.campaigns.tests.factories import PASSWORD, EnrolmentFactory, UserFactory
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUROR_PAGE = "/campagnes/dossiers-a-lire/"


def juror_email() -> str:
    juror = UserFactory(first_name="Julie", last_name="Jurée")
    ReviewerAssignment.objects.create(enrolment=EnrolmentFactory(), user=juror, role="juror")
    return juror.email


def password_step(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/comptes/connexion/?next={JUROR_PAGE}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_first_sign_in_of_a_juror_sets_up_an_authenticator_app(
    page, settings, live_server, theme: str
) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    password_step(page, juror_email())

    expect(page.locator("h1")).to_have_text("Configurez votre second facteur")
    assert_accessible(page)
    page.get_by_role("link", name="Une application d'authentification").click()

    expect(page.locator("h1")).to_have_text("Ajouter une application d'authentification")
    assert_accessible(page)
    expect(page.get_by_role("img", name="QR code à scanner")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code affiché par l'application").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code ne correspond pas")).to_be_visible()
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp's wait after one wrong code
    page.get_by_label("Code affiché par l'application").fill(f"{totp(base64.b32decode(secret)):06d}")
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("h1")).to_have_text("Codes de secours")
    page.get_by_role("button", name="Créer dix codes de secours").click()
    expect(page.get_by_role("list", name="Vos codes de secours").locator("li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continuer").click()
    expect(page).to_have_url(f"{live_server.url}{JUROR_PAGE}")
    expect(page.locator("h1")).to_be_visible()


def test_a_passkey_with_chromium_virtual_authenticator(page, settings, live_server) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    assert live_server.url.startswith("http://localhost:")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    email = juror_email()
    password_step(page, email)
    expect(page.locator("h1")).to_have_text("Configurez votre second facteur")
    page.get_by_role("link", name="Une clé d'accès (passkey)").click()
    expect(page.locator("h1")).to_have_text("Ajouter une clé d'accès (passkey)")
    assert_accessible(page)
    page.get_by_role("button", name="Créer une clé d'accès").click()
    expect(page.locator("h1")).to_have_text("Second facteur")
    expect(page.get_by_text("Clé d'accès (passkey)").first).to_be_visible()

    page.context.clear_cookies()
    password_step(page, email)
    expect(page.locator("h1")).to_have_text("Vérification en deux étapes")
    assert_accessible(page)
    page.get_by_role("button", name="Utiliser ma clé d'accès").click()
    expect(page).to_have_url(f"{live_server.url}{JUROR_PAGE}")
