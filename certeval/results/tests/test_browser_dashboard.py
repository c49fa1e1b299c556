"""An organiser follows a campaign on its dashboard: narrows the candidate table with the filters and
the search (htmx, without reloading the page), then publishes one session's results after confirming
the counts; an adjourned candidate reads the jury's comments, what stays valid and how to ask for a
review. axe-core finds no violation on these pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.models import Campaign, CampaignState
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_browser import sign_in
from certeval.juries.tests.test_services import CRITERIA
from certeval.results.models import SessionPublication
from certeval.results.tests.test_candidate_results import publish
from certeval.results.tests.test_dashboard import decide, sessions_of
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_filters_the_table_and_publishes_a_session(page) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=3)
    may, _june = sessions_of(jc)
    decide(jc, 0)
    decide(jc, 1)
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.DELIBERATION)
    first, _second, third = (e.candidate.display_name for e in jc.enrolments)
    sign_in(page, jc.organiser.email)
    page.goto(f"/campagnes/{jc.campaign.pk}/")
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Candidats de la campagne : état et décision")
    expect(table.get_by_role("row")).to_have_count(4)
    assert_accessible(page)

    page.get_by_label("Académie").select_option(label="Lyon")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_text(third)).to_be_visible()
    assert "academie=lyon" in page.url
    page.get_by_label("Académie").select_option(label="Tous")
    expect(table.get_by_role("row")).to_have_count(4)
    page.get_by_label("Rechercher un candidat").fill(jc.enrolments[0].candidate.email)
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_text(first)).to_be_visible()

    page.get_by_role("link", name="Publier les résultats de « Session de mai »").click()
    confirm = page.get_by_label("2 décision(s) validée(s)", exact=False)
    assert_accessible(page)
    confirm.check()
    page.get_by_role("button", name="Publier les résultats de la session").click()
    expect(page.get_by_text("2 candidat(s) informé(s) par courriel", exact=False)).to_be_visible()
    assert SessionPublication.objects.filter(session=may).exists()
    expect(page.get_by_text("Publiés le", exact=False)).to_be_visible()


def test_an_adjourned_candidate_reads_comments_what_stays_valid_and_the_review(page) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, "initie"),
        item_comments={},
        oral_levels=dict.fromkeys("12345", "initie"),
        oral_comments={"3": "Séance peu outillée"},
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    publish(jc)
    enrolment = jc.enrolments[0]
    sign_in(page, enrolment.candidate.email)
    page.goto(f"/mes-certifications/{enrolment.pk}/resultat/")
    expect(page.get_by_role("table", name="Commentaires du jury")).to_contain_text("Séance peu outillée")
    expect(
        page.get_by_role("table", name="Ce qui reste acquis pour une prochaine candidature")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Demander un réexamen de la décision (recours)")).to_be_visible()
    assert_accessible(page)
