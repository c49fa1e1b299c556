"""A candidate reads their published result and downloads their bordereau; axe-core finds no
violation on the page, in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_browser import sign_in
from certeval.results.tests.test_candidate_results import decide_pix, publish
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_candidate_reads_their_published_result(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    candidate = jc.enrolments[0].candidate.user
    sign_in(page, candidate.email)
    page.goto("/mes-certifications/")
    page.get_by_role("link", name="Mon oral et mon résultat").click()
    expect(page.get_by_text("Les résultats ne sont pas encore publiés.", exact=False)).to_be_visible()
    assert_accessible(page)
    publish(jc)
    page.goto("/mes-certifications/")
    page.get_by_role("link", name="Mon oral et mon résultat (résultats publiés)").click()
    expect(page.get_by_text("Certifié — niveau Confirmé")).to_be_visible()
    expect(page.get_by_role("table", name="Points à travailler")).to_be_visible()
    assert_accessible(page)
    pdf = page.request.get(
        page.get_by_role("link", name="Télécharger mon bordereau (PDF)").get_attribute("href")
    )
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
