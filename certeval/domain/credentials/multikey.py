"""Ed25519 keys as Multikey (``publicKeyMultibase`` ``z6Mk…``) and JWK.

A Multikey public value is multibase base58-btc (``z``) of the multicodec header ``0xed 0x01``
followed by the 32 raw bytes of the key.
"""

from __future__ import annotations

import base64

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_PUB_HEADER = b"\xed\x01"


class KeyFormatError(ValueError):
    """A Multikey value that is not an Ed25519 public key."""


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def encode_multibase(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def decode_multibase(value: str) -> bytes:
    if not value.startswith("z"):
        raise KeyFormatError("only base58-btc multibase values (prefix z) are supported")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise KeyFormatError(f"not base58-btc: {error}") from error


def public_multikey(key: Ed25519PublicKey) -> str:
    return encode_multibase(ED25519_PUB_HEADER + raw_public(key))


def public_from_multikey(value: str) -> Ed25519PublicKey:
    data = decode_multibase(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_HEADER):
        raise KeyFormatError("not an Ed25519 Multikey public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The OKP JWK (RFC 8037) of an Ed25519 public key."""
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw_public(key))}
