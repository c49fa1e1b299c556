"""A visitor types an attestation's code on the public verification page and reads the result; a
revoked attestation shows « révoquée »; the holder's « Mes attestations » page. axe-core finds no
violation on these pages, in both themes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_browser import sign_in
from certeval.results.award_services import award_revoke
from certeval.results.models import Award
from certeval.results.tests.test_candidate_results import decide_pix, publish
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_a_visitor_verifies_a_code_then_sees_it_revoked(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    cache.clear()
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = Award.objects.select_related("candidate").get()

    page.goto("/verifier/")
    assert_accessible(page)
    page.get_by_label("Code de vérification").fill(award.grouped_code.lower())
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation valable")).to_be_visible()
    expect(page.get_by_text(award.candidate.display_name)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code de vérification").fill("ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Aucune attestation ne correspond à ce code", exact=False)).to_be_visible()

    award_revoke(award, jc.organiser, "Fraude constatée")
    page.goto(f"/verifier/{award.code}/")
    expect(page.get_by_text("Attestation révoquée")).to_be_visible()
    expect(page.get_by_text("Cette attestation a été révoquée le", exact=False)).to_be_visible()
    assert_accessible(page)

    sign_in(page, award.candidate.user.email)
    page.goto("/mes-attestations/")
    expect(page.get_by_text(award.grouped_code)).to_be_visible()
    assert_accessible(page)
