"""Composing while the deposit is still open warns that later deposits are not placed; the staff's
download of a bordereau writes an audit row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignState
from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from certeval.juries.models import OralSlot
from certeval.juries.services.composition import composition_to_dict, jury_compose_campaign
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.juries.tests.test_services import CRITERIA

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_composing_while_the_deposit_is_open_warns_that_later_deposits_are_not_placed() -> None:
    jc = jury_campaign(candidates=1)
    jc.campaign.state = CampaignState.OPEN
    jc.campaign.save(update_fields=["state"])
    late = EnrolmentFactory(campaign=jc.campaign, academy=academy("versailles"))  # dossier still a draft
    client = client_of(jc.organiser)
    url = f"/jurys/campagne/{jc.campaign.pk}/"

    page = client.get(url).content.decode()
    assert "Dépôt encore ouvert" in page
    assert (
        "Les candidats qui déposeront ensuite (1 dossier(s) en cours de dépôt) ne seront pas placés" in page
    )

    after = client.post(f"{url}composer/", follow=True).content.decode()
    assert "jurys composés pour 1 candidats" in after
    assert "ne seront pas placés : composez à nouveau après la clôture du dépôt" in after
    assert not OralSlot.objects.filter(enrolment=late).exists()
    result = jury_compose_campaign(campaign=jc.campaign, actor=jc.organiser, time_limit=10)
    assert "1 dossier(s) en cours de dépôt" in composition_to_dict(result)["warning_fr"]
    out = StringIO()
    call_command("juries", "compose", "--campaign", jc.campaign.slug, "--time-limit", "10", stdout=out)
    assert "Le dépôt des dossiers est encore ouvert" in out.getvalue()

    jc.campaign.state = CampaignState.JURIES
    jc.campaign.save(update_fields=["state"])
    assert "Dépôt encore ouvert" not in client.get(url).content.decode()
    assert jury_compose_campaign(campaign=jc.campaign, actor=jc.organiser, time_limit=10).warning == ""


def test_the_staff_download_of_a_bordereau_is_audited() -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    url = f"/jurys/oral/{slot.pk}/bordereau.pdf"
    client = client_of(jc.organiser)
    before = client.get(url)
    assert before.status_code == 302
    deliberation_save(
        slot=slot,
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, "avance"),
        item_comments={},
        oral_levels=dict.fromkeys("12345", "avance"),
        oral_comments={},
    )
    deliberation_validate(slot=slot, actor=jc.president)
    assert client_of(UserFactory()).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="juries.score_sheet_download").exists()

    for reader in (jc.organiser, jc.president, jc.jurors[0].user):
        pdf = client_of(reader).get(url)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    events = AuditEvent.objects.filter(action="juries.score_sheet_download", outcome="done").order_by("pk")
    assert [e.actor for e in events] == [jc.organiser, jc.president, jc.jurors[0].user]
    assert {e.target_id for e in events} == {str(slot.enrolment_id)}
