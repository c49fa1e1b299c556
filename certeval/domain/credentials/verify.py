"""Every check of a received credential, each with its reason: the proof (Data Integrity for a JSON
credential, VC-JWT for a compact JWT), the official schema, the validity dates and the revocation bit.

Keys and status lists are looked up through callbacks, so the same code verifies offline (keys and
lists from the local database) or against published documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from certeval.domain.credentials import data_integrity, status_list, vc_jwt
from certeval.domain.credentials.schema import schema_errors

# statusListCredential URL → its decoded bitstring, or None when unknown.
StatusResolver = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str


@dataclass(frozen=True)
class Verification:
    checks: tuple[Check, ...]
    credential: dict[str, Any] = field(default_factory=dict)
    form: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        return [f"{check.name}: {check.reason}" for check in self.checks if not check.ok]


def parse_moment(value: Any) -> datetime:
    """An XSD date-time as an aware datetime (no offset: UTC)."""
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _dates(credential: dict[str, Any], now: datetime) -> Check:
    try:
        start = parse_moment(credential["validFrom"])
        end = parse_moment(credential["validUntil"]) if credential.get("validUntil") else None
    except (KeyError, TypeError, ValueError) as error:
        return Check("dates", False, f"unreadable validity dates: {error}")
    if now < start:
        return Check("dates", False, f"not valid before {credential['validFrom']}")
    if end is not None and now > end:
        return Check("dates", False, f"expired on {credential['validUntil']}")
    until = f" until {credential['validUntil']}" if end else ""
    return Check("dates", True, f"valid from {credential['validFrom']}{until}")


def _status(credential: dict[str, Any], resolve: StatusResolver) -> Check:
    entry = credential.get("credentialStatus")
    if entry is None:
        return Check("status", True, "no status list (cannot be revoked)")
    entries = entry if isinstance(entry, list) else [entry]
    for item in entries:
        if not isinstance(item, dict) or item.get("type") != "BitstringStatusListEntry":
            return Check("status", False, "unsupported credentialStatus")
        if item.get("statusPurpose") != status_list.PURPOSE:
            continue
        url = str(item.get("statusListCredential", ""))
        bits = resolve(url)
        if bits is None:
            return Check("status", False, f"status list {url} unknown")
        try:
            revoked = status_list.is_set(bits, int(item.get("statusListIndex", "")))
        except (ValueError, status_list.StatusListError) as error:
            return Check("status", False, f"status entry unreadable: {error}")
        if revoked:
            return Check("status", False, "revoked by its issuer")
    return Check("status", True, "not revoked")


def parse(text: str) -> tuple[str, dict[str, Any] | str]:
    """``("json", document)`` or ``("jwt", token)``; raises ValueError for anything else."""
    stripped = text.strip()
    if stripped.startswith("{"):
        document = json.loads(stripped)
        if not isinstance(document, dict):
            raise ValueError("a credential is a JSON object")
        return "json", document
    if stripped.count(".") == 2:
        return "jwt", stripped
    raise ValueError("neither a JSON credential nor a compact JWT")


def verify(
    text: str,
    *,
    ed25519_keys: data_integrity.KeyResolver,
    rsa_keys: vc_jwt.KidResolver,
    status: StatusResolver,
    now: datetime,
) -> Verification:
    """All checks of a credential given as text (JSON with its proof, or a VC-JWT)."""
    try:
        form, parsed = parse(text)
    except ValueError as error:
        return Verification((Check("format", False, str(error)),))
    if isinstance(parsed, dict):
        proof_check = data_integrity.verify(parsed, ed25519_keys)
        proof = Check("proof", proof_check.ok, proof_check.reason)
        credential = parsed
    else:
        jwt_check = vc_jwt.verify(parsed, rsa_keys)
        proof = Check("proof", jwt_check.ok, jwt_check.reason)
        credential = jwt_check.credential
        if not jwt_check.ok:
            return Verification((proof,), form=form)
    errors = schema_errors(credential)
    schema = Check(
        "schema", not errors, "; ".join(errors[:5]) if errors else "valid OB 3.0 AchievementCredential"
    )
    checks = (proof, schema, _dates(credential, now), _status(credential, status))
    return Verification(checks, credential, form)
