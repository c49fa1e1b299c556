"""Session kits: the invigilator's sheet, the candidate list with how to join, then the attendance
sheet, in one PDF per proctored session; one archive with the kits of a campaign's proctored sessions;
links from the campaign and session pages; each download audited."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from pypdf import PdfReader

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole, Session
from certeval.campaigns.tests.factories import CandidateFactory, SessionFactory, UserFactory
from certeval.testing import console_services as console
from certeval.testing import kits
from certeval.testing.tests.factories import enrolment_in
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db


def _session(**fields: object) -> ProctoredSession:
    ps = proctored_session(
        2,
        label="Session du matin",
        starts_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),  # 9:00 in Paris
        ends_at=datetime(2026, 3, 10, 10, 30, tzinfo=UTC),
        place="INSPÉ de Lyon, salle 204",
        **fields,
    )
    zoe = CandidateFactory(
        birth_name="Zola", usual_name="Martin", first_names="Zoé", birth_date=date(1990, 1, 2)
    )
    enrolment_in(ps.session.campaign, "lyon", candidate=zoe, session=ps.session, extra_time_percent=33)
    return ps


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_kit_holds_the_invigilator_sheet_the_candidates_and_the_attendance_sheet(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_SITE_URL = "https://certeval.example.fr"
    ps = _session()
    pages = _text(kits.kit_pdf(ps.delivery))
    assert len(pages) == 3
    sheet, candidates, attendance = pages
    assert "fiche du surveillant" in sheet
    assert "le 10/03/2026, de 09:00 à 11:30 (heure de Paris)" in sheet
    assert "INSPÉ de Lyon, salle 204" in sheet
    assert "15 min avant le début" in sheet  # on site
    assert f"Numéro de session\n{ps.delivery.pk}" in sheet and ps.delivery.invigilator_code in sheet
    assert ps.delivery.access_code in sheet
    assert "https://certeval.example.fr/surveillance/" in sheet
    for step in ("Présence", "Vérification d'identité", "Autoriser le début", "Signalements en direct"):
        assert step in sheet
    assert "Incidents" in sheet and "Finalisation" in sheet
    assert "jamais son numéro" in sheet and "Passeport" in sheet and "Suspicion de fraude" in sheet

    assert "https://certeval.example.fr/epreuve/" in candidates
    assert ps.delivery.access_code in candidates
    assert "nom de naissance" in candidates and "date de naissance" in candidates
    for enrolment in ps.enrolments:
        assert enrolment.candidate.birth_name.upper() in candidates
    assert "ZOLA" in candidates and "ou MARTIN" in candidates  # the birth name, or the usual name
    assert "02/01/1990" in candidates
    assert "33 % (3 h 20)" in candidates  # 2 h 30 with a third more

    assert "Feuille d'émargement" in attendance and "Signature" in attendance
    assert "MARTIN" in attendance


def test_a_remote_kit_gives_the_visio_link_and_thirty_minutes_of_set_up() -> None:
    ps = _session(mode=Session.Mode.REMOTE)
    Session.objects.filter(pk=ps.session.pk).update(place="https://visio.example.fr/salle-12")
    ps.delivery.refresh_from_db()
    sheet = _text(kits.kit_pdf(ps.delivery))[0]
    assert "Lien de visio" in sheet and "https://visio.example.fr/salle-12" in sheet
    assert "30 min avant le début" in sheet
    assert "n'enregistre aucune vidéo" in sheet


def test_the_campaign_archive_holds_one_kit_per_proctored_session_the_user_sees() -> None:
    ps = _session()
    campaign = ps.session.campaign
    other = SessionFactory(campaign=campaign, label="Session du matin", starts_at=ps.session.starts_at)
    console.open_delivery(session_id=other.pk, actor=ps.organiser)
    SessionFactory(campaign=campaign, label="Session sans épreuve en ligne")
    client = Client()
    client.force_login(ps.organiser)
    response = client.get(f"/kits/campagnes/{campaign.pk}/kits.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == sorted(
        ["kit-2026-03-10-session-du-matin.pdf", f"kit-2026-03-10-session-du-matin-{other.pk}.pdf"]
    )
    assert AuditEvent.objects.filter(action="testing.session_kit").count() == 2

    # An invigilator of one session gets that session's kit only.
    invigilator = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=invigilator, role="invigilator", session=other)
    client.force_login(invigilator)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/kits/campagnes/{campaign.pk}/kits.zip").content))
    assert archive.namelist() == ["kit-2026-03-10-session-du-matin.pdf"]
    assert "Aucun candidat inscrit" in _text(archive.read(archive.namelist()[0]))[1]


def test_the_session_kit_downloads_and_is_linked_from_the_campaign_and_session_pages() -> None:
    ps = _session()
    client = Client()
    client.force_login(ps.organiser)
    response = client.get(f"/kits/sessions/{ps.session.pk}/kit.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="kit-2026-03-10-session-du-matin.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="testing.session_kit")
    assert event.actor_id == ps.organiser.pk
    campaign_page = client.get(f"/campagnes/{ps.session.campaign_id}/").content.decode()
    assert f"/kits/campagnes/{ps.session.campaign_id}/kits.zip" in campaign_page
    session_page = client.get(f"/campagnes/sessions/{ps.session.pk}/").content.decode()
    assert f"/kits/sessions/{ps.session.pk}/kit.pdf" in session_page
    # A session not run online has no kit, and its page no link.
    plain = SessionFactory(campaign=ps.session.campaign)
    assert (
        f"/kits/sessions/{plain.pk}/" not in client.get(f"/campagnes/sessions/{plain.pk}/").content.decode()
    )
    assert client.get(f"/kits/sessions/{plain.pk}/kit.pdf").status_code == 404
