"""Bulk enrolment: CSV (either separator, with or without BOM) and XLSX, per-row French errors,
nothing imported until clean unless the organiser imports only the valid rows."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from certeval.campaigns import imports
from certeval.campaigns.models import CampaignState, Enrolment
from certeval.campaigns.services import TRANSITIONS, CampaignError, campaign_transition
from certeval.campaigns.tests.factories import AcademyFactory, CampaignFactory, organiser_of

pytestmark = pytest.mark.django_db

HEADER = [
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "email",
    "academie",
    "degre",
    "formation",
    "niveau_vise",
    "temps_majore",
]
GOOD = [
    [
        "Martin",
        "",
        "Léa",
        "12/03/1988",
        "lea.martin@example.fr",
        "versailles",
        "second",
        "continue",
        "avance",
        "",
    ],
    [
        "Dubois",
        "Leroy",
        "Hugo Jean",
        "1979-11-02",
        "hugo.dubois@example.fr",
        "Créteil",
        "premier",
        "initiale",
        "",
        "33",
    ],
]


def csv_bytes(rows: list[list[str]], sep: str = ";", bom: bool = True) -> bytes:
    text = "\n".join(sep.join(r) for r in [HEADER, *rows]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def campaign():  # type: ignore[no-untyped-def]
    AcademyFactory(code="versailles", name="Versailles")
    AcademyFactory(code="creteil", name="Créteil")
    return CampaignFactory()


@pytest.mark.parametrize(
    "raw",
    [csv_bytes(GOOD), csv_bytes(GOOD, sep=",", bom=False), csv_bytes(GOOD, bom=False), xlsx_bytes(GOOD)],
    ids=["csv-semicolon-bom", "csv-comma", "csv-semicolon", "xlsx"],
)
def test_clean_files_preview_without_errors(campaign, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    preview = imports.preview(campaign=campaign, table=imports.read_table(io.BytesIO(raw), "candidats"))
    assert preview.is_clean and len(preview.rows) == 2
    data = preview.rows[1].data
    assert data is not None and data.academy.code == "creteil" and data.extra_time_percent == 33
    assert Enrolment.objects.count() == 0  # a preview writes nothing


def test_errors_are_reported_per_row_in_french(campaign) -> None:  # type: ignore[no-untyped-def]
    rows = [
        *GOOD,
        ["Petit", "", "Inès", "31/02/1990", "ines@example.fr", "versailles", "second", "continue", "", ""],
        [
            "Roux",
            "",
            "",
            "01/01/1990",
            "pas-une-adresse",
            "Atlantide",
            "troisième",
            "continue",
            "maître",
            "150",
        ],
        [
            "Copie",
            "",
            "Léa",
            "12/03/1988",
            "lea.martin@example.fr",
            "versailles",
            "second",
            "continue",
            "",
            "",
        ],
    ]
    preview = imports.preview(
        campaign=campaign, table=imports.read_table(io.BytesIO(csv_bytes(rows)), "x.csv")
    )
    assert not preview.is_clean
    assert "Ligne 4 : date de naissance invalide « 31/02/1990 »" in preview.errors
    assert "Ligne 5 : prénoms manquant(e)" in preview.errors
    assert "Ligne 5 : adresse électronique invalide « pas-une-adresse »" in preview.errors
    assert "Ligne 5 : académie inconnue « Atlantide »" in preview.errors
    assert "Ligne 5 : degré invalide « troisième » (premier ou second)" in preview.errors
    assert "Ligne 5 : niveau visé inconnu « maître »" in preview.errors
    assert "Ligne 5 : temps majoré invalide « 150 » (entier de 0 à 100)" in preview.errors
    assert "Ligne 6 : adresse « lea.martin@example.fr » déjà présente ligne 2" in preview.errors
    assert [r.line for r in preview.valid_rows] == [2, 3]


def test_missing_columns_and_bad_encoding_reject_the_file(campaign) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(imports.ImportFileError, match="Colonnes manquantes : date de naissance"):
        imports.preview(
            campaign=campaign, table=[["nom_naissance", "prenoms", "email", "academie", "degre", "formation"]]
        )
    # Neither UTF-8 nor Windows-1252 (0x81 is undefined in cp1252).
    with pytest.raises(imports.ImportFileError, match="UTF-8 ou en Windows-1252"):
        imports.read_table(io.BytesIO(b"nom;pr\x81noms\n"), "x.csv")


def test_import_pages_import_nothing_until_clean_or_explicitly_valid_only(  # type: ignore[no-untyped-def]
    campaign, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(organiser_of(campaign))
    url = f"/campagnes/{campaign.pk}/candidats/importer/"
    bad = [
        *GOOD,
        ["Petit", "", "Inès", "31/02/1990", "ines@example.fr", "versailles", "second", "continue", "", ""],
    ]
    page = client.post(url, {"file": SimpleUploadedFile("c.csv", csv_bytes(bad))})
    assert "Ligne 4 : date de naissance invalide « 31/02/1990 »" in page.content.decode()
    refused = client.post(url + "confirmer/", {"mode": "all"})
    assert refused.status_code == 302 and Enrolment.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url + "confirmer/", {"mode": "valid_only"})
    assert done.status_code == 302
    assert sorted(Enrolment.objects.values_list("candidate__email", flat=True)) == [
        "hugo.dubois@example.fr",
        "lea.martin@example.fr",
    ]
    assert {m.to[0] for m in mail.outbox} == {"hugo.dubois@example.fr", "lea.martin@example.fr"}
    assert "Votre inscription" in mail.outbox[0].subject and "/comptes/mot-de-passe/" in mail.outbox[0].body


def test_campaign_state_machine_is_linear_and_logged(campaign) -> None:  # type: ignore[no-untyped-def]
    campaign.state = CampaignState.DRAFT
    campaign.save()
    with pytest.raises(CampaignError, match="Passage impossible"):
        campaign_transition(campaign=campaign, to_state=CampaignState.PUBLISHED, by=None)
    campaign = campaign_transition(campaign=campaign, to_state=CampaignState.OPEN, by=None, note="go")
    with pytest.raises(CampaignError, match="après la date limite"):
        campaign_transition(campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=None)
    assert [(t.from_state, t.to_state, t.note) for t in campaign.transitions.all()] == [
        ("draft", "open", "go")
    ]
    assert all(len(nexts) <= 1 for nexts in TRANSITIONS.values())
