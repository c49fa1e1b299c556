"""``CERTEVAL_CDC`` — the holders' declaration to the Caisse des Dépôts (docs/results.md, « Caisse des
Dépôts holders' declaration »). The codes are not in the seeds: every value is empty until a
certifier sets it (here, or per référentiel on the declaration page, ``CdcSettings``), and an export
is refused with the reason while one is missing. Pure Python: ``certeval/settings.py`` imports it."""

from __future__ import annotations

from typing import Any

DEFAULT_CDC: dict[str, Any] = {
    # CDC client id (8 characters) of whoever sends the file; empty: the certifier sends it.
    "emitter_id": "",
    # CDC client id (8 characters) of the certifier and its contract number (1 to 20 characters).
    "certifier_id": "",
    "contract_id": "",
    # Path of the CDC's XSD, read at run time (certeval/settings.py: CERTEVAL_CDC_XSD, else
    # ../shared/standards/cdc/cpf-1.1.2.xsd beside the project); absent: every export is refused.
    "xsd_path": "",
    # The declaration is due this many months after the award (the jury's validated decision).
    "deadline_months": 3,
    # Organisers are reminded from this many days before the deadline (`certeval cdc remind`).
    "reminder_days": 30,
    # The référentiels that declare, with their repertory (RNCP or RS) and code; optional keys:
    # certifier_id, contract_id (override the ones above), validity_years (empty: no end date).
    "frameworks": {
        "titre-responsable-formation": {"type": "RNCP", "code": ""},
        "facilitateur-apprentissage": {"type": "RS", "code": ""},
        "langues-vivantes-innovation": {"type": "RS", "code": ""},
    },
}
