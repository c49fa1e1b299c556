"""The Caisse des Dépôts flux: holder rules with French reasons, the document encoded by the XSD
itself (valid, nil where the schema allows it), the acknowledgement CSV and the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from certeval.domain import cdc

XSD = Path(__file__).resolve().parents[3] / ".." / "shared" / "standards" / "cdc" / "cpf-1.1.2.xsd"
PARIS_SUMMER = timezone(timedelta(hours=2))


def holder(**changes: object) -> cdc.Holder:
    values: dict[str, object] = {
        "technical_id": "6f1c2a8e-0000-4000-8000-000000000001",
        "birth_name": "Dupont",
        "usual_name": "",
        "first_names": "Marie Claire",
        "birth_date": date(1980, 5, 3),
        "sex": "F",
        "award_date": date(2026, 6, 1),
    }
    values.update(changes)
    return cdc.Holder(**values)  # type: ignore[arg-type]


def flux(*holders: cdc.Holder, **changes: object) -> cdc.Flux:
    values: dict[str, object] = {
        "flux_id": "certeval-1-1",
        "produced_at": datetime(2026, 7, 1, 10, 0, tzinfo=PARIS_SUMMER),
        "declarant": cdc.Declarant("12345678", "87654321", "CTR-1"),
        "certifications": (cdc.Certification("RS", "RS5678", holders or (holder(),)),),
    }
    values.update(changes)
    return cdc.Flux(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def schema() -> object:
    if not XSD.is_file():
        pytest.skip("../shared/standards/cdc/cpf-1.1.2.xsd absent")
    return cdc.load_schema(XSD)


def test_a_complete_holder_has_no_problem_and_each_gap_is_named() -> None:
    assert cdc.holder_problems(holder()) == []
    problems = cdc.holder_problems(
        holder(
            birth_name=" ", first_names="", birth_date=None, sex="", award_date=None, birth_insee_code="123"
        )
    )
    assert problems == [
        "Nom de naissance manquant.",
        "Prénom manquant.",
        "Date de naissance manquante.",
        "Sexe à l'état civil non renseigné (M ou F).",
        "Code INSEE de la commune de naissance invalide (5 caractères, par exemple 69123 ou 2A004 ; "
        "99xxx pour un pays étranger).",
        "Date d'obtention de la certification inconnue.",
    ]
    assert cdc.holder_problems(holder(birth_name="X" * 61)) == [
        "Nom de naissance trop long (au plus 60 caractères)."
    ]
    assert cdc.holder_problems(holder(birth_date=date(1899, 12, 31))) == [
        "Année de naissance hors de la plage acceptée (1900 à 2099)."
    ]
    assert cdc.holder_problems(holder(birth_insee_code="2A004")) == []


def test_first_name_is_the_first_of_the_list() -> None:
    assert cdc.first_name("Marie Claire") == "Marie"
    assert cdc.first_name("Jean-Pierre, Paul") == "Jean-Pierre"
    assert cdc.first_name("  ") == ""


def test_declarant_and_certification_problems() -> None:
    assert cdc.declarant_problems(cdc.Declarant("", "123", "")) == [
        "Identifiant client CDC du certificateur invalide (8 caractères attendus).",
        "Identifiant client CDC de l'émetteur non renseigné.",
        "Numéro de contrat CDC du certificateur non renseigné.",
    ]
    assert cdc.certification_problems("Facilitateur", "RS", "") == [
        "Code de la fiche RS non renseigné pour « Facilitateur »."
    ]
    with pytest.raises(ValueError, match="Sexe"):
        cdc.flux_document(flux(holder(sex="")))


def test_the_encoded_flux_is_valid_and_nils_what_is_unknown(schema: object) -> None:
    born_in_lyon = holder(
        technical_id="id-2", usual_name="Martin", birth_insee_code="69123", birth_place="Lyon", sex="M"
    )
    body = cdc.encode_flux(schema, flux(holder(), born_in_lyon))
    assert cdc.validation_errors(schema, body) == []
    root = etree.fromstring(body)
    ns = {"cpf": cdc.NAMESPACE, "xsi": cdc.XSI}
    passages = root.findall(".//cpf:passageCertification", ns)
    assert [p.findtext("cpf:idTechnique", namespaces=ns) for p in passages] == [holder().technical_id, "id-2"]
    first = passages[0]
    assert first.find(".//cpf:nomUsage", ns).get(f"{{{cdc.XSI}}}nil") == "true"
    assert first.find(".//cpf:codePostal", ns).get(f"{{{cdc.XSI}}}nil") == "true"
    assert first.findtext(".//cpf:prenom1", namespaces=ns) == "Marie"
    assert first.findtext(".//cpf:dateDebutValidite", namespaces=ns) == "2026-06-01"
    assert passages[1].findtext(".//cpf:codeInsee", namespaces=ns) == "69123"
    assert root.findtext("cpf:horodatage", namespaces=ns) == "2026-07-01T10:00:00+02:00"


def test_a_validity_gives_an_end_date(schema: object) -> None:
    certification = cdc.Certification("RNCP", "RNCP12345", (holder(),), validity_years=5)
    body = cdc.encode_flux(schema, flux(certifications=(certification,)))
    assert b"<cpf:dateFinValidite>2031-06-01</cpf:dateFinValidite>" in body


def test_the_schema_refuses_what_does_not_fit(schema: object) -> None:
    with pytest.raises(cdc.SchemaError):
        cdc.encode_flux(schema, flux(flux_id="x" * 51))
    assert cdc.validation_errors(schema, b"<flux xmlns='urn:cdc:cpf:pc5:schema:1.0.0'/>")


def test_a_naive_timestamp_is_refused(schema: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cdc.encode_flux(schema, flux(produced_at=datetime(2026, 7, 1, 10, 0)))
    assert cdc.encode_flux(schema, flux(produced_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC)))


def test_an_absent_schema_is_said() -> None:
    with pytest.raises(cdc.SchemaError, match="not found"):
        cdc.load_schema("/nonexistent/cpf.xsd")
    with pytest.raises(cdc.SchemaError, match="no path set"):
        cdc.load_schema("")


def test_the_acknowledgement_csv() -> None:
    text = (
        "\ufeffidTechnique;Statut;Motif\nid-1;OK;\nid-2;KO;Aucun titulaire ne correspond\n\nid-3;rejeté;x\n"
    )
    reading = cdc.parse_acknowledgement(text)
    assert reading.errors == []
    assert [(r.line, r.technical_id, r.status, r.reason) for r in reading.rows] == [
        (2, "id-1", "accepted", ""),
        (3, "id-2", "rejected", "Aucun titulaire ne correspond"),
        (5, "id-3", "rejected", "x"),
    ]
    comma = cdc.parse_acknowledgement("id_technique,etat\nid-1,accepté\n")
    assert comma.errors == [] and comma.rows[0].status == "accepted"


def test_acknowledgement_errors_are_listed_by_line() -> None:
    assert cdc.parse_acknowledgement("").errors == [
        "Fichier vide : la première ligne doit nommer les colonnes."
    ]
    assert cdc.parse_acknowledgement("a;b\n1;2\n").errors == [
        "Colonnes « idTechnique » et « statut » introuvables sur la première ligne du fichier."
    ]
    reading = cdc.parse_acknowledgement("idTechnique;statut\n;OK\nid-1;PEUT-ETRE\nid-2;OK\nid-2;KO\n")
    assert reading.errors == [
        "Ligne 2 : identifiant technique vide.",
        "Ligne 3 : statut « PEUT-ETRE » inconnu (OK ou KO attendu).",
        "Ligne 5 : le passage id-2 figure deux fois.",
    ]
    assert cdc.parse_acknowledgement("idTechnique;statut\n").errors == [
        "Aucune ligne de passage dans le fichier."
    ]


def test_deadline_and_reminder() -> None:
    assert cdc.declaration_deadline(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert cdc.declaration_deadline(date(2026, 1, 15), 3) == date(2026, 4, 15)
    deadline = date(2026, 9, 1)
    assert not cdc.reminder_due(date(2026, 7, 31), deadline, 30)
    assert cdc.reminder_due(date(2026, 8, 2), deadline, 30)
    assert cdc.reminder_due(date(2026, 9, 5), deadline, 30)


def test_an_unreadable_schema_is_said(tmp_path: Path) -> None:
    broken = tmp_path / "cpf.xsd"
    broken.write_text("<not-a-schema", encoding="utf-8")
    with pytest.raises(cdc.SchemaError, match="unreadable"):
        cdc.load_schema(broken)
