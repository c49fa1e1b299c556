"""The item writers' pages at work: writing an item in the editor (French errors on their fields),
the preview as the candidate sees it, the review by a second writer, search, coverage, the import
with its errors listed and nothing half-imported, the export, the navigation entry."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.items.exchange import items_to_csv
from certeval.testing.item_services import item_create
from certeval.testing.models import Item
from certeval.testing.tests.item_factories import BANK, bank, record, short_record, writer

pytestmark = pytest.mark.django_db
BASE = f"/banque-de-questions/{BANK}"


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    bank()


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def editor_post(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "crcn-edu-1.1-w01",
        "competence": "crcn-edu:1.1",
        "level": "confirme",
        "audience": "",
        "usage": "practice",
        "kind": "single",
        "stem": "Quel outil utiliser pour écrire aux familles ?",
        "option_a": "La messagerie de l'ENT",
        "option_b": "Un réseau social",
        "option_c": "Un SMS personnel",
        "correct": ["a"],
        "explanation": "L'ENT est le canal institutionnel.",
        "resources": "Éduscol | https://eduscol.education.fr/",
        "image_alt": "",
        "expected_seconds": "45",
        "accessibility": ["screen-reader", "motor"],
    }
    data.update(changes)
    return data


def test_a_writer_writes_an_item_with_an_image_and_a_second_writer_reviews_it() -> None:
    author, reviewer = writer(), writer()
    image = SimpleUploadedFile("schema.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")
    response = client(author).post(
        f"{BASE}/questions/nouvelle/", editor_post(image=image, image_alt="Un schéma du réseau")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Item.objects.get(code="crcn-edu-1.1-w01")
    assert (
        item.status == "draft"
        and item.current.image
        and item.current.accessibility == ["motor", "screen-reader"]
    )
    page = client(author).get(f"{BASE}/questions/{item.pk}/apercu/").content.decode()
    assert "Quel outil utiliser" in page and 'alt="Un schéma du réseau"' in page
    answered = client(author).post(f"{BASE}/questions/{item.pk}/apercu/", {"choice": "a"}).content.decode()
    assert "Réponse juste." in answered and "L&#x27;ENT est le canal institutionnel." in answered
    assert "Relire crcn-edu-1.1-w01" not in client(reviewer).get(f"{BASE}/relecture/").content.decode()
    detail = client(author).get(f"{BASE}/questions/{item.pk}/").content.decode()
    assert "Soumettre à la relecture" in detail
    assert client(author).post(f"{BASE}/questions/{item.pk}/soumettre/").status_code == 302
    assert client(author).get(f"{BASE}/relecture/").content.decode().count("Relire crcn") == 0
    assert "Relire crcn-edu-1.1-w01" in client(reviewer).get(f"{BASE}/relecture/").content.decode()
    sent_back = client(reviewer).post(f"{BASE}/questions/{item.pk}/relecture/", {"decision": "send_back"})
    assert "le commentaire est obligatoire" in sent_back.content.decode()
    client(reviewer).post(f"{BASE}/questions/{item.pk}/relecture/", {"decision": "approve"})
    item.refresh_from_db()
    assert item.status == "reviewed" and item.reviewer == reviewer
    client(author).post(f"{BASE}/questions/{item.pk}/statut/", {"to": "active"})
    item.refresh_from_db()
    assert item.status == "active"
    history = client(author).get(f"{BASE}/questions/{item.pk}/historique/").content.decode()
    for label in ("Création d&#x27;une question", "Relecture d&#x27;une question", "Relu → Actif"):
        assert label in history


def test_editor_errors_are_french_and_tied_to_their_field() -> None:
    author = writer()
    response = client(author).post(
        f"{BASE}/questions/nouvelle/", editor_post(correct=["a", "b"], explanation="")
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Item.objects.exists()
    assert 'id="id_explanation-errors"' in page  # a required field first
    response = client(author).post(f"{BASE}/questions/nouvelle/", editor_post(correct=["a", "b"]))
    page = response.content.decode()
    assert (
        '<ul class="errors" id="id_correct-errors"><li>Une question à choix unique a exactement une bonne réponse.'
        in page
    )
    assert not Item.objects.exists()


def test_an_edit_makes_a_new_version_from_the_editor() -> None:
    author = writer()
    item = item_create(bank=BANK, record=short_record(), actor=author)
    form = client(author).get(f"{BASE}/questions/{item.pk}/modifier/").content.decode()
    assert "42" in form
    response = client(author).post(
        f"{BASE}/questions/{item.pk}/modifier/",
        editor_post(
            kind="short", correct=[], answers_1="42\n42,0", tolerance_1="0,5", stem="Combien font 6 × 7 ?"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.current.number == 2 and item.current.blanks == [{"answers": [42.0, 42.0], "tolerance": 0.5}]


def test_search_filters_and_pagination() -> None:
    author = writer()
    item_create(bank=BANK, record=record("t-001"), actor=author)
    item_create(bank=BANK, record=short_record("t-002", level="expert"), actor=author)
    page = (
        client(author)
        .get(f"{BASE}/questions/", {"text": "7 × 6", "competence": "crcn-edu:"})
        .content.decode()
    )
    assert "t-002" in page and "t-001" not in page
    page = client(author).get(f"{BASE}/questions/", {"kind": "single", "level": "confirme"}).content.decode()
    assert "t-001" in page and "t-002" not in page


def test_import_lists_the_errors_and_imports_nothing_then_imports_and_exports() -> None:
    author = writer()
    bad = items_to_csv([record("t-001"), record("t-002", competence="9.9")])
    response = client(author).post(
        f"{BASE}/import-export/",
        {"file": SimpleUploadedFile("items.csv", bad.encode()), "status": "draft"},
    )
    page = response.content.decode()
    assert "aucune question importée" in page and "t-002: competence 9.9 is not a competence" in page
    assert not Item.objects.exists()
    good = items_to_csv([record("t-001"), short_record("t-002")])
    response = client(author).post(
        f"{BASE}/import-export/", {"file": SimpleUploadedFile("items.csv", good.encode()), "status": "draft"}
    )
    assert response.status_code == 302 and Item.objects.count() == 2
    assert set(Item.objects.values_list("status", flat=True)) == {"draft"}
    export = client(author).get(f"{BASE}/export/qti/")
    assert export["Content-Type"] == "application/zip"
    assert "usagedata.xml" in zipfile.ZipFile(io.BytesIO(export.content)).namelist()


def test_a_writer_cannot_import_straight_into_active() -> None:
    response = client(writer()).post(
        f"{BASE}/import-export/",
        {"file": SimpleUploadedFile("items.csv", items_to_csv([record()]).encode()), "status": "active"},
    )
    assert response.status_code == 200 and not Item.objects.exists()


def test_coverage_flags_gaps_and_the_navigation_shows_the_banks() -> None:
    author = writer()
    page = client(author).get(f"{BASE}/couverture/").content.decode()
    assert "Manque : certification" in page and "1.1 Communiquer" in page
    home = client(author).get("/").content.decode()
    assert "Banques de questions" in home
    assert "Banques de questions" not in client(UserFactory()).get("/").content.decode()


def test_the_api_creates_and_reads_an_item() -> None:
    author = writer()
    c = client(author)
    body = {
        "code": "api-01",
        "part": "crcn",
        "competence": "1.3",
        "level": "initie",
        "kind": "short",
        "stem": "Combien de cellules dans la plage A1:B2 ?",
        "blanks": [{"answers": [4], "tolerance": 0}],
        "explanation": "Deux colonnes, deux lignes.",
    }
    created = c.post(f"/api/v1/testing/banks/{BANK}/items", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["irt"]["provisional"] and data["blanks"][0]["answers"] == [4.0]
    listed = c.get(f"/api/v1/testing/banks/{BANK}/items", {"text": "plage"}).json()
    assert [i["code"] for i in listed] == ["api-01"]
    refused = c.post(
        f"/api/v1/testing/banks/{BANK}/items",
        {**body, "code": "api-02", "blanks": []},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "blank" in refused.json()["detail"]
