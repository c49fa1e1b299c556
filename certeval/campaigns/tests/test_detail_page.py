"""The campaign page an organiser lands on: its settings in words, its counts, and its links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certeval.campaigns.models import Academy, Regroupement, RegroupementAcademy
from certeval.campaigns.tests.factories import AcademyFactory, CampaignFactory, EnrolmentFactory, organiser_of

pytestmark = pytest.mark.django_db


def test_the_campaign_page_names_academies_counts_dossiers_and_links_to_its_juries() -> None:
    AcademyFactory(code="versailles")
    AcademyFactory(code="creteil")
    campaign = CampaignFactory()
    regroupement = Regroupement.objects.create(campaign=campaign, name="Île-de-France")
    for code in ("versailles", "creteil"):
        RegroupementAcademy.objects.create(
            regroupement=regroupement, academy=Academy.objects.get(code=code), campaign=campaign
        )
    EnrolmentFactory(campaign=campaign)
    client = Client()
    client.force_login(organiser_of(campaign))
    html = client.get(f"/campagnes/{campaign.pk}/").content.decode()
    assert "Île-de-France (Créteil, Versailles)" in html
    assert "7 jours entre le gel du dossier et l'oral" in html
    assert "<dt>Candidats inscrits</dt><dd>1</dd>" in html
    assert "<dt>Dossiers non déposés</dt><dd>0</dd>" in html
    assert f'href="/jurys/campagne/{campaign.pk}/"' in html


def test_a_state_change_keeps_its_comment_and_an_overlong_one_changes_nothing() -> None:
    campaign = CampaignFactory(state="open", deposit_deadline=timezone.now() - timedelta(days=1))
    client = Client()
    client.force_login(organiser_of(campaign))
    url = f"/campagnes/{campaign.pk}/etat/"
    refused = client.post(url, {"to_state": "deposit_closed", "note": "x" * 1001}, follow=True)
    assert "au plus 1000 caractères" in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == "open" and not campaign.transitions.exists()
    client.post(url, {"to_state": "deposit_closed", "note": "Échéance passée"})
    campaign.refresh_from_db()
    assert campaign.state == "deposit_closed"
    assert campaign.transitions.get().note == "Échéance passée"
