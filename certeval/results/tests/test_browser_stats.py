"""An organiser opens the statistics of the imported 2022-2023 campaign from its campaign page: the
charts and their tables show the report's figures; axe-core finds no violation, in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.models import Campaign, CampaignRole
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.tests.test_browser import sign_in
from certeval.results.tests.test_stats import import_demo_cohort
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_reads_the_statistics(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    campaign = Campaign.objects.get(slug=import_demo_cohort())
    organiser = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=organiser, role="organiser")
    sign_in(page, organiser.email)
    page.goto(f"/campagnes/{campaign.pk}/")
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", name="Statistiques", level=1)).to_be_visible()
    chart = page.get_by_role(
        "img", name="Volet automatisé obtenu dans l'année, Formation continue", exact=False
    )
    expect(chart).to_be_visible()
    table = page.get_by_role(
        "table", name="Volet automatisé obtenu dans l'année — Formation continue", exact=False
    )
    expect(table.get_by_role("row", name="Premier degré 1 1 14 16 21 %")).to_be_visible()
    expect(page.get_by_role("row", name="Qualité des analyses critiques 14 11 78 %")).to_be_visible()
    assert_accessible(page)
