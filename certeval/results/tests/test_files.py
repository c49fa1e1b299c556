"""The national results file (CSV/XLSX, per campaign, academy, session) and the jury minutes:
content, scopes, formula neutralisation, audit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.domain.results_file import BOM
from certeval.juries.tests.factories import academy
from certeval.results.tests.files_fixtures import FilesCampaign, files_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc() -> FilesCampaign:
    return files_campaign()


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_campaign_csv_has_validated_decisions_only_with_one_column_per_competence(fc: FilesCampaign) -> None:
    response = client_of(fc.jc.organiser).get(f"/resultats/campagnes/{fc.jc.campaign.pk}/resultats.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Results-Missing"] == "1"
    header, *rows = csv_rows(response.content)
    assert header[:4] == ["N° d'inscription", "Nom de naissance", "Nom d'usage", "Prénoms"]
    assert header[14:16] == ["Décision", "Niveau final"]
    assert header[16] == "1.1 Communiquer" and header[-1] == "Date de la décision"
    assert len(header) == 16 + 16 + 1
    assert [row[0] for row in rows] == [str(fc.lyon.pk), str(fc.versailles.pk)]  # by academy name
    lyon, versailles = rows
    assert lyon[6] == "Lyon" and versailles[6] == "Versailles"
    assert versailles[1] == '\'=HYPERLINK("http://x")'  # neutralised
    assert versailles[8] == "Session de mai"
    assert versailles[14:16] == ["Certifié", "Confirmé"]
    assert versailles[16] == "Avancé"  # domain 1 on the oral score sheet
    assert versailles[header.index("5.1 Développer les compétences numériques des apprenants")] == "Initié"
    assert "initie" not in response.content.decode() and "certified" not in response.content.decode()
    event = AuditEvent.objects.get(action="results.file_download")
    assert event.actor == fc.jc.organiser and event.campaign_id == fc.jc.campaign.pk
    assert event.data["format"] == "csv" and event.data["decisions"] == 2 and event.data["missing"] == 1


def test_academy_files_share_the_header_and_concatenate_into_the_campaign_file(fc: FilesCampaign) -> None:
    client = client_of(fc.jc.organiser)
    base = f"/resultats/campagnes/{fc.jc.campaign.pk}/resultats.csv"
    whole = csv_rows(client.get(base).content)
    parts = [csv_rows(client.get(f"{base}?academie={code}").content) for code in ("lyon", "versailles")]
    assert all(part[0] == whole[0] for part in parts)
    assert [row for part in parts for row in part[1:]] == whole[1:]
    session = csv_rows(client.get(f"{base}?session={fc.session.pk}").content)
    assert [row[0] for row in session[1:]] == [str(fc.versailles.pk)]
    assert client.get(f"{base}?session=abc").status_code == 400
    assert client.get(f"{base}?academie=nowhere").status_code == 404
    assert client.get(f"{base}?session=999999").status_code == 404


def test_an_academy_organiser_only_gets_their_academy(fc: FilesCampaign) -> None:
    lyon = client_of(organiser_of(fc.jc.campaign, academy=academy("lyon")))
    base = f"/resultats/campagnes/{fc.jc.campaign.pk}/resultats.csv"
    rows = csv_rows(lyon.get(base).content)[1:]
    assert [row[0] for row in rows] == [str(fc.lyon.pk)]
    assert lyon.get(f"{base}?academie=versailles").status_code == 404
    assert lyon.get(f"{base}?session={fc.session.pk}").status_code == 404
    page = lyon.get(f"/resultats/campagnes/{fc.jc.campaign.pk}/fichiers/").content.decode()
    assert "Académie de Lyon" in page and "Académie de Versailles" not in page
    assert "proces-verbal.pdf" not in page  # juries span academies: campaign-wide organisers only


def test_a_jury_president_gets_their_jury_candidates_and_a_juror_only_the_minutes(fc: FilesCampaign) -> None:
    base = f"/resultats/campagnes/{fc.jc.campaign.pk}/resultats.csv"
    rows = csv_rows(client_of(fc.jc.president).get(base).content)[1:]
    assert len(rows) == 2
    juror = client_of(fc.jc.jurors[0].user)
    assert juror.get(base).status_code == 404
    page = juror.get(f"/resultats/campagnes/{fc.jc.campaign.pk}/fichiers/")
    assert page.status_code == 200 and "proces-verbal.pdf" in page.content.decode()
    assert client_of(UserFactory()).get(base).status_code == 404


def test_xlsx_has_the_results_and_the_missing_candidates(fc: FilesCampaign) -> None:
    response = client_of(fc.jc.organiser).get(f"/resultats/campagnes/{fc.jc.campaign.pk}/resultats.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Résultats", "Sans décision validée"]
    results = list(book["Résultats"].iter_rows(values_only=True))
    assert len(results) == 3 and results[1][0] == fc.lyon.pk  # a number stays a number
    assert results[2][1] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in book["Résultats"].iter_rows() for cell in row)
    missing = list(book["Sans décision validée"].iter_rows(values_only=True))
    assert missing[1][0] == fc.undecided.pk and missing[1][-1] == "Décision en harmonisation"


def test_the_page_lists_downloads_and_what_is_missing(fc: FilesCampaign) -> None:
    client = client_of(fc.jc.organiser)
    campaign_page = client.get(f"/campagnes/{fc.jc.campaign.pk}/").content.decode()
    assert f"/resultats/campagnes/{fc.jc.campaign.pk}/fichiers/" in campaign_page
    page = client.get(f"/resultats/campagnes/{fc.jc.campaign.pk}/fichiers/").content.decode()
    assert "2 décisions validées figurent dans le fichier." in page
    assert "1 candidat n&#x27;y figure pas" in page or "1 candidat n'y figure pas" in page
    assert "Décision en harmonisation" in page
    assert f"?session={fc.session.pk}" in page and "?academie=lyon" in page
    assert (
        "Fichiers de résultats"
        not in client_of(fc.versailles.candidate.user)
        .get(f"/campagnes/{fc.jc.campaign.pk}/")
        .content.decode()
    )


def test_jury_minutes_pdf_is_tagged_french_and_audited(fc: FilesCampaign) -> None:
    jury = fc.jc.slot(0).jury
    response = client_of(fc.jc.president).get(f"/resultats/jurys/{jury.pk}/proces-verbal.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "fr"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Procès-verbal de délibération du jury" in text
    assert fc.jc.campaign.title in text
    assert "Dora Drane" in text and "Paul Président" in text
    assert "LÉA" not in text and "Léa" in text  # first names as typed
    assert "Confirmé" in text and "Certifié" in text
    assert "Décision en harmonisation" in text
    assert "Signature" in text and "Président du jury" in text
    event = AuditEvent.objects.get(action="results.minutes_download")
    assert event.actor == fc.jc.president and event.data == {"decisions": 2, "missing": 1}
    assert event.campaign_id == fc.jc.campaign.pk


def test_api_table_and_file_follow_the_reader_scope(fc: FilesCampaign) -> None:
    client = client_of(fc.jc.organiser)
    base = f"/api/v1/results/campaigns/{fc.jc.campaign.pk}"
    data = client.get(f"{base}/results?academy=lyon").json()
    assert data["academy"] == "lyon" and [row[0] for row in data["rows"]] == [fc.lyon.pk]
    assert data["header"][14:16] == ["Décision", "Niveau final"] and data["missing"] == []
    whole = client.get(f"{base}/results").json()
    assert whole["missing"][0]["reason"] == "Décision en harmonisation"
    xlsx = client.get(f"{base}/results-file?format=xlsx&session={fc.session.pk}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"{base}/results-file?format=pdf").status_code == 422
    assert client.get(f"{base}/results?academy=nowhere").status_code == 404
    lyon = client_of(organiser_of(fc.jc.campaign, academy=academy("lyon")))
    assert lyon.get(f"{base}/results?academy=versailles").status_code == 404
    assert [row[0] for row in lyon.get(f"{base}/results").json()["rows"]] == [fc.lyon.pk]
    assert AuditEvent.objects.filter(action="results.file_download", data__format="json").count() == 3


def test_cli_export_writes_the_file_and_lists_what_is_missing(fc: FilesCampaign, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "resultats.csv"
    call_command(
        "results",
        "export",
        "--campaign",
        fc.jc.campaign.slug,
        "--academy",
        "versailles",
        "--format",
        "csv",
        "--out",
        str(target),
        stdout=out,
        stderr=err,
    )
    rows = csv_rows(target.read_bytes())
    assert [row[0] for row in rows[1:]] == [str(fc.versailles.pk)]
    assert "1 validated decisions written" in out.getvalue()
    assert "Décision en harmonisation" in err.getvalue()
    event = AuditEvent.objects.get(action="results.file_download")
    assert event.actor is None and event.data["academy"] == "versailles"
    with pytest.raises(CommandError, match="unknown campaign"):
        call_command("results", "export", "--campaign", "nope", "--format", "csv", "--out", str(target))
    with pytest.raises(CommandError, match="no session"):
        call_command(
            "results",
            "export",
            "--campaign",
            fc.jc.campaign.slug,
            "--session",
            "999999",
            "--format",
            "xlsx",
            "--out",
            str(target),
        )
