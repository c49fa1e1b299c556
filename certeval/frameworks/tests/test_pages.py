from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from jsonschema import Draft7Validator

from certeval.domain.loader import SCHEMA_PATH as SCHEMA
from certeval.frameworks.labels import COMPONENT_KINDS, LIMITS, framework_title, limit_label
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import framework_publish_directory
from conftest import shared_path

pytestmark = pytest.mark.django_db

THEMES = ["neutre", "etat"]


@pytest.fixture
def published() -> list[FrameworkVersion]:
    framework_publish_directory()
    return list(FrameworkVersion.objects.all())


def test_every_page_renders_in_both_themes(client: Client, published, settings) -> None:  # type: ignore[no-untyped-def]
    for theme in THEMES:
        settings.CERTEVAL_THEME = theme
        for url in (reverse("home"), reverse("frameworks:list")):
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            for version in published:
                assert _escape(framework_title(version.title)) in html
            assert ("fr-header" in html) == (theme == "etat")
            assert ("neutre.css" in html) == (theme == "neutre")
        for version in published:
            for tab in ("competences", "grilles", "epreuves", "versions"):
                response = client.get(
                    reverse("frameworks:detail", args=[version.framework_id]), {"onglet": tab}
                )
                assert response.status_code == 200, (theme, version.framework_id, tab)
                html = response.content.decode()
                assert f"<h1>{_escape(framework_title(version.title))}</h1>" in html
                assert 'aria-current="page"' in html
        html = client.get(reverse("frameworks:search"), {"q": "donnees personnelles"}).content.decode()
        assert "Protéger les <mark>données personnelles</mark> et la vie privée" in html


def test_the_competence_tab_lists_competences_and_criteria(client: Client, published) -> None:
    version = next(v for v in published if v.framework_id == "langues-vivantes-innovation")
    html = client.get(reverse("frameworks:detail", args=[version.framework_id])).content.decode()
    for domain in version.document["domains"]:
        for competence in domain["competences"]:
            assert competence["id"] in html
            for criterion in competence["criteria"]:
                assert criterion["id"] in html


def test_the_grid_tab_shows_every_descriptor(client: Client, published) -> None:
    version = next(v for v in published if v.framework_id == "pix-plus-edu")
    html = client.get(
        reverse("frameworks:detail", args=["pix-plus-edu"]), {"onglet": "grilles"}
    ).content.decode()
    grid = version.document["grids"][0]
    assert len(grid["criteria"]) == 16
    for criterion in grid["criteria"]:
        for text in criterion["descriptors"].values():
            assert _escape(text) in html


def test_the_epreuves_tab_names_kinds_and_limits_in_french(client: Client, published) -> None:
    html = client.get(
        reverse("frameworks:detail", args=["pix-plus-edu"]), {"onglet": "epreuves"}
    ).content.decode()
    assert "Épreuve automatisée" in html and "64 questions au plus" in html
    assert "2 pages au moins" in html and "10 pages au plus" in html
    assert "Échange avec le jury : 30 min" in html
    for version in published:
        for component in version.document.get("components", []):
            assert component["kind"] in COMPONENT_KINDS, (version.framework_id, component["id"])
            for key in component.get("limits", {}):
                assert key in LIMITS, (version.framework_id, component["id"], key)


def test_every_kind_the_schema_allows_has_a_label() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["$defs"]["component"]["properties"]["kind"]["enum"]) == set(COMPONENT_KINDS)


def test_a_limit_without_a_label_is_still_shown_with_its_value() -> None:
    assert limit_label("max_characters", 140000).replace("\u202f", " ").replace("\xa0", " ") == (
        "140 000 caractères au plus, espaces compris"
    )
    assert limit_label("new_limit", 3) == "new_limit : 3"


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def test_unknown_framework_and_version_are_404(client: Client, published) -> None:
    assert client.get(reverse("frameworks:detail", args=["inconnu"])).status_code == 404
    assert client.get(reverse("frameworks:version", args=["crcn", 99])).status_code == 404


def test_a_specific_version_is_served(client: Client, published) -> None:
    response = client.get(reverse("frameworks:version", args=["crcn", 1]))
    assert response.status_code == 200


def test_search_is_accent_and_case_insensitive(client: Client, published) -> None:
    response = client.get(reverse("frameworks:search"), {"q": "donnees personnelles"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Protéger les <mark>données personnelles</mark> et la vie privée" in html
    assert (
        "Protéger les <mark>données personnelles</mark> et la vie privée"
        in client.get(reverse("frameworks:search"), {"q": "DONNÉES Personnelles"}).content.decode()
    )


def test_search_without_match_says_so(client: Client, published) -> None:
    html = client.get(reverse("frameworks:search"), {"q": "zzzzqqq"}).content.decode()
    assert "0 résultat" in html


def test_yaml_export_is_the_published_file(client: Client, published) -> None:
    response = client.get(reverse("frameworks:export-yaml", args=["crcn"]))
    version = FrameworkVersion.objects.get(framework_id="crcn")
    assert response.content.decode() == version.source_yaml
    assert response["Content-Disposition"].endswith('crcn-v1.yaml"')


def test_case_export_is_a_valid_cfpackage(client: Client, published) -> None:
    schema = json.loads(shared_path("standards", "case", "case-v1p0-cfpackage-schema.json").read_text())
    for version in published:
        _check_case_export(client, schema, version.framework_id)


def _check_case_export(client: Client, schema: dict, framework_id: str) -> None:
    response = client.get(reverse("frameworks:export-case", args=[framework_id]))
    assert response.status_code == 200
    package = response.json()
    errors = sorted(Draft7Validator(schema).iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    version = FrameworkVersion.objects.get(framework_id=framework_id)
    competences = [c for d in version.document["domains"] for c in d["competences"]]
    coded = {item["humanCodingScheme"] for item in package["CFItems"]}
    assert {c["id"] for c in competences} <= coded
    assert len(package["CFRubrics"]) == len(version.document.get("grids", []))
    identifiers = [item["identifier"] for item in package["CFItems"]]
    assert len(identifiers) == len(set(identifiers))
    # Reproducible: the same version exports the same identifiers.
    again = client.get(reverse("frameworks:export-case", args=[framework_id])).json()
    assert [i["identifier"] for i in again["CFItems"]] == identifiers


def test_api_lists_and_shows_frameworks(client: Client, published) -> None:
    listing = client.get("/api/v1/frameworks/").json()
    assert {row["id"] for row in listing} == {v.framework_id for v in published}
    one = client.get("/api/v1/frameworks/pix-plus-edu").json()
    assert one["id"] == "pix-plus-edu" and one["published_version"] == 1
    assert client.get("/api/v1/frameworks/inconnu").status_code == 404
