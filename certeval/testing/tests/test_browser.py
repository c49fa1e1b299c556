"""The automated-results page passes axe-core in both themes: an organiser limited to one academy
records a result, sees only their candidates, and the enrolment's prerequisite page links to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.tests.factories import organiser_of
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_records_a_result_on_the_automated_results_page(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    campaign = campaign_of()
    mine = enrolment_in(campaign, "lyon")
    theirs = enrolment_in(campaign, "nice")
    organiser = organiser_of(campaign, academy=academy("lyon"))

    sign_in(page, organiser.email)
    page.goto(f"/campagnes/candidats/{mine.pk}/prerequis/")
    page.get_by_role("link", name="Enregistrer ou importer les résultats du volet automatisé").click()
    assert_accessible(page)
    expect(page.get_by_role("rowheader", name=mine.candidate.display_name)).to_be_visible()
    assert page.get_by_text(theirs.candidate.email).count() == 0
    page.locator("#id_enrolment").select_option(str(mine.pk))
    page.locator("#id_level").select_option("avance")
    page.locator("#id_obtained_on").fill("2026-01-15")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    page.get_by_text("Résultat enregistré.").wait_for()
    expect(page.get_by_role("cell", name="15/01/2026")).to_be_visible()
    expect(page.get_by_role("cell", name="15/01/2029")).to_be_visible()
    assert_accessible(page)
