"""Video containers checked by their structure, with bounded reads (a 200 MB recording is never
loaded whole): MP4/MOV (ISO base media file format) and WebM/Matroska (EBML).

MP4: the top-level boxes are walked from the first byte to the last. Each box has a printable
four-character type and a size that fits in the file (32-bit sizes, 64-bit ``largesize`` when the
size is 1, and size 0 meaning "to the end of the file"); the first box is ``ftyp`` with printable
brands, ``moov`` and ``mdat`` are present, and the boxes end exactly at the end of the file. The
children of ``moov`` are walked the same way. HTML, a script or an executable behind an ``ftyp``
header fails here: its bytes read as a box size past the end or an unprintable type.

WebM: an EBML header whose DocType is ``webm`` or ``matroska``, then one Segment whose size ends
exactly at the end of the file (or is "unknown", as browsers' recorders write it, meaning "to the
end"). The Segment's children must be known Matroska elements, with Info, Tracks and at least one
Cluster; a Cluster of unknown size is walked through its blocks. Attachments (files carried inside
the video) are refused.
"""

from __future__ import annotations

import re
from typing import IO

from django.utils.translation import gettext as _

MAX_ELEMENTS = 2_000_000
FOURCC = re.compile(rb"^[A-Za-z0-9 ]{4}$")
MP4_REQUIRED = (b"moov", b"mdat")
MP4_TOP_LEVEL = {
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"moof", b"mfra", b"styp",
    b"sidx", b"ssix", b"prft", b"emsg", b"meta", b"pdin", b"udta", b"pnot", b"junk",
}  # fmt: skip


class ContainerError(Exception):
    """The container is not well formed; ``str(error)`` is the French message."""


def _broken(detail: str) -> ContainerError:
    return ContainerError(
        _("Cette vidéo est endommagée ou n'est pas une vraie vidéo (%(detail)s) : elle est refusée.")
        % {"detail": detail}
    )


def _read_at(fileobj: IO[bytes], offset: int, length: int) -> bytes:
    fileobj.seek(offset)
    return fileobj.read(length)


def _mp4_boxes(fileobj: IO[bytes], start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The boxes between ``start`` and ``end``: (type, offset, size); sizes checked."""
    boxes: list[tuple[bytes, int, int]] = []
    pos = start
    while pos < end:
        if len(boxes) >= MAX_ELEMENTS:
            raise _broken(_("trop d'éléments"))
        header = _read_at(fileobj, pos, 16)
        if len(header) < 8 or pos + 8 > end:
            raise _broken(_("données en trop à la fin du fichier"))
        size, kind = int.from_bytes(header[:4], "big"), header[4:8]
        if not FOURCC.match(kind):
            raise _broken(_("bloc de type inconnu"))
        if size == 1:
            if len(header) < 16:
                raise _broken(_("taille de bloc tronquée"))
            size = int.from_bytes(header[8:16], "big")
            if size < 16:
                raise _broken(_("taille de bloc incohérente"))
        elif size == 0:
            size = end - pos
        elif size < 8:
            raise _broken(_("taille de bloc incohérente"))
        if pos + size > end:
            raise _broken(_("un bloc dépasse la fin du fichier"))
        boxes.append((kind, pos, size))
        pos += size
    return boxes


def check_mp4(fileobj: IO[bytes], size: int) -> None:
    boxes = _mp4_boxes(fileobj, 0, size)
    kinds = [kind for kind, _offset, _size in boxes]
    if not kinds or kinds[0] != b"ftyp" or kinds.count(b"ftyp") != 1:
        raise _broken(_("en-tête « ftyp » absent"))
    _kind, offset, ftyp_size = boxes[0]
    ftyp = _read_at(fileobj, offset, min(ftyp_size, 1024))
    header = 16 if int.from_bytes(ftyp[:4], "big") == 1 else 8
    brands = ftyp[header : header + 8]
    compatible = ftyp[header + 8 :]
    if (
        ftyp_size > 1024
        or len(brands) < 8
        or len(compatible) % 4
        or not FOURCC.match(brands[:4])
        or any(not FOURCC.match(compatible[i : i + 4]) for i in range(0, len(compatible), 4))
    ):
        raise _broken(_("en-tête « ftyp » invalide"))
    unknown = {kind for kind in kinds if kind not in MP4_TOP_LEVEL}
    if unknown:
        raise _broken(_("bloc de type inconnu"))
    for required in MP4_REQUIRED:
        if required not in kinds:
            raise _broken(_("bloc « %(box)s » absent") % {"box": required.decode()})
    for kind, offset, box_size in boxes:
        if kind == b"moov":
            header = 16 if int.from_bytes(_read_at(fileobj, offset, 4), "big") == 1 else 8
            _mp4_boxes(fileobj, offset + header, offset + box_size)


# --- EBML (WebM, Matroska) ------------------------------------------------------------------------

EBML_HEADER = 0x1A45DFA3
DOCTYPE = 0x4282
SEGMENT = 0x18538067
CLUSTER = 0x1F43B675
ATTACHMENTS = 0x1941A469
VOID, CRC32 = 0xEC, 0xBF
SEGMENT_CHILDREN = {
    0x114D9B74,  # SeekHead
    0x1549A966,  # Info
    0x1654AE6B,  # Tracks
    CLUSTER,
    0x1C53BB6B,  # Cues
    ATTACHMENTS,
    0x1043A770,  # Chapters
    0x1254C367,  # Tags
    VOID,
    CRC32,
}
CLUSTER_CHILDREN = {0xE7, 0x5854, 0xA7, 0xAB, 0xA3, 0xA0, 0xAF, VOID, CRC32}
REQUIRED_IN_SEGMENT = {0x1549A966: "Info", 0x1654AE6B: "Tracks", CLUSTER: "Cluster"}
HEADER_MAX = 4096


def _vint(raw: bytes, at: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-length integer at ``raw[at:]``: (value, length, all ones = unknown size)."""
    if at >= len(raw) or raw[at] == 0:
        raise _broken(_("structure EBML invalide"))
    length = 9 - raw[at].bit_length()
    if keep_marker and length > 4:
        raise _broken(_("structure EBML invalide"))
    if at + length > len(raw):
        raise _broken(_("structure EBML tronquée"))
    value = int.from_bytes(raw[at : at + length], "big")
    if keep_marker:
        return value, length, False
    value &= (1 << (7 * length)) - 1
    return value, length, value == (1 << (7 * length)) - 1


def _element(fileobj: IO[bytes], pos: int) -> tuple[int, int, int | None]:
    """(id, offset of the data, size or None when unknown); one read of at most 12 bytes."""
    raw = _read_at(fileobj, pos, 12)
    ident, id_len, _unknown = _vint(raw, 0, keep_marker=True)
    size, size_len, unknown = _vint(raw, id_len, keep_marker=False)
    return ident, pos + id_len + size_len, None if unknown else size


def _doctype(fileobj: IO[bytes], start: int, end: int) -> bytes:
    pos, found = start, b""
    while pos < end:
        ident, data, size = _element(fileobj, pos)
        if size is None or data + size > end:
            raise _broken(_("en-tête EBML incohérent"))
        if ident == DOCTYPE:
            found = _read_at(fileobj, data, size).rstrip(b"\0")
        pos = data + size
    return found


def check_webm(fileobj: IO[bytes], size: int) -> None:
    ident, data, header_size = _element(fileobj, 0)
    if ident != EBML_HEADER or header_size is None or header_size > HEADER_MAX or data + header_size > size:
        raise _broken(_("en-tête EBML incohérent"))
    if _doctype(fileobj, data, data + header_size) not in (b"webm", b"matroska"):
        raise _broken(_("type de document EBML inconnu"))
    pos = data + header_size
    if pos >= size:
        raise _broken(_("segment absent"))
    ident, data, segment_size = _element(fileobj, pos)
    if ident != SEGMENT:
        raise _broken(_("segment absent"))
    if segment_size is not None and data + segment_size != size:
        raise _broken(
            _("la taille du segment dépasse la fin du fichier")
            if data + segment_size > size
            else _("données en trop à la fin du fichier")
        )
    seen: set[int] = set()
    pos, count = data, 0
    while pos < size:
        count += 1
        if count > MAX_ELEMENTS:
            raise _broken(_("trop d'éléments"))
        ident, data, element_size = _element(fileobj, pos)
        if ident not in SEGMENT_CHILDREN:
            raise _broken(_("élément inconnu dans le segment"))
        if ident == ATTACHMENTS:
            raise _broken(_("fichiers joints dans la vidéo"))
        seen.add(ident)
        if element_size is None:
            if ident != CLUSTER:
                raise _broken(_("élément de taille inconnue"))
            pos, count = _walk_open_cluster(fileobj, data, size, count)
            continue
        if data + element_size > size:
            raise _broken(_("un élément dépasse la fin du fichier"))
        pos = data + element_size
    missing = [name for ident, name in REQUIRED_IN_SEGMENT.items() if ident not in seen]
    if missing:
        raise _broken(_("élément « %(name)s » absent") % {"name": missing[0]})


def _walk_open_cluster(fileobj: IO[bytes], pos: int, end: int, count: int) -> tuple[int, int]:
    """Walk a Cluster of unknown size: its blocks, until the next Segment child or the end."""
    while pos < end:
        count += 1
        if count > MAX_ELEMENTS:
            raise _broken(_("trop d'éléments"))
        ident, data, size = _element(fileobj, pos)
        if ident in SEGMENT_CHILDREN and ident not in (VOID, CRC32):
            return pos, count
        if ident not in CLUSTER_CHILDREN or size is None:
            raise _broken(_("élément inconnu dans la vidéo"))
        if data + size > end:
            raise _broken(_("un élément dépasse la fin du fichier"))
        pos = data + size
    return pos, count


def check_video(fileobj: IO[bytes], size: int, key: str) -> None:
    """Raise ContainerError (French message) unless the file is a well-formed MP4 or WebM."""
    try:
        if key == "mp4":
            check_mp4(fileobj, size)
        elif key == "webm":
            check_webm(fileobj, size)
    finally:
        fileobj.seek(0)
