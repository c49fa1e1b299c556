"""The register of processing activities (RGPD art. 30-1) of the controller, built from the same data
as the privacy notices (``certeval/data/privacy/processings.yaml``, ``CERTEVAL_CONTROLLER``,
``CERTEVAL_RETENTION``): one entry per processing with the fields art. 30-1 lists — (a) the
controller and its DPO, (b) the purposes, (c) the categories of data subjects and of personal data,
(d) the recipients, (e) transfers outside the EU, (f) the time limits for erasure, (g) the security
measures — plus the legal basis, the source, special categories and automated decisions, which the
CNIL's model register also asks for. The page, the CSV and JSON downloads and ``certeval privacy
register`` all read ``register()``."""

from __future__ import annotations

import io
import json
from typing import Any

from django.utils import timezone

from certeval.core.privacy_notices import controller, processings, retention_rows
from certeval.domain.results_file import write_csv

# (key, column header of the CSV) in the order of art. 30-1, then what the CNIL model adds.
FIELDS = (
    ("reference", "Référence"),
    ("name", "Traitement"),
    ("controller", "Responsable du traitement (nom, adresse, contact)"),
    ("dpo", "Délégué à la protection des données"),
    ("purposes", "Finalités"),
    ("legal_basis", "Base légale"),
    ("data_subjects", "Catégories de personnes concernées"),
    ("data_categories", "Catégories de données"),
    ("special_categories", "Données sensibles"),
    ("source", "Source des données"),
    ("recipients", "Catégories de destinataires"),
    ("transfers", "Transferts hors de l'Union européenne"),
    ("retention", "Durées de conservation"),
    ("security", "Mesures de sécurité"),
    ("automated_decision", "Décision automatisée"),
)


def register() -> dict[str, Any]:
    """The whole register: the controller, then one entry per processing."""
    owner = controller()
    entries = []
    for number, found in enumerate(processings(), start=1):
        entries.append(
            {
                "reference": f"CERTEVAL-{number:02d}",
                "key": found.key,
                "name": found.title,
                "controller": {"name": owner["name"], "address": owner["address"], "email": owner["email"]},
                "dpo": {
                    "name": owner["dpo_name"],
                    "email": owner["dpo_email"],
                    "address": owner["dpo_address"],
                },
                "purposes": list(found.purposes),
                "legal_basis": found.legal_basis,
                "data_subjects": list(found.data_subjects),
                "data_categories": list(found.data_categories),
                "special_categories": found.special_categories,
                "source": found.source,
                "recipients": list(found.recipients),
                "transfers": found.transfers,
                "retention": [
                    {"category": r["category"], "what": r["what"], "period": r["text"], "days": r["days"]}
                    for r in retention_rows(found)
                ],
                "security": list(found.security),
                "automated_decision": found.automated_decision,
            }
        )
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "controller": owner,
        "note": "Les campagnes d'une organisation certificatrice (INSPÉ, rectorat) ont cette organisation "
        "pour responsable de traitement ; le registre décrit les traitements que Certeval met en œuvre.",
        "processings": entries,
    }


def _text(key: str, value: Any) -> str:
    if key in ("controller", "dpo"):
        return ", ".join(str(v) for v in value.values() if v)
    if key == "retention":
        return " | ".join(f"{r['what']} : {r['period']}" for r in value)
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value)


def register_csv() -> str:
    """The register as the project's CSV (UTF-8 with BOM, ``;``, cells neutralised)."""
    stream = io.StringIO(newline="")
    rows = [[_text(key, entry[key]) for key, _header in FIELDS] for entry in register()["processings"]]
    write_csv([header for _key, header in FIELDS], rows, stream)
    return stream.getvalue()


def register_json() -> str:
    return json.dumps(register(), ensure_ascii=False, indent=2)


def register_rows() -> list[dict[str, Any]]:
    """What the page shows: each entry's fields as (label, texts)."""
    found = []
    for entry in register()["processings"]:
        fields = []
        for key, header in FIELDS[2:]:
            value = entry[key]
            if key in ("controller", "dpo"):
                texts = [_text(key, value)]
            elif key == "retention":
                texts = [f"{r['what']} : {r['period']}" for r in value]
            elif isinstance(value, list):
                texts = [str(v) for v in value]
            else:
                texts = [str(value)] if value else []
            fields.append({"label": header, "texts": texts})
        found.append({"reference": entry["reference"], "name": entry["name"], "fields": fields})
    return found
