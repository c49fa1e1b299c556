"""The documented defaults of ``CERTEVAL_CREDENTIALS`` (docs/results.md, « Open Badges 3.0
credentials »): the settings module starts from them and the code merges a project's setting over
them, so a setting that leaves a key out gets its default. Pure Python: ``certeval/settings.py``
imports it."""

from __future__ import annotations

from typing import Any

DEFAULT_CREDENTIALS: dict[str, Any] = {
    # The issuer Profile of every credential (served at /openbadges/issuer). An empty URL means
    # CERTEVAL_SITE_URL; an empty e-mail address is left out.
    "issuer_name": "Certeval",
    "issuer_url": "",
    "issuer_email": "",
    "issuer_description": "Plateforme d'évaluation et de certification des compétences.",
    # RNCP / RS codes, per référentiel id (none is in the seeds). Example:
    # {"titre-responsable-formation": {"certification": "RNCP12345",
    #                                  "blocs": {"B1": "RNCP12345BC01"}}}
    # A référentiel or a bloc without a code gets none in its Achievement (the field is left out).
    "codes": {},
    # Where the issuer's private keys live: in the database (model IssuerKey), each encrypted with
    # Fernet under a key derived by HKDF-SHA256 from this secret. Empty: derived from SECRET_KEY
    # (changing SECRET_KEY then makes the stored private keys unreadable: set this to the old
    # SECRET_KEY, or rotate the keys with `certeval credentials rotate-keys`).
    "key_secret": "",
    # Size of the RSA keys of the VC-JWT signatures (RS256).
    "rsa_key_size": 2048,
}
