"""Attendance sheets: one PDF per session to print and sign, and one archive for every session of a
campaign; the candidates are those of the session, sorted by name, with what the invigilator checks."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.test import Client
from pypdf import PdfReader

from certeval.campaigns.attendance import attendance_context
from certeval.campaigns.tests.factories import (
    CampaignFactory,
    CandidateFactory,
    EnrolmentFactory,
    SessionFactory,
    organiser_of,
)

pytestmark = pytest.mark.django_db


def _session_with_candidates():  # type: ignore[no-untyped-def]
    campaign = CampaignFactory()
    session = SessionFactory(campaign=campaign, label="Session du matin")
    other = SessionFactory(campaign=campaign, label="Session de l'après-midi")
    zoe = CandidateFactory(birth_name="Zola", first_names="Zoé", birth_date=date(1990, 1, 2))
    amel = CandidateFactory(birth_name="Benali", usual_name="Arnaud", first_names="Amel")
    EnrolmentFactory(campaign=campaign, candidate=zoe, session=session, extra_time_percent=33)
    EnrolmentFactory(campaign=campaign, candidate=amel, session=session)
    EnrolmentFactory(campaign=campaign, session=other)
    return campaign, session, other


def test_the_sheet_lists_the_session_candidates_by_name_with_what_is_checked() -> None:
    _campaign, session, _other = _session_with_candidates()
    rows = attendance_context(session)["rows"]
    assert [(r["name"], r["birth_name"], r["first_names"]) for r in rows] == [
        ("ARNAUD", "BENALI", "Amel"),
        ("ZOLA", "", "Zoé"),
    ]
    assert rows[1]["birth_date"] == "02/01/1990" and rows[1]["extra_time"] == "33 %"


def test_the_session_pdf_and_the_campaign_archive_download() -> None:
    campaign, session, _other = _session_with_candidates()
    client = Client()
    client.force_login(organiser_of(campaign))
    response = client.get(f"/campagnes/sessions/{session.pk}/emargement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "emargement-" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Feuille d'émargement" in text and "ZOLA" in text and "ARNAUD" in text
    archive = client.get(f"/campagnes/{campaign.pk}/sessions/emargements.zip")
    assert archive.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert any("session-du-matin" in n for n in names)
