"""The information notice of remote proctored sessions: what is collected, why, who sees it, how long
it is kept (the campaign's retention), the candidate's rights and the on-site sessions offered instead
— on the public page, the enrolment page and « Mes certifications »; never for an on-site session."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from certeval.campaigns.models import Campaign, Session
from certeval.campaigns.tests.factories import SessionFactory, organiser_of
from certeval.testing.models import CampaignDelivery
from certeval.testing.tests.factories import campaign_of, enrolment_in
from conftest import assert_accessible

pytestmark = pytest.mark.django_db

VISIO = "https://visio.example.fr/session-secrete"


def _campaign() -> tuple[Campaign, Session, Session]:
    campaign = campaign_of()
    soon = timezone.now() + timedelta(days=10)
    remote = SessionFactory(
        campaign=campaign, label="À distance", mode=Session.Mode.REMOTE, place=VISIO, starts_at=soon
    )
    onsite = SessionFactory(
        campaign=campaign, label="Sur place à Lyon", place="INSPÉ de Lyon, salle 204", starts_at=soon
    )
    SessionFactory(  # over: not offered
        campaign=campaign,
        label="Sur place, passée",
        starts_at=timezone.now() - timedelta(days=3),
    )
    CampaignDelivery.objects.create(
        campaign=campaign, form="level", min_answered=20, abandonment="score", retention_days=45
    )
    return campaign, remote, onsite


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_the_public_notice_says_what_is_kept_how_long_and_offers_the_onsite_sessions(client: Client) -> None:
    campaign, _remote, _onsite = _campaign()
    page = _page(client, f"/epreuve/information-a-distance/{campaign.pk}/")
    for text in (
        "Ce qui est collecté",
        "type de pièce d'identité",
        "Aucune vidéo n'est enregistrée par Certeval",
        "Qui les voit",
        "supprimés 45 jours après",
        "Vos droits",
        "Passer l'épreuve sur place",
        "Sur place à Lyon",
        "INSPÉ de Lyon, salle 204",
        "30 minutes de mise en place",
    ):
        assert text in page, text
    assert "Sur place, passée" not in page
    assert VISIO not in page  # the visio link is for the candidates placed in the session only


def test_no_public_notice_without_a_remote_session_nor_for_a_draft_campaign(client: Client) -> None:
    onsite_only = campaign_of()
    SessionFactory(campaign=onsite_only)
    draft = campaign_of(state="draft")
    SessionFactory(campaign=draft, mode=Session.Mode.REMOTE)
    for campaign_id in (onsite_only.pk, draft.pk, 999999):
        assert client.get(f"/epreuve/information-a-distance/{campaign_id}/").status_code == 404


def test_the_default_retention_applies_before_the_campaign_has_its_settings(client: Client) -> None:
    campaign, *_sessions = _campaign()
    CampaignDelivery.objects.filter(campaign=campaign).delete()
    assert "supprimés 30 jours après" in _page(client, f"/epreuve/information-a-distance/{campaign.pk}/")
    assert not CampaignDelivery.objects.filter(campaign=campaign).exists()  # reading creates nothing


def test_a_candidate_placed_remotely_reads_it_on_their_pages_and_an_onsite_one_does_not(
    client: Client,
) -> None:
    campaign, remote, onsite = _campaign()
    far = enrolment_in(campaign, session=remote)
    near = enrolment_in(campaign, session=onsite)
    client.force_login(far.candidate.user)
    mine = _page(client, "/mes-certifications/")
    assert "Votre session est à distance : information sur vos données" in mine
    assert "supprimés 45 jours après les résultats" in mine
    assert f"/epreuve/information-a-distance/{campaign.pk}/" in mine
    assert "Sur place à Lyon" in mine
    enrolment_page = _page(client, f"/campagnes/candidats/{far.pk}/")
    assert "Session à distance : information sur vos données" in enrolment_page
    assert "Vos droits" in enrolment_page and "Sur place à Lyon" in enrolment_page

    client.force_login(near.candidate.user)
    assert "information sur vos données" not in _page(client, "/mes-certifications/")
    assert "information sur vos données" not in _page(client, f"/campagnes/candidats/{near.pk}/")


def test_before_placement_the_candidate_and_the_organiser_read_it(client: Client) -> None:
    campaign, _remote, _onsite = _campaign()
    waiting = enrolment_in(campaign)
    client.force_login(waiting.candidate.user)
    assert "Sessions à distance : information sur vos données" in _page(client, "/mes-certifications/")
    client.force_login(organiser_of(campaign))
    enrolment_page = _page(client, f"/campagnes/candidats/{waiting.pk}/")
    assert "Avant d'y être placé(e)" in enrolment_page and "Sur place à Lyon" in enrolment_page
    assert enrolment_page.index("Session à distance : information") > enrolment_page.index(
        "Attribuer et convoquer"
    )


def test_a_campaign_without_remote_session_shows_nothing(client: Client) -> None:
    campaign = campaign_of()
    SessionFactory(campaign=campaign)
    enrolment = enrolment_in(campaign)
    client.force_login(enrolment.candidate.user)
    assert "information sur vos données" not in _page(client, "/mes-certifications/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_the_notice_page_is_accessible(page: Any, settings: Any, theme: str) -> None:
    settings.CERTEVAL_THEME = theme
    campaign, *_sessions = _campaign()
    page.goto(f"/epreuve/information-a-distance/{campaign.pk}/")
    page.get_by_role("heading", name="Épreuve surveillée à distance : information sur vos données").wait_for()
    assert_accessible(page)


def test_once_the_remote_session_is_over_the_pages_no_longer_show_it(client: Client) -> None:
    campaign, remote, _onsite = _campaign()
    enrolment = enrolment_in(campaign, session=remote)
    Session.objects.filter(pk=remote.pk).update(
        starts_at=timezone.now() - timedelta(days=5), ends_at=timezone.now() - timedelta(days=5, hours=-3)
    )
    client.force_login(enrolment.candidate.user)
    assert "information sur vos données" not in _page(client, "/mes-certifications/")
    assert "Vos droits" in _page(client, f"/epreuve/information-a-distance/{campaign.pk}/")
