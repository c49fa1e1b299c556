"""Publishing one session's results before the campaign's: refused with the list of what is missing
(candidates of the session without a validated decision, undecided incidents of its proctored test),
confirmed with the counts, then the session's candidates — and only they — see their result and
bordereau, are e-mailed and get their awards. The campaign's publication also waits for incidents."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignState
from certeval.campaigns.services import campaign_transition
from certeval.campaigns.tests.factories import organiser_of
from certeval.juries.tests.factories import JuryCampaign, academy, jury_campaign
from certeval.results.models import Award, SessionPublication
from certeval.results.publication import publication_blockers
from certeval.results.session_publication import (
    SessionPublicationRefused,
    session_publication_blockers,
    session_publish,
)
from certeval.results.tests.test_candidate_results import client_of
from certeval.results.tests.test_dashboard import decide, sessions_of
from certeval.testing.models import Incident, SessionDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc() -> JuryCampaign:
    campaign = jury_campaign(candidates=3)
    sessions_of(campaign)
    return campaign


def incident_in(session: Any) -> Incident:
    delivery = SessionDelivery.objects.create(
        session=session, access_code=f"AC{session.pk}", invigilator_code="x"
    )
    return Incident.objects.create(
        session=delivery, category=Incident.Category.TECHNICAL, description="Coupure"
    )


def test_a_session_is_refused_with_its_own_list_then_published_after_confirmation(
    jc: JuryCampaign, django_capture_on_commit_callbacks: Any
) -> None:
    may, june = jc.enrolments[0].session, jc.enrolments[2].session
    decide(jc, 0)
    _first, second, third = (e.candidate.display_name for e in jc.enrolments)
    incident = incident_in(may)
    blockers = session_publication_blockers(may, jc.organiser)
    assert blockers[0] == f"{second} : aucune décision du jury."
    assert blockers[1].startswith("Incident non décidé (Problème technique, session « Session de mai »")
    assert len(blockers) == 2 and not any(third in b for b in blockers)

    client = client_of(jc.organiser)
    url = f"/resultats/sessions/{may.pk}/publier/"
    assert url in client.get(f"/campagnes/sessions/{may.pk}/").content.decode()
    page = client.get(url).content.decode()
    assert "Publication impossible : 2 points à régler" in page
    refused = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    assert "refusée : 2 point(s) à régler" in refused
    assert not SessionPublication.objects.exists()
    assert AuditEvent.objects.get(action="results.session_publish", outcome="refused").data == {
        "session": may.pk,
        "blockers": 2,
    }

    decide(jc, 1)
    Incident.objects.filter(pk=incident.pk).update(decision=Incident.Decision.KEEP)
    page = client.get(url).content.decode()
    assert "Je confirme la publication des résultats de la session « Session de mai » : 2 candidat(s)" in page
    assert "2 décision(s) validée(s)" in page
    unconfirmed = client.post(url, {}, follow=True).content.decode()
    assert "cochez la case de confirmation" in unconfirmed
    assert not SessionPublication.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    assert "2 candidat(s) informé(s) par courriel" in done
    publication = SessionPublication.objects.get(session=may)
    assert publication.published_by == jc.organiser and publication.candidates == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.candidate.email for e in jc.enrolments[:2])
    assert f"/mes-certifications/{jc.enrolments[0].pk}/resultat/" in mail.outbox[0].body
    assert Award.objects.filter(enrolment__in=jc.enrolments[:2]).count() == 2

    # The session's candidates see their result and bordereau; the other session's candidate not yet.
    published = jc.enrolments[0]
    candidate = client_of(published.candidate.user)
    html = candidate.get(f"/mes-certifications/{published.pk}/resultat/").content.decode()
    assert "Décision du jury" in html and "Certifié" in html
    assert candidate.get(f"/mes-certifications/{published.pk}/bordereau.pdf").status_code == 200
    decide(jc, 2)
    waiting = jc.enrolments[2]
    other = client_of(waiting.candidate.user)
    assert "pas encore publiés" in other.get(f"/mes-certifications/{waiting.pk}/resultat/").content.decode()
    assert other.get(f"/mes-certifications/{waiting.pk}/bordereau.pdf").status_code == 404
    assert other.get(f"/api/v1/results/{waiting.pk}").json()["published"] is False
    assert candidate.get(f"/api/v1/results/{published.pk}").json()["published"] is True

    # Publishing it twice is refused; the dashboard says when it was published.
    assert session_publication_blockers(may, jc.organiser) == [
        "Les résultats de cette session sont déjà publiés."
    ]
    dashboard = client.get(f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/").content.decode()
    assert "Publiés le" in dashboard and f"/resultats/sessions/{june.pk}/publier/" in dashboard

    # The campaign's publication e-mails only those not told yet.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for state in (CampaignState.DELIBERATION, CampaignState.PUBLISHED):
            campaign_transition(campaign=jc.campaign, to_state=state, by=jc.organiser, confirmed=True)
    assert [m.to[0] for m in mail.outbox] == [waiting.candidate.email]


def test_the_campaign_publication_waits_for_undecided_incidents(jc: JuryCampaign) -> None:
    for index in range(3):
        decide(jc, index)
    incident_in(jc.enrolments[2].session)
    blockers = publication_blockers(jc.campaign, jc.organiser)
    assert len(blockers) == 1 and blockers[0].startswith("Incident non décidé (Problème technique")


def test_only_organisers_of_the_whole_campaign_publish_a_session(jc: JuryCampaign) -> None:
    decide(jc, 0)
    decide(jc, 1)
    may = jc.enrolments[0].session
    lyon = organiser_of(jc.campaign, academy=academy("lyon"))
    assert (
        client_of(lyon).post(f"/resultats/sessions/{may.pk}/publier/", {"confirm": "on"}).status_code == 404
    )
    with pytest.raises(SessionPublicationRefused):
        session_publish(session=may, by=lyon, confirmed=True)
    assert not SessionPublication.objects.exists()


def test_a_session_of_a_campaign_still_open_or_already_published_is_refused(jc: JuryCampaign) -> None:
    may = jc.enrolments[0].session
    jc.campaign.state = CampaignState.OPEN
    jc.campaign.save(update_fields=["state"])
    assert "pendant les jurys ou la délibération" in session_publication_blockers(may, jc.organiser)[0]
    jc.campaign.state = CampaignState.PUBLISHED
    jc.campaign.save(update_fields=["state"])
    may.campaign.refresh_from_db()
    assert session_publication_blockers(may, jc.organiser) == [
        "Les résultats de toute la campagne sont déjà publiés."
    ]


def test_the_api_publishes_a_session_and_reads_the_dashboard(jc: JuryCampaign) -> None:
    may = jc.enrolments[0].session
    decide(jc, 0)
    client = client_of(jc.organiser)
    url = f"/api/v1/results/sessions/{may.pk}/publication"
    blocked = client.post(url, {"confirm": True}, content_type="application/json")
    assert blocked.status_code == 422
    assert blocked.json()["blockers"] == session_publication_blockers(may, jc.organiser)
    decide(jc, 1)
    assert client.post(url, {}, content_type="application/json").status_code == 409
    done = client.post(url, {"confirm": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["candidates"] == 2

    data = client.get(f"/api/v1/results/campaigns/{jc.campaign.pk}/dashboard", {"state": "published"}).json()
    assert data["total"] == 3
    assert [c["enrolment"] for c in data["candidates"]] == [e.pk for e in jc.enrolments[:2]]
    assert data["funnel"][-1] == {"stage": "published", "label": "Résultat publié", "count": 2, "percent": 66}
