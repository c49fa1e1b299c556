"""An organiser opens « Fichiers de résultats » from the campaign page, reads what is missing and
downloads the academy's CSV and a jury's minutes; axe-core finds no violation, in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.juries.tests.test_browser import sign_in
from certeval.results.tests.files_fixtures import files_campaign
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_downloads_the_results_file_and_the_minutes(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    fc = files_campaign()
    sign_in(page, fc.jc.organiser.email)
    page.goto(f"/campagnes/{fc.jc.campaign.pk}/")
    page.get_by_role("link", name="Fichiers de résultats et procès-verbaux").click()
    expect(page.get_by_role("heading", name="Fichiers de résultats", level=1)).to_be_visible()
    expect(page.get_by_text("Décision en harmonisation")).to_be_visible()
    assert_accessible(page)
    row = page.get_by_role("row", name="Académie de Lyon", exact=False)
    with page.expect_download() as csv_download:
        row.get_by_role("link", name="CSV").click()
    assert csv_download.value.suggested_filename.endswith("-lyon.csv")
    with page.expect_download() as pdf_download:
        page.get_by_role("row", name="Jury", exact=False).last.get_by_role("link", name="PDF").click()
    assert pdf_download.value.suggested_filename.startswith("proces-verbal-jury-")
