"""The public verification: a code (typed in any case, with or without dashes, or scanned) shows the
certification and what the holder agreed to show; a revoked award says « révoquée » with its date;
unknown and malformed codes get the same neutral answer; look-ups are limited per client."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from certeval.juries.tests.factories import jury_campaign
from certeval.results.award_services import award_disclosure_update, award_revoke
from certeval.results.models import Award
from certeval.results.tests.test_candidate_results import client_of, decide_pix, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def award() -> Award:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    return Award.objects.select_related("candidate").get()


def test_a_typed_code_shows_the_award_and_only_what_the_holder_shows(award: Award) -> None:
    client = Client()
    typed = award.grouped_code.lower().replace("-", " ")
    page = client.get("/verifier/", {"code": typed})
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Attestation valable" in html and award.candidate.display_name in html
    assert "Confirmé" in html and award.snapshot["certification"] in html
    award_disclosure_update(award, award.candidate.user, show_name=False, show_level=False, show_date=False)
    html = client.get(f"/verifier/{award.code}/").content.decode()
    assert award.candidate.display_name not in html and "Confirmé" not in html
    assert html.count("non affiché") >= 2 and "Attestation valable" in html
    api = client.get(f"/api/v1/verification/{award.grouped_code}").json()
    assert api["holder"] is None and api["level"] is None and api["awarded_on"] is None
    assert api["status"] == "valid" and api["title"] == award.snapshot["certification"]


def test_a_revoked_award_says_revoked_with_its_date(award: Award) -> None:
    organiser = award.campaign.roles.get(role="organiser", academy__isnull=True).user
    award_revoke(award, organiser, "Fraude")
    html = Client().get(f"/verifier/{award.grouped_code}/").content.decode()
    assert "Attestation révoquée" in html and "révoquée le" in html
    assert "Fraude" not in html  # the reason stays internal
    api = Client().get(f"/api/v1/verification/{award.code}").json()
    assert api["status"] == "revoked" and api["revoked_on"]


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ-ZZZZ", "abc", "0000-OOOO-1111", "x" * 500, "' OR 1=1 --"])
def test_unknown_and_malformed_codes_get_the_same_neutral_answer(award: Award, typed: str) -> None:
    client = Client()
    page = client.get("/verifier/", {"code": typed})
    assert page.status_code == 404
    assert "Aucune attestation ne correspond à ce code" in page.content.decode()
    api = client.get(f"/api/v1/verification/{typed}")
    assert api.status_code == 404 and api.json() == {"detail": "No award matches this code."}


def test_look_ups_are_limited_per_client(award: Award, settings: Any) -> None:
    settings.CERTEVAL_VERIFICATION = {"rate_limit": 3, "rate_window_seconds": 60}
    client = Client()
    for _ in range(3):
        assert client.get(f"/verifier/{award.code}/").status_code == 200
    refused = client.get(f"/verifier/{award.code}/")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Trop de vérifications" in refused.content.decode()
    assert client.get(f"/api/v1/verification/{award.code}").status_code == 429
    other = Client(REMOTE_ADDR="127.0.0.2")
    assert other.get(f"/verifier/{award.code}/").status_code == 200


def test_the_holder_page_lists_code_link_pdf_and_saves_choices(award: Award) -> None:
    holder = client_of(award.candidate.user)
    html = holder.get("/mes-attestations/").content.decode()
    assert award.grouped_code in html and f"/verifier/{award.code}/" in html
    assert f"/mes-attestations/{award.pk}/attestation.pdf" in html
    response = holder.post(f"/mes-attestations/{award.pk}/affichage/", {f"a{award.pk}-show_level": "on"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.show_name, award.show_level, award.show_date) == (False, True, False)
    pdf = holder.get(f"/mes-attestations/{award.pk}/attestation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    result = holder.get(f"/mes-certifications/{award.enrolment_id}/resultat/").content.decode()
    assert "/mes-attestations/" in result
    mine = holder.get("/mes-certifications/").content.decode()
    assert "Mes attestations : 1 attestation délivrée" in mine


def test_the_campaign_page_revokes_with_a_required_reason(award: Award) -> None:
    organiser = award.campaign.roles.get(role="organiser", academy__isnull=True).user
    client = client_of(organiser)
    campaign_page = client.get(f"/campagnes/{award.campaign_id}/").content.decode()
    assert f"/campagnes/{award.campaign_id}/attestations/" in campaign_page
    url = f"/campagnes/{award.campaign_id}/attestations/{award.pk}/revoquer/"
    refused = client.post(url, {f"r{award.pk}-reason": "  "})
    assert refused.status_code == 400 and "Indiquez le motif" in refused.content.decode()
    done = client.post(url, {f"r{award.pk}-reason": "Recours : décision annulée"}, follow=True)
    assert "est révoquée" in done.content.decode()
    award.refresh_from_db()
    assert award.revoked and award.revocation_reason == "Recours : décision annulée"


def test_an_empty_code_asks_for_one_without_counting() -> None:
    page = Client().get("/verifier/", {"code": "  "})
    assert page.status_code == 200 and "Saisissez le code de vérification." in page.content.decode()
    assert "Résultat de la vérification" not in page.content.decode()
