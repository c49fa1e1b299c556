"""W3C Bitstring Status List v1.0: revocation bits, compressed and published as a credential.

Bit ``i`` of the list is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the most significant bit of
the first byte). The ``encodedList`` is the multibase base64url (prefix ``u``, no padding) of the GZIP
of the bitstring; GZIP is written with a zero modification time so the same bits always give the same
text. A list has at least 131 072 bits (16 KB), the recommendation's minimum for group privacy.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable
from typing import Any

from certeval.domain.credentials.contexts import CREDENTIALS_V2

MIN_BITS = 131072
PURPOSE = "revocation"
# A decoded list larger than this is refused (a compressed bomb would otherwise fill memory).
MAX_BITS = 16 * MIN_BITS * 8


class StatusListError(ValueError):
    """An encoded list that cannot be read."""


def encode(set_indexes: Iterable[int], size: int = MIN_BITS) -> str:
    if size < MIN_BITS or size % 8:
        raise ValueError(f"a status list has at least {MIN_BITS} bits, in whole bytes")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list (0…{size - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``."""
    if not encoded.startswith("u"):
        raise StatusListError("encodedList is not multibase base64url (prefix u)")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        decompressor = zlib.decompressobj(wbits=31)
        bits = decompressor.decompress(compressed, MAX_BITS // 8 + 1)
    except (ValueError, zlib.error) as error:
        raise StatusListError(f"encodedList cannot be decoded: {error}") from error
    if len(bits) > MAX_BITS // 8:
        raise StatusListError("encodedList is too large")
    if len(bits) * 8 < MIN_BITS:
        raise StatusListError(f"status list shorter than {MIN_BITS} bits")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"status index {index} outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_indexes(bits: bytes) -> set[int]:
    return {
        byte_index * 8 + bit
        for byte_index, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    }


def entry(list_url: str, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` of a credential whose revocation bit is ``index`` of the list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(list_url: str, issuer: dict[str, Any], valid_from: str, encoded: str) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` served at ``list_url``."""
    return {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encoded,
        },
    }
