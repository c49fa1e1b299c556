"""Regroupements inter-académiques of a campaign: one service creates and changes them, with French
refusals (an academy in two regroupements, fewer than two academies, a name taken), its audit row
and the president's role; the API shows them."""

from __future__ import annotations

import pytest
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Academy, CampaignRole, CampaignState
from certeval.campaigns.regroup_services import regroupement_save
from certeval.campaigns.services import CampaignError, CampaignInvalid
from certeval.campaigns.tests.factories import CampaignFactory, UserFactory, organiser_of

pytestmark = pytest.mark.django_db


def academies(*codes: str) -> list[Academy]:
    return list(Academy.objects.filter(code__in=codes))


def test_create_then_change_a_regroupement_with_its_audit_and_president_role() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    president = UserFactory()
    regroupement = regroupement_save(
        campaign=campaign,
        by=organiser,
        name=" Sud-Est ",
        academies=academies("lyon", "grenoble"),
        president=None,
    )
    assert regroupement.name == "Sud-Est"
    created = AuditEvent.objects.get(action="campaign.regroupement_create")
    assert created.data["changes"]["academies"] == [None, ["grenoble", "lyon"]]
    regroupement_save(
        campaign=campaign,
        by=organiser,
        name="Sud-Est",
        academies=academies("lyon", "grenoble", "nice"),
        president=president,
        regroupement=regroupement,
    )
    assert sorted(a.code for a in regroupement.academies.all()) == ["grenoble", "lyon", "nice"]
    assert CampaignRole.objects.filter(campaign=campaign, user=president, role="president").exists()
    updated = AuditEvent.objects.get(action="campaign.regroupement_update")
    assert updated.data["changes"]["president"] == [None, president.pk]
    # Saving the same values again writes nothing.
    regroupement_save(
        campaign=campaign,
        by=organiser,
        name="Sud-Est",
        academies=academies("lyon", "grenoble", "nice"),
        president=president,
        regroupement=regroupement,
    )
    assert AuditEvent.objects.filter(action__startswith="campaign.regroupement").count() == 2


def test_refusals_are_in_french_and_change_nothing() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    regroupement_save(
        campaign=campaign, by=organiser, name="Sud-Est", academies=academies("lyon", "nice"), president=None
    )
    with pytest.raises(
        CampaignInvalid, match="L'académie de Nice appartient déjà au regroupement « Sud-Est »"
    ):
        regroupement_save(
            campaign=campaign,
            by=organiser,
            name="Alpes",
            academies=academies("grenoble", "nice"),
            president=None,
        )
    with pytest.raises(CampaignInvalid, match="au moins deux académies"):
        regroupement_save(
            campaign=campaign, by=organiser, name="Alpes", academies=academies("grenoble"), president=None
        )
    with pytest.raises(CampaignInvalid, match="déjà un regroupement nommé « sud-est »"):
        regroupement_save(
            campaign=campaign,
            by=organiser,
            name="sud-est",
            academies=academies("paris", "creteil"),
            president=None,
        )
    limited = organiser_of(campaign, academy=Academy.objects.get(code="lyon"))
    with pytest.raises(CampaignError, match="organisateur de toute la campagne"):
        regroupement_save(
            campaign=campaign, by=limited, name="Île", academies=academies("paris", "creteil"), president=None
        )
    # The same academy in another campaign's regroupement is fine.
    regroupement_save(
        campaign=CampaignFactory(),
        by=UserFactory(is_superuser=True, is_staff=True),
        name="Sud-Est",
        academies=academies("lyon", "nice"),
        president=None,
    )
    assert campaign.regroupements.count() == 1
    type(campaign).objects.filter(pk=campaign.pk).update(state=CampaignState.ARCHIVED)
    with pytest.raises(CampaignError, match="archivée"):
        regroupement_save(
            campaign=campaign,
            by=organiser,
            name="Île",
            academies=academies("paris", "creteil"),
            president=None,
        )


def test_the_page_shows_the_french_error_and_keeps_the_input() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    regroupement_save(
        campaign=campaign, by=organiser, name="Sud-Est", academies=academies("lyon", "nice"), president=None
    )
    client = Client()
    client.force_login(organiser)
    response = client.post(
        f"/campagnes/{campaign.pk}/regroupements/", {"name": "Alpes", "academies": ["grenoble", "nice"]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "appartient déjà au regroupement « Sud-Est »" in html
    assert 'value="Alpes"' in html
    assert campaign.regroupements.count() == 1


def test_the_api_lists_regroupements_and_the_reading_delay() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    president = UserFactory(email="presidente@example.fr")
    regroupement_save(
        campaign=campaign,
        by=organiser,
        name="Sud-Est",
        academies=academies("lyon", "nice"),
        president=president,
    )
    client = Client()
    client.force_login(organiser)
    data = client.get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert data["reading_delay_days"] == 7
    assert data["academy_groups"] == [["lyon", "nice"]]
    assert data["regroupements"][0]["name"] == "Sud-Est"
    assert data["regroupements"][0]["president"] == "presidente@example.fr"


def test_the_admin_shows_regroupements_read_only() -> None:
    campaign = CampaignFactory()
    regroupement = regroupement_save(
        campaign=campaign,
        by=organiser_of(campaign),
        name="Sud-Est",
        academies=academies("lyon", "nice"),
        president=None,
    )
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert admin.get("/admin/campaigns/regroupement/").status_code == 200
    assert admin.get(f"/admin/campaigns/regroupement/{regroupement.pk}/change/").status_code == 200
    assert admin.get("/admin/campaigns/regroupement/add/").status_code == 403
    assert admin.post(f"/admin/campaigns/regroupement/{regroupement.pk}/delete/").status_code == 403
