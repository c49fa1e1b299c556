"""The holders' declaration to the Caisse des Dépôts (« accrochage certificateurs », CPF): pure rules.

A certifier of an RNCP or RS certification declares each holder in an XML « flux » whose XSD the
CDC publishes (version 1.1.2, namespace ``urn:cdc:cpf:pc5:schema:1.0.0``). This module holds what
does not need Django:

- what a holder's, a certification's and the declarant's data must hold, with French reasons
  (``holder_problems``, ``certification_problems``, ``declarant_problems``), read from the XSD: the
  holder's birth name, first first name, birth year and sex are mandatory; the usual name, birth
  month and day are nillable; the birth commune element is mandatory but its postal-code form may be
  nil, so the INSEE code is sent only when known;
- the plain document of a flux (``flux_document``) and its encoding by the schema itself
  (``encode_flux``, with xmlschema): the generator follows the XSD given at run time, so a newer
  version of the schema is read, not hard-coded — the encoding fails with the schema's reasons
  when the document no longer fits;
- the reading of the CDC's acknowledgement (« accusé de traitement ») as the documented CSV
  (``parse_acknowledgement``: no public format is known; docs/results.md);
- the declaration deadline (months after the award) and when to remind of it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

NAMESPACE = "urn:cdc:cpf:pc5:schema:1.0.0"
SEXES = ("M", "F")
NAME_MAX = 60
INSEE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# A nillable element sent empty: ``<x xsi:nil="true"/>``.
NIL: dict[str, Any] = {"@xsi:nil": "true"}


@dataclass(frozen=True)
class Holder:
    """One passage of one holder, as declared (the technical id is stable across re-sends)."""

    technical_id: str
    birth_name: str
    usual_name: str
    first_names: str
    birth_date: date | None
    sex: str
    award_date: date | None
    birth_insee_code: str = ""
    birth_place: str = ""


@dataclass(frozen=True)
class Certification:
    """An RNCP or RS certification and the holders declared for it."""

    type: str
    code: str
    holders: tuple[Holder, ...]
    validity_years: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Declarant:
    """Who sends the flux (the emitter) for which certifier, under which CDC contract."""

    emitter_id: str
    certifier_id: str
    contract_id: str


@dataclass(frozen=True)
class Flux:
    flux_id: str
    produced_at: datetime
    declarant: Declarant
    certifications: tuple[Certification, ...]


def first_name(first_names: str) -> str:
    """The first first name (``prenom1``): the first of a comma-separated list, else the first word
    (a compound name keeps its hyphen)."""
    text = first_names.strip()
    if "," in text:
        return text.split(",", 1)[0].strip()
    return text.split()[0] if text else ""


def holder_problems(holder: Holder) -> list[str]:
    """Why this holder cannot be declared yet (empty: complete), in French."""
    problems: list[str] = []
    if not holder.birth_name.strip():
        problems.append("Nom de naissance manquant.")
    elif len(holder.birth_name.strip()) > NAME_MAX:
        problems.append(f"Nom de naissance trop long (au plus {NAME_MAX} caractères).")
    if len(holder.usual_name.strip()) > NAME_MAX:
        problems.append(f"Nom d'usage trop long (au plus {NAME_MAX} caractères).")
    given = first_name(holder.first_names)
    if not given:
        problems.append("Prénom manquant.")
    elif len(given) > NAME_MAX:
        problems.append(f"Premier prénom trop long (au plus {NAME_MAX} caractères).")
    if holder.birth_date is None:
        problems.append("Date de naissance manquante.")
    elif not 1900 <= holder.birth_date.year <= 2099:
        problems.append("Année de naissance hors de la plage acceptée (1900 à 2099).")
    if holder.sex not in SEXES:
        problems.append("Sexe à l'état civil non renseigné (M ou F).")
    if holder.birth_insee_code and not INSEE_PATTERN.match(holder.birth_insee_code):
        problems.append(
            "Code INSEE de la commune de naissance invalide (5 caractères, par exemple 69123 ou 2A004 ; "
            "99xxx pour un pays étranger)."
        )
    if holder.award_date is None:
        problems.append("Date d'obtention de la certification inconnue.")
    return problems


def certification_problems(label: str, type_: str, code: str) -> list[str]:
    """Why a certification cannot be declared: its type (RNCP or RS) and code must be set."""
    problems = []
    if not type_.strip():
        problems.append(f"Type de fiche (RNCP ou RS) non renseigné pour « {label} ».")
    if not code.strip():
        problems.append(f"Code de la fiche {type_ or 'RNCP/RS'} non renseigné pour « {label} ».")
    elif len(code.strip()) > 100:
        problems.append(f"Code de la fiche trop long pour « {label} » (au plus 100 caractères).")
    return problems


def declarant_problems(declarant: Declarant) -> list[str]:
    """The CDC client ids have exactly 8 characters; the contract id 1 to 20."""
    problems = []
    ids = [(declarant.certifier_id, "Identifiant client CDC du certificateur")]
    if declarant.emitter_id != declarant.certifier_id:
        ids.append((declarant.emitter_id, "Identifiant client CDC de l'émetteur"))
    for value, label in ids:
        if not value:
            problems.append(f"{label} non renseigné.")
        elif len(value) != 8:
            problems.append(f"{label} invalide (8 caractères attendus).")
    if not declarant.contract_id:
        problems.append("Numéro de contrat CDC du certificateur non renseigné.")
    elif len(declarant.contract_id) > 20:
        problems.append("Numéro de contrat CDC trop long (au plus 20 caractères).")
    return problems


def _timestamp(moment: datetime) -> str:
    """``horodatage``: seconds and a ``±hh:mm`` offset, as the XSD's pattern wants."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("The flux timestamp must be timezone-aware.")
    return moment.replace(microsecond=0).isoformat()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover


def _holder_document(holder: Holder) -> dict[str, Any]:
    birth = holder.birth_date
    assert birth is not None
    titulaire: dict[str, Any] = {
        "nomNaissance": holder.birth_name.strip(),
        "nomUsage": holder.usual_name.strip() or NIL,
        "prenom1": first_name(holder.first_names),
        "anneeNaissance": birth.year,
        "moisNaissance": birth.month,
        "jourNaissance": birth.day,
        "sexe": holder.sex,
        "codeCommuneNaissance": (
            {"codeInseeNaissance": {"codeInsee": holder.birth_insee_code}}
            if holder.birth_insee_code
            else {"codePostalNaissance": {"codePostal": NIL}}
        ),
    }
    place = holder.birth_place.strip()
    if place and len(place) <= NAME_MAX:
        titulaire["libelleCommuneNaissance"] = place
    return titulaire


def _passage_document(holder: Holder, validity_years: int | None) -> dict[str, Any]:
    award = holder.award_date
    assert award is not None
    end = add_months(award, 12 * validity_years).isoformat() if validity_years else NIL
    return {
        "idTechnique": holder.technical_id,
        "obtentionCertification": "PAR_ADMISSION",
        "donneeCertifiee": True,
        "dateDebutValidite": award.isoformat(),
        "dateFinValidite": end,
        "presenceNiveauLangueEuro": False,
        "presenceNiveauNumeriqueEuro": False,
        "scoring": NIL,
        "mentionValidee": NIL,
        "modalitesInscription": {"modaliteAcces": NIL},
        "identificationTitulaire": {"titulaire": _holder_document(holder)},
    }


def flux_problems(flux: Flux) -> list[str]:
    """Every reason the flux cannot be produced (the declarant, each certification, each holder)."""
    problems = declarant_problems(flux.declarant)
    if not flux.certifications or not any(c.holders for c in flux.certifications):
        problems.append("Aucun titulaire à déclarer.")
    for certification in flux.certifications:
        problems += certification_problems(
            certification.label or certification.code, certification.type, certification.code
        )
        for holder in certification.holders:
            problems += [f"{holder.technical_id} : {p}" for p in holder_problems(holder)]
    return problems


def flux_document(flux: Flux) -> dict[str, Any]:
    """The flux as the plain document that xmlschema encodes (element names without prefix)."""
    problems = flux_problems(flux)
    if problems:
        raise ValueError("; ".join(problems))
    declarant = flux.declarant
    return {
        "@xmlns": NAMESPACE,
        "idFlux": flux.flux_id,
        "horodatage": _timestamp(flux.produced_at),
        "emetteur": {
            "idClient": declarant.emitter_id,
            "certificateurs": {
                "certificateur": {
                    "idClient": declarant.certifier_id,
                    "idContrat": declarant.contract_id,
                    "certifications": {
                        "certification": [
                            {
                                "type": certification.type,
                                "code": certification.code,
                                "natureDeposant": "CERTIFICATEUR",
                                "passageCertifications": {
                                    "passageCertification": [
                                        _passage_document(holder, certification.validity_years)
                                        for holder in certification.holders
                                    ]
                                },
                            }
                            for certification in flux.certifications
                            if certification.holders
                        ]
                    },
                }
            },
        },
    }


class SchemaError(Exception):
    """The XSD is absent or unreadable, or the flux does not fit it (``reasons``)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def load_schema(path: str | Path) -> Any:
    """The CDC's XSD (xmlschema.XMLSchema); ``SchemaError`` when absent or unreadable. A schema is
    parsed once per path and modification time."""
    schema_path = Path(path) if str(path) else None
    if schema_path is None or not schema_path.is_file():
        raise SchemaError([f"XSD of the CDC flux not found: {path or '(no path set)'}"])
    return _parsed_schema(str(schema_path.resolve()), schema_path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed_schema(path: str, mtime_ns: int) -> Any:
    import xmlschema

    try:
        return xmlschema.XMLSchema(path)
    except (xmlschema.XMLSchemaException, OSError) as error:
        raise SchemaError([f"XSD of the CDC flux unreadable: {error}"]) from error


def encode_flux(schema: Any, flux: Flux) -> bytes:
    """The flux encoded by the schema (which validates it on the way): UTF-8 XML with declaration.

    Raises ``ValueError`` with the data's problems, ``SchemaError`` with the schema's reasons."""
    import xml.etree.ElementTree as ET

    import xmlschema

    document = flux_document(flux)
    try:
        root = schema.encode(
            document, path=f"{{{NAMESPACE}}}flux", validation="strict", namespaces={"": NAMESPACE, "xsi": XSI}
        )
    except xmlschema.XMLSchemaValidationError as error:
        raise SchemaError([f"{error.path or ''} {error.reason or error}".strip()]) from error
    ET.register_namespace("cpf", NAMESPACE)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    reasons = validation_errors(schema, body)
    if reasons:
        raise SchemaError(reasons)
    return body


def validation_errors(schema: Any, xml: bytes) -> list[str]:
    """The schema's reasons against this XML (empty: valid)."""
    return [
        f"{getattr(e, 'path', '') or ''} {getattr(e, 'reason', None) or e}".strip()
        for e in schema.iter_errors(io.BytesIO(xml))
    ]


# Acknowledgement (« accusé de traitement »): no public format is known, so the CSV reading below is
# ours (docs/results.md): a header row naming ``idTechnique`` and ``statut`` (``motif`` optional),
# ``;`` or ``,`` as separator, UTF-8 with or without BOM.
ACCEPTED_WORDS = frozenset({"OK", "ACCEPTE", "VALIDE", "INTEGRE", "ACCROCHE"})
REJECTED_WORDS = frozenset({"KO", "REJETE", "REJET", "ERREUR", "ANOMALIE"})
ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass(frozen=True)
class AckRow:
    line: int
    technical_id: str
    status: str
    reason: str


@dataclass
class AckReading:
    rows: list[AckRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).strip().upper()


def _column(header: list[str], names: Iterable[str]) -> int | None:
    plain = [_plain(h).replace(" ", "").replace("_", "") for h in header]
    for name in names:
        if name in plain:
            return plain.index(name)
    return None


def parse_acknowledgement(text: str) -> AckReading:
    """Rows of the acknowledgement CSV, with a French error per unreadable line (nothing guessed)."""
    reading = AckReading()
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        reading.errors.append("Fichier vide : la première ligne doit nommer les colonnes.")
        return reading
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = records[0]
    id_col = _column(header, ("IDTECHNIQUE", "IDPASSAGE", "IDENTIFIANTTECHNIQUE"))
    status_col = _column(header, ("STATUT", "ETAT", "RESULTAT"))
    reason_col = _column(header, ("MOTIF", "MOTIFREJET", "ERREUR", "LIBELLEERREUR", "COMMENTAIRE"))
    if id_col is None or status_col is None:
        reading.errors.append(
            "Colonnes « idTechnique » et « statut » introuvables sur la première ligne du fichier."
        )
        return reading
    seen: set[str] = set()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) <= max(id_col, status_col):
            reading.errors.append(f"Ligne {number} : colonnes manquantes.")
            continue
        technical_id = record[id_col].strip()
        word = _plain(record[status_col])
        reason = record[reason_col].strip() if reason_col is not None and reason_col < len(record) else ""
        if not technical_id:
            reading.errors.append(f"Ligne {number} : identifiant technique vide.")
            continue
        if technical_id in seen:
            reading.errors.append(f"Ligne {number} : le passage {technical_id} figure deux fois.")
            continue
        if word in ACCEPTED_WORDS:
            status = ACCEPTED
        elif word in REJECTED_WORDS:
            status = REJECTED
        else:
            reading.errors.append(
                f"Ligne {number} : statut « {record[status_col].strip()} » inconnu (OK ou KO attendu)."
            )
            continue
        seen.add(technical_id)
        reading.rows.append(AckRow(number, technical_id, status, reason))
    if not reading.rows and not reading.errors:
        reading.errors.append("Aucune ligne de passage dans le fichier.")
    return reading


def declaration_deadline(award_date: date, months: int) -> date:
    """The last day to declare a holder: ``months`` after the award."""
    return add_months(award_date, months)


def reminder_due(today: date, deadline: date, days_before: int) -> bool:
    """Whether to remind of a deadline: from ``days_before`` days before it (and after it passed)."""
    return (deadline - today).days <= days_before
