"""The item editor's image and attached file get the upload checks (issue 14): a hostile image is
refused with a French message on its field, the item is not created, nothing is stored, and the
writer's text is shown again."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certeval.core.tests import upload_samples as samples
from certeval.testing.models import Item
from certeval.testing.tests.item_factories import bank, writer
from certeval.testing.tests.test_item_pages import BASE, client, editor_post

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    bank()


@pytest.mark.parametrize(
    ("field", "name", "data", "message"),
    [
        ("image", "schema.png", samples.png() + samples.zip_archive(), "archive ZIP cachée"),
        ("image", "schema.jpg", samples.png(), "ne correspond pas à son extension"),
        ("image", "schema.png", samples.png_bomb(), "trop grande une fois décompressée"),
        ("attachment", "consignes.pdf", samples.pdf_with("openaction"), "JavaScript"),
    ],
    ids=["png-zip", "png-as-jpg", "png-bomb", "pdf-javascript"],
)
def test_a_hostile_item_file_is_refused(
    field: str, name: str, data: bytes, message: str, tmp_path: Path
) -> None:
    post = editor_post(image_alt="Un schéma")
    post[field] = SimpleUploadedFile(name, data)
    response = client(writer()).post(f"{BASE}/questions/nouvelle/", post)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and message in page
    assert "Quel outil utiliser pour écrire aux familles ?" in page
    assert not Item.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_valid_item_image_is_stored(tmp_path: Path) -> None:
    post = editor_post(image_alt="Un schéma", image=SimpleUploadedFile("schema.png", samples.png()))
    response = client(writer()).post(f"{BASE}/questions/nouvelle/", post)
    assert response.status_code == 302
    version = Item.objects.get().current
    assert version is not None and version.image.read() == samples.png()


def test_an_imported_package_gets_the_same_checks(tmp_path: Path) -> None:
    import io
    import zipfile

    from certeval.domain.items.exchange import items_to_csv
    from certeval.testing.tests.item_factories import record

    item = record("t-001")
    with_image = replace(item, image="schema.png", content=replace(item.content, image_alt="Un schéma"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("items.csv", items_to_csv([with_image]))
        archive.writestr("schema.png", samples.png() + samples.SHELL)
    response = client(writer()).post(
        f"{BASE}/import-export/",
        {"file": SimpleUploadedFile("paquet.zip", out.getvalue()), "status": "draft"},
    )
    page = html.unescape(response.content.decode())
    errors = re.findall(r"<li>(.*?)</li>", page[page.find("erreur") :], re.S)
    assert response.status_code == 200 and "schema.png: Cette image contient des données cachées" in page, (
        errors[:8]
    )
    assert not Item.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))
