"""Every staff page refuses a session without a second factor (docs/security-2fa.md): every URL
pattern of the project and every API operation, requested by a juror, an organiser and an
administrator signed in with their password only, gives no page content — a redirect to the
verification (a device exists) or to the setup (first sign-in), or 403 JSON for the API — except
the second-factor pages, sign-out, the language switch and static files. A verified session gets
through; a candidate without a device is not asked; a candidate who opted in is."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import get_resolver

from certeval.accounts.models import User
from certeval.accounts.otp_middleware import OPEN_PREFIXES, SECOND_FACTOR_PREFIX, VERIFIED_ONLY
from certeval.api import api
from certeval.campaigns.models import CampaignRole, ReviewerAssignment
from certeval.campaigns.tests.factories import CandidateFactory, EnrolmentFactory, UserFactory
from certeval.core.tests.test_role_matrix_coverage import _patterns
from conftest import authenticator_of, login_without_second_factor

pytestmark = pytest.mark.django_db

VALUES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def _concrete(template: str) -> str:
    """A URL for a pattern: every converter given a value of its kind (an absent object is fine:
    the refusal comes before the view)."""
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: VALUES.get(m.group(1) or "str", "x"), template)
    url = url.replace("^", "").replace("$", "")
    return url if url.startswith("/") else "/" + url


def _open(url: str) -> bool:
    return url.startswith(("/static/", *OPEN_PREFIXES)) or (
        url.startswith(SECOND_FACTOR_PREFIX) and not url.startswith(VERIFIED_ONLY)
    )


def site_urls() -> list[str]:
    urls = {_concrete(p) for p in _patterns(get_resolver().url_patterns)}
    return sorted(u for u in urls if not u.startswith("/api/") and not _open(u))


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method, re.sub(r"\{\w+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
    )


def staff() -> dict[str, User]:
    enrolment = EnrolmentFactory()
    organiser = UserFactory()
    CampaignRole.objects.create(campaign=enrolment.campaign, user=organiser, role="organiser")
    juror = UserFactory()
    ReviewerAssignment.objects.create(enrolment=enrolment, user=juror, role="juror")
    return {
        "juror": juror,
        "organiser": organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }


def unverified(user: User) -> Client:
    client = Client()
    login_without_second_factor(client, user)
    return client


def test_the_url_lists_are_complete() -> None:
    urls = site_urls()
    assert len(urls) > 150 and "/jurys/" in urls and "/journal/" in urls and "/" in urls
    assert "/comptes/second-facteur/reinitialiser/" in urls  # an administrator's action needs it
    assert len(api_operations()) > 40


@pytest.mark.parametrize("role", ["juror", "organiser", "administrator"])
def test_every_page_redirects_an_unverified_staff_session_to_the_setup(role: str) -> None:
    user = staff()[role]
    client = unverified(user)
    for url in site_urls():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (role, method, url, response.status_code)
            assert response["Location"].startswith("/comptes/second-facteur/"), (
                role,
                url,
                response["Location"],
            )
            assert not response.content, (role, url)


@pytest.mark.parametrize("role", ["juror", "organiser", "administrator"])
def test_every_page_redirects_to_the_verification_when_a_device_exists(role: str) -> None:
    user = staff()[role]
    authenticator_of(user)
    client = unverified(user)
    for url in site_urls():
        response = client.get(url)
        assert response.status_code == 302, (role, url, response.status_code)
        assert response["Location"].startswith("/comptes/second-facteur/verifier/?next="), (role, url)


def test_every_api_operation_answers_403_json_in_english() -> None:
    client = unverified(staff()["juror"])
    for method, path in api_operations():
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json()["detail"].startswith("Second factor required"), (method, path)


def test_htmx_requests_get_a_full_page_redirect() -> None:
    client = unverified(staff()["organiser"])
    response = client.get("/campagnes/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/comptes/second-facteur/")


def test_open_pages_stay_reachable_without_the_second_factor() -> None:
    client = unverified(staff()["juror"])
    assert client.get("/comptes/second-facteur/").status_code == 200
    assert client.get("/comptes/second-facteur/application/").status_code == 200
    assert client.get("/comptes/second-facteur/cle-d-acces/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/comptes/deconnexion/").status_code == 302


ROLE_PAGES = {
    "juror": "/campagnes/dossiers-a-lire/",
    "organiser": "/campagnes/",
    "administrator": "/journal/",
}


@pytest.mark.parametrize("role", ["juror", "organiser", "administrator"])
def test_a_verified_session_gets_through(role: str) -> None:
    client = Client()
    client.force_login(staff()[role])  # verified: the root conftest's fixture
    assert client.get("/").status_code == 200
    assert client.get(ROLE_PAGES[role]).status_code == 200
    api_answer = client.get("/api/v1/campaigns/1/audit")
    assert api_answer.status_code == 404 or api_answer.status_code == 200, api_answer.content


def test_first_sign_in_invites_to_set_up() -> None:
    client = unverified(staff()["juror"])
    response = client.get("/campagnes/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/comptes/second-facteur/?next=")
    assert "Configurez votre second facteur" in response.content.decode()


def test_candidates_are_not_asked_unless_they_opted_in() -> None:
    candidate = CandidateFactory().user
    client = unverified(candidate)
    assert client.get("/mes-certifications/").status_code == 200
    authenticator_of(candidate)  # the candidate added an authenticator app
    client = unverified(candidate)
    response = client.get("/mes-certifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/second-facteur/verifier/")


@override_settings(CERTEVAL_OTP_REQUIRED=False)
def test_the_requirement_can_be_switched_off() -> None:
    client = unverified(staff()["organiser"])
    assert client.get("/campagnes/").status_code == 200


def test_a_role_counts_at_once_for_a_new_session(settings: Any) -> None:
    person = CandidateFactory().user
    client = unverified(person)
    assert client.get("/mes-certifications/").status_code == 200
    CampaignRole.objects.create(campaign=EnrolmentFactory().campaign, user=person, role="invigilator")
    assert unverified(person).get("/mes-certifications/").status_code == 302
