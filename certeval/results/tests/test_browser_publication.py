"""An organiser reads what is missing before publication, then confirms it; the composition page
warns while the deposit is open. axe-core finds no violation on these pages, in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.models import Campaign, CampaignState, Enrolment
from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_browser import sign_in
from certeval.results.tests.test_candidate_results import decide_pix
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_reads_what_is_missing_then_confirms_the_publication(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    jc = jury_campaign(candidates=2)
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.OPEN)
    sign_in(page, jc.organiser.email)
    page.goto(f"/jurys/campagne/{jc.campaign.pk}/")
    expect(page.get_by_text("ne seront pas placés", exact=False)).to_be_visible()
    assert_accessible(page)

    decide_pix(jc)
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.DELIBERATION)
    page.goto(f"/campagnes/{jc.campaign.pk}/")
    blockers = page.get_by_role("region", name="Changement d'état impossible : 1 point à régler")
    assert jc.enrolments[1].candidate.display_name in blockers.inner_text()
    assert_accessible(page)
    page.get_by_label("Je confirme la publication", exact=False).check()
    page.get_by_role("button", name="Passer à « Résultats publiés »").click()
    expect(page.get_by_text("refusé : 1 point(s) à régler", exact=False)).to_be_visible()

    Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(
        status=Enrolment.Status.WITHDRAWN, status_reason="Désisté"
    )
    page.goto(f"/campagnes/{jc.campaign.pk}/")
    confirm = page.get_by_label("1 décision(s) validée(s), 1 désistement(s)", exact=False)
    assert_accessible(page)
    confirm.check()
    page.get_by_role("button", name="Passer à « Résultats publiés »").click()
    expect(page.get_by_text("État de la campagne modifié.")).to_be_visible()
    jc.campaign.refresh_from_db()
    assert jc.campaign.state == CampaignState.PUBLISHED
