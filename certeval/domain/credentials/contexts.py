"""The JSON-LD contexts of Open Badges 3.0, pinned, and RDF canonicalisation that never touches the network.

The two contexts (W3C credentials v2, 1EdTech OB 3.0.3) and the OB 3.0 ``AchievementCredential`` JSON
schema ship as runtime data in ``certeval/data/jsonld/``. Each file's SHA-256 is pinned here: a
modified copy is refused on load. The document loader given to pyld serves only these files; any other
URL raises :class:`UnknownContextError`, so a credential naming an unknown context cannot be
canonicalised (and so cannot verify).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "jsonld"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# URL → (file in DATA_DIR, its SHA-256).
PINNED_CONTEXTS: dict[str, tuple[str, str]] = {
    CREDENTIALS_V2: (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    OB_V3P0: (
        "context-3.0.3.json",
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    ),
}
SCHEMA_FILE = (
    "achievementcredential.json",
    "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a",
)


class UnknownContextError(ValueError):
    """A JSON-LD document refers to a context that is not pinned."""


class TamperedDataError(RuntimeError):
    """A pinned runtime file does not have its pinned SHA-256."""


def load_pinned(name: str, sha256: str) -> Any:
    """The parsed JSON of ``DATA_DIR/name`` after checking its hash."""
    raw = (DATA_DIR / name).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise TamperedDataError(f"{name}: SHA-256 {digest} differs from the pinned {sha256}")
    return json.loads(raw)


@cache
def context_document(url: str) -> Any:
    if url not in PINNED_CONTEXTS:
        raise UnknownContextError(f"JSON-LD context not available offline: {url}")
    return load_pinned(*PINNED_CONTEXTS[url])


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader serving the pinned contexts only."""
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url)}


def canonicalize(document: dict[str, Any]) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, pyld's ``URDNA2015``) as N-Quads."""
    try:
        result = jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
        )
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, UnknownContextError):
                raise cause from error
            cause = cause.__cause__ or getattr(cause, "details", {}).get("cause")
        raise
    return str(result)
