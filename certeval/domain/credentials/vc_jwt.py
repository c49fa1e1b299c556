"""The VC-JWT form of an Open Badges 3.0 credential (OB 3.0 § 8.2).

The JWT payload is the credential itself (its members at the top level) plus the registered claims
that repeat it: ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` = ``credentialSubject.id``, ``nbf`` =
``validFrom`` and ``exp`` = ``validUntil`` (when there is one), as seconds since the epoch. The JOSE
header holds only ``alg`` (RS256), ``kid`` (the URL of the signing key) and ``typ`` (``JWT``); the
key itself is never inlined (joserfc refuses headers over 512 bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

ALGORITHM = "RS256"
HEADER_KEYS = frozenset({"alg", "kid", "typ"})

KidResolver = Callable[[str], RSAKey | None]


@dataclass(frozen=True)
class JwtCheck:
    ok: bool
    reason: str
    kid: str = ""
    credential: dict[str, Any] = field(default_factory=dict)


def _epoch(value: str) -> int:
    moment = datetime.fromisoformat(value)
    return int((moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).timestamp())


def registered_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims that must match the credential."""
    issuer = credential["issuer"]
    claims: dict[str, Any] = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _epoch(credential["validFrom"]),
    }
    subject_id = credential.get("credentialSubject", {}).get("id")
    if subject_id:
        claims["sub"] = subject_id
    if credential.get("validUntil"):
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def sign(credential: dict[str, Any], key: RSAKey, kid: str) -> str:
    """The compact JWT of ``credential`` (without any embedded Data Integrity proof)."""
    payload = {name: value for name, value in credential.items() if name != "proof"}
    payload.update(registered_claims(payload))
    return jwt.encode({"alg": ALGORITHM, "kid": kid, "typ": "JWT"}, payload, key, algorithms=[ALGORITHM])


def verify(token: str, resolve: KidResolver) -> JwtCheck:
    """Check a VC-JWT: header, signature, and the registered claims against the credential."""
    try:
        header = jws.extract_compact(token.strip().encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError) as error:
        return JwtCheck(False, f"not a compact JWT: {error}")
    extra = set(header) - HEADER_KEYS
    if extra:
        return JwtCheck(False, f"unexpected JOSE header members: {', '.join(sorted(extra))}")
    if header.get("alg") != ALGORITHM:
        return JwtCheck(False, f"JWT algorithm {header.get('alg')!r} is not {ALGORITHM}")
    kid = header.get("kid")
    if not isinstance(kid, str):
        return JwtCheck(False, "JWT header has no kid")
    key = resolve(kid)
    if key is None:
        return JwtCheck(False, f"unknown JWT key {kid}", kid)
    try:
        token_object = jwt.decode(token.strip(), key, algorithms=[ALGORITHM])
    except (JoseError, ValueError) as error:
        return JwtCheck(False, f"JWT signature invalid: {error}", kid)
    claims = dict(token_object.claims)
    credential = {
        name: value for name, value in claims.items() if name not in {"iss", "jti", "sub", "nbf", "exp"}
    }
    try:
        expected = registered_claims(credential)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return JwtCheck(False, f"JWT payload is not a credential: {error}", kid)
    for name, value in expected.items():
        if claims.get(name) != value:
            return JwtCheck(False, f"JWT claim {name} does not match the credential", kid)
    for name in ("sub", "exp"):
        if name in claims and name not in expected:
            return JwtCheck(False, f"JWT claim {name} has no counterpart in the credential", kid)
    return JwtCheck(True, "VC-JWT signature RS256 valid", kid, credential)
