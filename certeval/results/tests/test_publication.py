"""Publishing a campaign's results is refused, with the list of what is missing, while an enrolled
candidate has no validated decision (nor a recorded withdrawal or elimination), and asks for a
confirmation — on the campaign page as through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignState, Enrolment
from certeval.campaigns.services import TransitionBlocked, campaign_transition
from certeval.campaigns.tests.factories import CampaignFactory, UserFactory, organiser_of
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import academy, jury_campaign, submitted_enrolment
from certeval.results.publication import publication_blockers
from certeval.results.tests.test_candidate_results import CRITERIA, client_of, decide_pix

pytestmark = pytest.mark.django_db


def test_four_clicks_to_published_are_refused_with_the_list_of_what_is_missing() -> None:
    campaign = CampaignFactory(state=CampaignState.DRAFT)
    organiser = UserFactory()
    campaign.roles.create(user=organiser, role="organiser")
    first, second = submitted_enrolment(campaign), submitted_enrolment(campaign)
    withdrawn = submitted_enrolment(campaign)
    Enrolment.objects.filter(pk=withdrawn.pk).update(
        status=Enrolment.Status.WITHDRAWN, status_reason="Désisté"
    )
    client = client_of(organiser)
    url = f"/campagnes/{campaign.pk}/etat/"
    client.post(url, {"to_state": "open"})
    campaign.deposit_deadline = timezone.now() - timedelta(minutes=1)
    campaign.save(update_fields=["deposit_deadline"])
    for state in ("deposit_closed", "juries", "deliberation"):
        client.post(url, {"to_state": state})
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DELIBERATION

    page = client.post(url, {"to_state": "published", "confirm": "on"}, follow=True).content.decode()

    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DELIBERATION
    assert "refusé : 2 point(s) à régler" in page
    for enrolment in (first, second):
        assert f"{enrolment.candidate.display_name} : aucun oral planifié" in page
    assert withdrawn.candidate.display_name not in page
    assert not campaign.transitions.filter(to_state=CampaignState.PUBLISHED).exists()
    refused = AuditEvent.objects.get(action="campaign.transition", outcome="refused")
    assert refused.actor == organiser and refused.data == {
        "from": "deliberation",
        "to": "published",
        "blockers": 2,
    }


def test_a_decided_campaign_publishes_after_confirmation_only() -> None:
    jc = jury_campaign(candidates=2)
    decide_pix(jc)
    campaign_transition(campaign=jc.campaign, to_state=CampaignState.DELIBERATION, by=jc.organiser)
    client = client_of(jc.organiser)
    second = jc.enrolments[1].candidate.display_name
    page = client.get(f"/campagnes/{jc.campaign.pk}/").content.decode()
    assert f"{second} : " in page and "1 point à régler" in page

    # The second candidate's decision is being harmonised: still refused, and said so.
    deliberation_save(
        slot=jc.slot(1),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, "avance"),
        item_comments={},
        oral_levels=dict.fromkeys("12345", "avance"),
        oral_comments={},
    )
    assert publication_blockers(jc.campaign, jc.organiser) == [
        f"{second} : décision en harmonisation, pas encore validée."
    ]
    deliberation_validate(slot=jc.slot(1), actor=jc.president)
    assert publication_blockers(jc.campaign, jc.organiser) == []

    page = client.get(f"/campagnes/{jc.campaign.pk}/").content.decode()
    assert (
        "Je confirme la publication des résultats de 2 candidat(s) inscrit(s) : 2 décision(s) validée(s)"
        in page
    )
    unconfirmed = client.post(
        f"/campagnes/{jc.campaign.pk}/etat/", {"to_state": "published"}, follow=True
    ).content.decode()
    assert "cochez la case de confirmation" in unconfirmed
    jc.campaign.refresh_from_db()
    assert jc.campaign.state == CampaignState.DELIBERATION

    client.post(f"/campagnes/{jc.campaign.pk}/etat/", {"to_state": "published", "confirm": "on"})
    jc.campaign.refresh_from_db()
    assert jc.campaign.state == CampaignState.PUBLISHED
    assert jc.campaign.transitions.filter(to_state=CampaignState.PUBLISHED, by=jc.organiser).exists()


def test_the_api_refuses_publication_with_the_same_list() -> None:
    jc = jury_campaign(candidates=2)
    decide_pix(jc)
    campaign_transition(campaign=jc.campaign, to_state=CampaignState.DELIBERATION, by=jc.organiser)
    client = client_of(jc.organiser)
    url = f"/api/v1/campaigns/{jc.campaign.pk}/transitions"

    refused = client.post(url, {"to_state": "published", "confirm": True}, content_type="application/json")

    assert refused.status_code == 422
    assert refused.json()["blockers"] == publication_blockers(jc.campaign, jc.organiser)
    assert refused.json()["blockers"][0].startswith(jc.enrolments[1].candidate.display_name)
    Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(
        status=Enrolment.Status.WITHDRAWN, status_reason="Désisté"
    )
    unconfirmed = client.post(url, {"to_state": "published"}, content_type="application/json")
    assert unconfirmed.status_code == 409 and "confirmation" in unconfirmed.json()["detail"]
    done = client.post(url, {"to_state": "published", "confirm": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "published"


def test_an_academy_scoped_organiser_cannot_publish_nor_read_other_academies_names() -> None:
    jc = jury_campaign(candidates=1)
    campaign_transition(campaign=jc.campaign, to_state=CampaignState.DELIBERATION, by=jc.organiser)
    scoped = organiser_of(jc.campaign, academy=academy("lyon"))
    blockers = publication_blockers(jc.campaign, scoped)
    assert len(blockers) == 1 and "sans restriction d'académie" in blockers[0]
    with pytest.raises(TransitionBlocked):
        campaign_transition(campaign=jc.campaign, to_state=CampaignState.PUBLISHED, by=scoped, confirmed=True)


def test_an_oral_still_to_come_and_an_empty_campaign_are_named() -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    slot.starts_at = timezone.now() + timedelta(days=3)
    slot.save(update_fields=["starts_at"])
    (blocker,) = publication_blockers(jc.campaign, None)
    assert "pas encore passé" in blocker and jc.enrolments[0].candidate.display_name in blocker
    empty = CampaignFactory(state=CampaignState.DELIBERATION)
    assert publication_blockers(empty, None) == [
        "Aucun candidat inscrit : il n'y a aucun résultat à publier."
    ]
    late = submitted_enrolment(empty)
    Enrolment.objects.filter(pk=late.pk).update(
        status=Enrolment.Status.ELIMINATED, status_reason="Dossier non déposé (éliminatoire)"
    )
    assert publication_blockers(empty, None) == []
