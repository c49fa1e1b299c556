"""Baking: a PNG image that carries its credential (Open Badges 3.0 § 5.3.1).

The credential (compact JWT or JSON) goes in one ``iTXt`` chunk whose keyword is
``openbadgecredential``, uncompressed, with empty language and translated keyword, placed before
``IEND``. Baking an image that already carries a credential replaces it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"


class BakingError(ValueError):
    """Not a PNG, or a damaged one."""


def _chunks(png: bytes) -> Iterator[tuple[bytes, bytes]]:
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    position = len(PNG_SIGNATURE)
    while position < len(png):
        if position + 8 > len(png):
            raise BakingError("truncated PNG chunk")
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if len(data) != length or position + 12 + length > len(png):
            raise BakingError("truncated PNG chunk")
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        if zlib.crc32(kind + data) != crc:
            raise BakingError(f"bad CRC in PNG chunk {kind!r}")
        yield kind, data
        position += 12 + length
        if kind == b"IEND":
            return
    raise BakingError("PNG without IEND")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential_chunk(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.startswith(KEYWORD + b"\x00")


def bake(png: bytes, credential: str) -> bytes:
    """``png`` with ``credential`` (a compact JWT or a JSON text) in its ``openbadgecredential`` chunk."""
    payload = KEYWORD + b"\x00\x00\x00" + b"\x00" + b"\x00" + credential.encode("utf-8")
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if _is_credential_chunk(kind, data):
            continue
        if kind == b"IEND":
            out.append(_chunk(b"iTXt", payload))
        out.append(_chunk(kind, data))
    return b"".join(out)


def extract(png: bytes) -> str | None:
    """The credential baked in ``png``, or None."""
    for kind, data in _chunks(png):
        if _is_credential_chunk(kind, data):
            rest = data[len(KEYWORD) + 1 :]
            if len(rest) < 2 or rest[0] != 0:
                raise BakingError("compressed openbadgecredential chunks are not allowed")
            rest = rest[2:]
            try:
                language_end = rest.index(b"\x00")
                translated_end = rest.index(b"\x00", language_end + 1)
                return rest[translated_end + 1 :].decode("utf-8")
            except ValueError as error:  # a missing separator, or text that is not UTF-8
                raise BakingError(f"malformed openbadgecredential chunk: {error}") from error
    return None


def plain_badge(size: int = 256, colour: tuple[int, int, int] = (0, 0, 145)) -> bytes:
    """A simple badge image (a disc with a ring on a transparent background), RGBA PNG."""
    centre = (size - 1) / 2
    outer, ring = size / 2 - 2, size / 2 - 14
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance <= ring:
                row += bytes((*colour, 255))
            elif distance <= outer - 6:
                row += b"\xff\xff\xff\xff"
            elif distance <= outer:
                row += bytes((*colour, 255))
            else:
                row += b"\x00\x00\x00\x00"
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
