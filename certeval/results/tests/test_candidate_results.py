"""What a candidate sees of their jury: the oral slot once juries are composed, and their decision —
outcome, level, reasons, levels per part, strengths and points to work on, the bordereau PDF — only
once the campaign's results are published; nothing of the deliberation before."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignState, Enrolment
from certeval.campaigns.services import campaign_transition
from certeval.campaigns.tests.factories import UserFactory
from certeval.frameworks.templatetags.sources import cite
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.juries.tests.test_services import CRITERIA
from certeval.results import selectors

pytestmark = pytest.mark.django_db


def publish(jc: JuryCampaign) -> None:
    for state in (CampaignState.DELIBERATION, CampaignState.PUBLISHED):
        campaign_transition(campaign=jc.campaign, to_state=state, by=jc.organiser, confirmed=True)
    jc.campaign.refresh_from_db()


def decide_pix(jc: JuryCampaign) -> None:
    """Consensus at Avancé except criterion 8.2 at Initié; oral sheet Avancé except domain 5 at Initié.
    Automated result Confirmé: the final level is Confirmé (certified)."""
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, "avance") | {"8.2": "initie"},
        item_comments={},
        oral_levels=dict.fromkeys("1234", "avance") | {"5": "initie"},
        oral_comments={"1": "Posture réflexive"},
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_before_publication_the_candidate_sees_the_oral_and_nothing_of_the_deliberation() -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    slot = jc.slot()
    slot.duration_minutes = jc.campaign.oral_duration_minutes + 15
    slot.visio_link = "https://visio.example.fr/oral-1"
    slot.save(update_fields=["duration_minutes", "visio_link"])
    enrolment = jc.enrolments[0]
    client = client_of(enrolment.candidate.user)
    html = client.get(f"/mes-certifications/{enrolment.pk}/resultat/").content.decode()
    assert "https://visio.example.fr/oral-1" in html
    assert f"{timezone.localtime(slot.starts_at):%H:%M}" in html
    assert "dont 15 min de temps majoré" in html
    assert "pas encore publiés" in html
    for secret in ("Certifié", "Confirmé", "Points forts", "bordereau.pdf", "Posture réflexive"):
        assert secret not in html
    assert selectors.candidate_result(enrolment) is None
    assert client.get(f"/mes-certifications/{enrolment.pk}/bordereau.pdf").status_code == 404
    assert "Mon oral et mon résultat" in client.get("/mes-certifications/").content.decode()


def test_published_pix_result_with_strengths_points_to_work_on_and_the_bordereau() -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    enrolment = jc.enrolments[0]
    result = selectors.candidate_result(enrolment)
    assert result is not None
    assert (result.outcome, result.final_level, result.reference) == ("certified", "Confirmé", "Confirmé")
    assert dict(result.levels)["Volet de pratique professionnelle"] == "Avancé"
    assert dict(result.levels)["Volet automatisé (obtenu le 01/03/2026)"] == "Confirmé"
    weak = [m.label for m in result.to_work_on]
    assert len(weak) == 2 and weak[0].startswith("5.") and weak[1].startswith("8.2 ")
    assert len(result.strengths) == 4 + len(CRITERIA) - 1
    client = client_of(enrolment.candidate.user)
    html = client.get(f"/mes-certifications/{enrolment.pk}/resultat/").content.decode()
    assert "Certifié — niveau Confirmé" in html
    assert all(escape(cite(reason)) in html for reason in result.reasons)
    assert "Points à travailler" in html and "8.2 " in html
    assert "résultats publiés" in client.get("/mes-certifications/").content.decode()
    pdf = client.get(f"/mes-certifications/{enrolment.pk}/bordereau.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Posture réflexive" in text
    event = AuditEvent.objects.get(action="juries.score_sheet_download")
    assert event.actor == enrolment.candidate.user and event.target_id == str(enrolment.pk)


def test_only_the_candidate_sees_their_result_and_bordereau() -> None:
    jc = jury_campaign(candidates=2)
    decide_pix(jc)
    mine, other = jc.enrolments
    # Publication needs a decision or a recorded withdrawal for every candidate.
    Enrolment.objects.filter(pk=other.pk).update(status=Enrolment.Status.WITHDRAWN, status_reason="Désisté")
    publish(jc)
    expected = {
        mine.candidate.user: (200, 200),
        other.candidate.user: (404, 404),  # another candidate of the same campaign
        jc.organiser: (404, 404),
        jc.president: (404, 404),
        jc.jurors[0].user: (404, 404),
        UserFactory(is_superuser=True, is_staff=True): (404, 404),
    }
    for user, (page, pdf) in expected.items():
        client = client_of(user)
        assert client.get(f"/mes-certifications/{mine.pk}/resultat/").status_code == page, user
        assert client.get(f"/mes-certifications/{mine.pk}/bordereau.pdf").status_code == pdf, user
        assert client.get("/mes-certifications/999999/resultat/").status_code == 404
        assert client.get("/mes-certifications/999999/bordereau.pdf").status_code == 404
    # The second candidate has no validated decision: their page says so, their PDF is 404.
    client = client_of(other.candidate.user)
    assert (
        "aucune décision ne vous concerne"
        in client.get(f"/mes-certifications/{other.pk}/resultat/").content.decode()
    )
    assert client.get(f"/mes-certifications/{other.pk}/bordereau.pdf").status_code == 404
    anonymous = Client().get(f"/mes-certifications/{mine.pk}/resultat/")
    assert anonymous.status_code == 302 and "/comptes/connexion/" in anonymous["Location"]


def test_competence_result_lists_validated_competences_as_strengths() -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"competences": {"C1": True, "C2": False, "C3": True, "C4": True, "C5": True}},
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    publish(jc)
    result = selectors.candidate_result(jc.enrolments[0])
    assert result is not None and result.outcome == "not_certified" and result.final_level == ""
    assert [m.label[:2] for m in result.strengths] == ["C1", "C3", "C4", "C5"]
    assert [(m.label[:2], m.level) for m in result.to_work_on] == [("C2", "Non validée")]
    html = (
        client_of(jc.enrolments[0].candidate.user)
        .get(f"/mes-certifications/{jc.enrolments[0].pk}/resultat/")
        .content.decode()
    )
    assert "Non certifié" in html and "Non validée : C2" in html


def test_block_result_counts_the_final_interview() -> None:
    jc = jury_campaign(candidates=1, framework="titre-responsable-formation")
    day = (timezone.localdate() - timedelta(days=20)).isoformat()
    blocks = {b: {"validated": True, "on": day} for b in "123456"}
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"blocks": blocks, "final_interview": None},
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    publish(jc)
    result = selectors.candidate_result(jc.enrolments[0])
    assert result is not None and result.outcome == "not_certified"
    assert len(result.strengths) == 6
    assert [(m.label, m.level) for m in result.to_work_on] == [("Entretien final", "Non passé")]


def test_the_candidate_reads_their_oral_and_result_through_the_api() -> None:
    jc = jury_campaign(candidates=1)
    enrolment = jc.enrolments[0]
    decide_pix(jc)
    client = client_of(enrolment.candidate.user)
    url = f"/api/v1/results/{enrolment.pk}"
    before = client.get(url).json()
    assert before["published"] is False and before["result"] is None
    assert before["oral"]["duration_minutes"] == jc.slot().duration_minutes
    publish(jc)
    after = client.get(url).json()
    assert after["result"]["outcome"] == "certified" and after["result"]["final_level"] == "Confirmé"
    assert after["result"]["reasons"] == selectors.candidate_result(enrolment).reasons
    assert client_of(jc.jurors[0].user).get(url).status_code == 404
