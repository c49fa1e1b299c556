"""The campaign page an organiser lands on: its settings in words, its counts, and its links."""

from __future__ import annotations

import pytest
from django.test import Client

from certeval.campaigns.tests.factories import AcademyFactory, CampaignFactory, EnrolmentFactory, organiser_of

pytestmark = pytest.mark.django_db


def test_the_campaign_page_names_academies_counts_dossiers_and_links_to_its_juries() -> None:
    AcademyFactory(code="versailles")
    AcademyFactory(code="creteil")
    campaign = CampaignFactory(academy_groups=[["versailles", "creteil"], ["mayotte"]])
    EnrolmentFactory(campaign=campaign)
    client = Client()
    client.force_login(organiser_of(campaign))
    html = client.get(f"/campagnes/{campaign.pk}/").content.decode()
    assert "Versailles, Créteil ; mayotte" in html
    assert "<dt>Candidats inscrits</dt><dd>1</dd>" in html
    assert "<dt>Dossiers non déposés</dt><dd>0</dd>" in html
    assert f'href="/jurys/campagne/{campaign.pk}/"' in html
