"""The register of processing activities (RGPD art. 30): the administrators' page, the CSV and JSON
downloads and ``certeval privacy register`` give the same entries with every field art. 30-1 lists."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from certeval.campaigns.tests.factories import UserFactory
from certeval.privacy.register_selectors import FIELDS
from certeval.privacy.tests.privacy_fixtures import signed_in, text

pytestmark = pytest.mark.django_db

ART_30 = (
    "controller",
    "dpo",
    "purposes",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
)


def admin_client():  # type: ignore[no-untyped-def]
    return signed_in(UserFactory(is_superuser=True, is_staff=True))


def test_the_json_download_has_every_processing_with_the_art_30_fields() -> None:
    response = admin_client().get("/donnees-personnelles/registre.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    register = json.loads(response.content)
    entries = register["processings"]
    assert [e["key"] for e in entries] == ["enrolment", "testing", "dossier", "results", "statistics"]
    for entry in entries:
        for field in ART_30:
            assert entry[field], (entry["key"], field)
        assert entry["dpo"]["email"] == "dpo@certificateur.invalid"
    testing = entries[1]
    assert {r["category"] for r in testing["retention"]} == {"proctoring_events", "test_responses"}
    assert testing["retention"][0]["days"] == 90


def test_the_csv_download_is_the_projects_csv_one_row_per_processing(settings: object) -> None:
    settings.CERTEVAL_RETENTION = {"proctoring_events": {"days": 60, "from": "result_published"}}  # type: ignore[attr-defined]
    response = admin_client().get("/donnees-personnelles/registre.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [header for _key, header in FIELDS]
    assert len(rows) == 6
    assert (
        "Événements de surveillance, messages et incidents : 2 mois à compter de la publication du résultat"
        in rows[2][12]
    )


def test_the_page_shows_every_entry_and_links_both_downloads() -> None:
    page = text(admin_client().get("/donnees-personnelles/registre/"))
    for reference in ("CERTEVAL-01", "CERTEVAL-05"):
        assert reference in page
    assert "/donnees-personnelles/registre.csv" in page and "/donnees-personnelles/registre.json" in page
    assert "Catégories de destinataires" in page


def test_the_command_prints_the_same_register(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("privacy", "register", stdout=out)
    printed = json.loads(out.getvalue())
    downloaded = json.loads(admin_client().get("/donnees-personnelles/registre.json").content)
    printed.pop("generated_at"), downloaded.pop("generated_at")
    assert printed == downloaded
    target = tmp_path / "registre.csv"
    call_command("privacy", "register", "--format", "csv", "--output", str(target), stdout=io.StringIO())
    assert (
        target.read_bytes().decode("utf-8")
        == admin_client().get("/donnees-personnelles/registre.csv").content.decode()
    )
