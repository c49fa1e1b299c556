"""The demo's published campaigns have downloadable results files: a référentiel decided by blocs
(the professional title) and one decided by competences (Facilitateur), with their jury minutes."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client

from certeval.campaigns.models import Campaign
from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.results_file import BOM
from certeval.juries.demo import FACILITATEUR_PUBLISHED_TITLE, TITRE_TITLE, _published_campaigns
from certeval.juries.tests.factories import published

pytestmark = pytest.mark.django_db


def test_demo_published_campaigns_have_results_files_with_bloc_and_competence_labels() -> None:
    published("titre-responsable-formation")
    published("facilitateur-apprentissage")
    organiser = UserFactory(email="organisateur@demo.certeval.fr")
    president = UserFactory(email="president@demo.certeval.fr")
    _published_campaigns(io.StringIO())
    client = Client()
    client.force_login(organiser)
    titre = Campaign.objects.get(title=TITRE_TITLE)
    assert (
        f"/resultats/campagnes/{titre.pk}/fichiers/" in client.get(f"/campagnes/{titre.pk}/").content.decode()
    )
    text = client.get(f"/resultats/campagnes/{titre.pk}/resultats.csv").content.decode()
    assert text.startswith(BOM)
    header, *rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert len(rows) == 3 and {row[14] for row in rows} == {"Certifié", "Non certifié"}
    competences = header[16:-1]
    assert competences and all(row[16:-1] for row in rows)
    bloc4 = [row for row in rows if row[14] == "Non certifié"]
    assert any("Bloc non validé" in row[16:-1] for row in bloc4)
    assert all(
        cell.startswith("Bloc validé le ") or cell == "Bloc non validé"
        for row in rows
        for cell in row[16:-1]
        if cell
    )
    facilitateur = Campaign.objects.get(title=FACILITATEUR_PUBLISHED_TITLE)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/resultats/campagnes/{facilitateur.pk}/resultats.xlsx").content)
    )
    table = list(book["Résultats"].iter_rows(values_only=True))
    assert len(table) == 3
    assert {cell for row in table[1:] for cell in row[16:-1]} == {"Validée", "Non validée"}
    jury = facilitateur.juries.first()
    minutes = Client()
    minutes.force_login(president)
    response = minutes.get(f"/resultats/jurys/{jury.pk}/proces-verbal.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
