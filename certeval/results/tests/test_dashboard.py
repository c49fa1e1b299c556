"""The campaign dashboard: the funnel per stage, the candidate table with its filters, search and CSV
export (an academy-limited organiser sees only their academy), in a fixed number of queries; the
bordereaux of one academy as a zip."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignState, Enrolment, Session
from certeval.campaigns.services import campaign_transition
from certeval.campaigns.tests.factories import CampaignFactory, SessionFactory, organiser_of
from certeval.domain.results_file import neutralise
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, academy, jury_campaign
from certeval.juries.tests.test_services import CRITERIA
from certeval.results.dashboard_selectors import campaign_dashboard
from certeval.results.tests.test_candidate_results import client_of
from certeval.testing.models import Run

pytestmark = pytest.mark.django_db


def decide(jc: JuryCampaign, index: int, level: str = "avance") -> None:
    deliberation_save(
        slot=jc.slot(index),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, level),
        item_comments={},
        oral_levels=dict.fromkeys("12345", level),
        oral_comments={"1": "Analyse précise"},
    )
    deliberation_validate(slot=jc.slot(index), actor=jc.president)


def sessions_of(jc: JuryCampaign) -> tuple[Session, Session]:
    """Candidates 0 and 1 in the first session, 2 in the second; candidate 2 is from Lyon."""
    first = SessionFactory(campaign=jc.campaign, label="Session de mai")
    second = SessionFactory(campaign=jc.campaign, label="Session de juin")
    Enrolment.objects.filter(pk__in=[jc.enrolments[0].pk, jc.enrolments[1].pk]).update(session=first)
    Enrolment.objects.filter(pk=jc.enrolments[2].pk).update(session=second, academy=academy("lyon"))
    for enrolment in jc.enrolments:
        enrolment.refresh_from_db()
    return first, second


@pytest.fixture
def jc() -> JuryCampaign:
    campaign = jury_campaign(candidates=3)
    sessions_of(campaign)
    decide(campaign, 0)
    return campaign


def test_the_funnel_and_table_follow_each_candidate(jc: JuryCampaign) -> None:
    Run.objects.create(
        candidate=jc.enrolments[0].candidate,
        kind=Run.Kind.PLACEMENT,
        bank="pix-plus-edu",
        bank_version=1,
        status=Run.Status.FINISHED,
    )
    data = campaign_dashboard(jc.organiser, jc.campaign)
    assert [(s.stage.value, s.count) for s in data.steps] == [
        ("enrolled", 3),
        ("placement", 1),
        ("automated", 3),
        ("deposited", 3),
        ("heard", 3),
        ("decided", 1),
        ("published", 0),
    ]
    states = {row.name: (row.state_label, row.decision_label) for row in data.rows}
    first, second = (e.candidate.display_name for e in jc.enrolments[:2])
    assert states[first] == ("Décision validée", "Certifié")
    assert states[second] == ("Oral passé", "Pas de décision")

    page = client_of(jc.organiser).get(f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Entonnoir de la campagne" in html and "<caption>Candidats par étape</caption>" in html
    assert '<th scope="row">Décision validée</th><td>1</td><td>33 %</td>' in html
    assert "3 candidats affichés sur 3" in html
    # The campaign page links to it.
    campaign_page = client_of(jc.organiser).get(f"/campagnes/{jc.campaign.pk}/").content.decode()
    assert f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/" in campaign_page


def test_filters_and_search_narrow_the_table_and_htmx_gets_the_table_alone(jc: JuryCampaign) -> None:
    client = client_of(jc.organiser)
    url = f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/"
    first, second, third = (e.candidate.display_name for e in jc.enrolments)

    decided = client.get(url, {"decision": "certified"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h1>" not in decided and first in decided and second not in decided
    assert "1 candidat affiché sur 3" in decided

    lyon = client.get(url, {"academie": "lyon"}, HTTP_HX_REQUEST="true").content.decode()
    assert third in lyon and first not in lyon

    heard = client.get(url, {"etat": "heard", "degre": "second"}, HTTP_HX_REQUEST="true").content.decode()
    assert second in heard and third in heard and first not in heard

    name = jc.enrolments[1].candidate.birth_name.lower()
    found = client.get(url, {"recherche": name}, HTTP_HX_REQUEST="true").content.decode()
    assert second in found and first not in found

    # An unknown value is said and ignored, never a server error.
    wrong = client.get(url, {"etat": "nowhere"})
    assert wrong.status_code == 200
    assert "Sélectionnez un choix valide" in wrong.content.decode()
    assert "3 candidats affichés sur 3" in wrong.content.decode()


def test_an_academy_limited_organiser_sees_only_their_academy(jc: JuryCampaign) -> None:
    lyon = organiser_of(jc.campaign, academy=academy("lyon"))
    data = campaign_dashboard(lyon, jc.campaign)
    assert [row.name for row in data.rows] == [jc.enrolments[2].candidate.display_name]
    assert data.steps[0].count == 1
    html = client_of(lyon).get(f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/").content.decode()
    assert jc.enrolments[0].candidate.display_name not in html
    assert "Publication par session" not in html
    exported = client_of(lyon).get(f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/candidats.csv")
    assert jc.enrolments[0].candidate.display_name not in exported.content.decode("utf-8-sig")
    versailles = academy("versailles")
    assert (
        client_of(lyon)
        .get(f"/resultats/campagnes/{jc.campaign.pk}/bordereaux/{versailles.pk}.zip")
        .status_code
        == 404
    )


def test_the_export_is_semicolon_utf8_with_bom_and_neutralises_formulas(jc: JuryCampaign) -> None:
    candidate = jc.enrolments[1].candidate
    candidate.usual_name = '=HYPERLINK("http://x")'
    candidate.save(update_fields=["usual_name"])
    response = client_of(jc.organiser).get(
        f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/candidats.csv", {"degre": "second"}
    )
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Candidat", "Adresse électronique", "Académie"]
    assert len(rows) == 4
    decided = next(r for r in rows if r[0] == jc.enrolments[0].candidate.display_name)
    assert decided[6:] == ["Décision validée", decided[7], "Certifié", "Confirmé"]
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert any(row[0].startswith("'=HYPERLINK") for row in rows)
    assert neutralise("=1+1") == "'=1+1" and neutralise("-2") == "'-2" and neutralise("Durand") == "Durand"


def test_the_dashboard_reads_in_a_fixed_number_of_queries(jc: JuryCampaign) -> None:
    client = client_of(jc.organiser)
    url = f"/resultats/campagnes/{jc.campaign.pk}/tableau-de-bord/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more = jury_campaign(candidates=6)
    more.campaign.roles.create(user=jc.organiser, role="organiser")
    sessions_of(more)
    for index in range(3):
        decide(more, index)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/resultats/campagnes/{more.campaign.pk}/tableau-de-bord/").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 30


def test_the_bordereaux_of_an_academy_once_published(jc: JuryCampaign) -> None:
    client = client_of(jc.organiser)
    versailles = academy("versailles")
    url = f"/resultats/campagnes/{jc.campaign.pk}/bordereaux/{versailles.pk}.zip"
    nothing = client.get(url, follow=True)
    assert "Aucun bordereau publié" in nothing.content.decode()
    decide(jc, 1)
    decide(jc, 2)
    for state in (CampaignState.DELIBERATION, CampaignState.PUBLISHED):
        campaign_transition(campaign=jc.campaign, to_state=state, by=jc.organiser, confirmed=True)
    response = client.get(url)
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2 and all(n.startswith("bordereau-") and n.endswith(".pdf") for n in names)
    event = AuditEvent.objects.get(action="results.score_sheets_archive")
    assert event.data == {"academy": "versailles", "sheets": 2}


def test_a_campaign_without_candidates_shows_an_empty_funnel() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    html = client_of(organiser).get(f"/resultats/campagnes/{campaign.pk}/tableau-de-bord/").content.decode()
    assert '<th scope="row">Inscrits</th><td>0</td><td>0 %</td>' in html
    assert "sur 0 —" in html and "Aucun candidat ne correspond" in html
