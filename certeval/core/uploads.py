"""Safe uploads: what a dossier file may be, decided from its bytes, never from its name.

Allowed (by magic bytes): PDF, OpenDocument text (ODT), Word (DOCX), PNG, JPEG, and MP4 or
WebM recordings. Refused with a French message, and nothing stored: an empty or oversized
file, any other content (whatever its extension), an encrypted or unreadable document, a ZIP
container (ODT/DOCX) whose entries would inflate beyond the caps (zip bomb), a document over
the page cap. Names are reduced to a safe base name; the stored file is named by a random id.

The counts needed by the pre-submission checks (pages; characters including spaces) are
extracted here: PDF through pypdf, ODT from ``meta.xml`` (``meta:page-count``,
``meta:character-count``), DOCX from ``docProps/app.xml`` (``Pages``, ``CharactersWithSpaces``).

PDF text extraction runs under a budget per file (:class:`ExtractionBudget`): the content-stream
operators interpreted (``CERTEVAL_PDF_TEXT_MAX_OPERATORS``), the decoded content bytes handed to the
interpreter (``CERTEVAL_PDF_TEXT_MAX_CONTENT_BYTES``) and the time spent
(``CERTEVAL_PDF_TEXT_MAX_SECONDS``). A content stream shared by several pages is interpreted once
per page and counted each time, so a small file cannot buy unbounded work. A file over budget is
refused (:class:`OverBudget`). The callers run this inspection before any write transaction.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from certeval.core import upload_antivirus, upload_checks, upload_images, upload_media, upload_pdf

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ZIP_MAX_ENTRIES = 2000
ZIP_RATIO_MIN_ENTRY = 1024 * 1024
XML_MAX_BYTES = 20 * 1024 * 1024


class UploadRejected(Exception):
    """The file is refused; ``str(error)`` is the French message for the candidate."""


class OverBudget(UploadRejected):
    """The file needs more work or time to be read than one file is allowed; ``reason`` is
    ``operators``, ``content`` or ``time``."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            _(
                "Ce PDF est trop complexe pour être vérifié (son texte demande trop de calculs à lire) : "
                "il est refusé et votre dossier n'a pas été modifié. Enregistrez-le à nouveau depuis votre "
                "traitement de texte (« Exporter en PDF »), ou déposez-le au format ODT ou DOCX."
            )
        )


class ExtractionBudget:
    """Work and time allowed to read the text of one file; spending past it raises OverBudget.

    Time is checked every ``TIME_CHECK_EVERY`` operators and before each page."""

    TIME_CHECK_EVERY = 256

    def __init__(
        self,
        *,
        max_operators: int,
        max_content_bytes: int,
        max_seconds: float,
        clock: Any = time.monotonic,
    ) -> None:
        self.max_operators = max_operators
        self.max_content_bytes = max_content_bytes
        self.max_seconds = max_seconds
        self.clock = clock
        self.operators = 0
        self.content_bytes = 0
        self.started = clock()

    @classmethod
    def from_settings(cls) -> ExtractionBudget:
        return cls(
            max_operators=settings.CERTEVAL_PDF_TEXT_MAX_OPERATORS,
            max_content_bytes=settings.CERTEVAL_PDF_TEXT_MAX_CONTENT_BYTES,
            max_seconds=settings.CERTEVAL_PDF_TEXT_MAX_SECONDS,
        )

    def check_time(self) -> None:
        if self.clock() - self.started > self.max_seconds:
            raise OverBudget("time")

    def spend_content(self, size: int) -> None:
        self.content_bytes += size
        if self.content_bytes > self.max_content_bytes:
            raise OverBudget("content")
        self.check_time()

    def spend_operator(self, *_args: Any) -> None:
        """One content-stream operator interpreted (pypdf's ``visitor_operand_before``)."""
        self.operators += 1
        if self.operators > self.max_operators:
            raise OverBudget("operators")
        if self.operators % self.TIME_CHECK_EVERY == 0:
            self.check_time()


@dataclass(frozen=True)
class FileType:
    key: str
    extension: str
    content_type: str
    media: bool = False
    # Extensions a file of this type may carry, and MIME types a client may declare for it.
    extensions: tuple[str, ...] = ()
    mimes: tuple[str, ...] = ()


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = FileType(
    "pdf", "pdf", "application/pdf", extensions=("pdf",), mimes=("application/pdf", "application/x-pdf")
)
ODT = FileType(
    "odt", "odt", "application/vnd.oasis.opendocument.text", extensions=("odt",),
    mimes=("application/vnd.oasis.opendocument.text",),
)  # fmt: skip
DOCX = FileType("docx", "docx", DOCX_MIME, extensions=("docx",), mimes=(DOCX_MIME,))
PNG = FileType("png", "png", "image/png", extensions=("png",), mimes=("image/png", "image/x-png"))
JPEG = FileType(
    "jpeg", "jpg", "image/jpeg", extensions=("jpg", "jpeg", "jpe", "jfif"),
    mimes=("image/jpeg", "image/jpg", "image/pjpeg"),
)  # fmt: skip
MP4 = FileType(
    "mp4", "mp4", "video/mp4", media=True, extensions=("mp4", "m4v", "mov"),
    mimes=("video/mp4", "video/quicktime", "video/x-m4v", "application/mp4"),
)  # fmt: skip
WEBM = FileType(
    "webm", "webm", "video/webm", media=True, extensions=("webm", "mkv"),
    mimes=("video/webm", "video/x-matroska", "audio/webm"),
)  # fmt: skip
DOCUMENT_TYPES = (PDF, ODT, DOCX)
ALL_TYPES = (PDF, ODT, DOCX, PNG, JPEG, MP4, WEBM)
KNOWN_MIMES = {mime for file_type in ALL_TYPES for mime in file_type.mimes}
TYPE_LABELS = {
    "pdf": "PDF",
    "odt": "ODT",
    "docx": "DOCX",
    "png": "PNG",
    "jpeg": "JPEG",
    "mp4": "MP4",
    "webm": "WebM",
}


@dataclass(frozen=True)
class Inspected:
    type: FileType
    size: int
    sha256: str
    page_count: int | None
    char_count: int | None
    # The bytes to store when they differ from the upload's (a sanitised PDF), and what was removed.
    content: bytes | None = None
    notice: str = ""


def normalise_name(original: str, extension: str) -> str:
    """A safe display name: base name only (no directory, no traversal), NFC, printable, short,
    with the extension of the detected content."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = "".join(c for c in stem if c.isalnum() or c in " -_()'")
    stem = re.sub(r"\s+", " ", stem).strip(" .-_")[:100]
    return f"{stem or 'fichier'}.{extension}"


def _is_zip_member(zf: zipfile.ZipFile, name: str) -> bool:
    return name in zf.NameToInfo


def _detect(head: bytes, data: IO[bytes]) -> FileType:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head.startswith(OLE_MAGIC):
        raise UploadRejected(
            _(
                "Ce document est protégé par un mot de passe ou enregistré dans un ancien format "
                "(.doc) : enregistrez-le sans mot de passe en PDF, ODT ou DOCX."
            )
        )
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data) as zf:
                if _is_zip_member(zf, "mimetype") and zf.read("mimetype").strip() == ODT_MIMETYPE:
                    return ODT
                if _is_zip_member(zf, "[Content_Types].xml") and _is_zip_member(zf, "word/document.xml"):
                    return DOCX
        except (zipfile.BadZipFile, OSError, KeyError, EOFError) as error:
            raise UploadRejected(_("Ce fichier compressé est endommagé.")) from error
    raise UploadRejected(
        _(
            "Ce type de fichier n'est pas accepté. Formats acceptés : PDF, ODT, DOCX, PNG, JPEG, "
            "et enregistrements MP4 ou WebM."
        )
    )


def _check_size(file_type: FileType, size: int) -> None:
    limit = (
        settings.CERTEVAL_UPLOAD_MEDIA_MAX_BYTES if file_type.media else settings.CERTEVAL_UPLOAD_MAX_BYTES
    )
    if size > limit:
        raise UploadRejected(
            _("Ce fichier dépasse la taille maximale de %(max)s Mo.") % {"max": limit // (1024 * 1024)}
        )


def _check_pages(pages: int | None) -> None:
    if pages is not None and pages > settings.CERTEVAL_UPLOAD_MAX_PAGES:
        raise UploadRejected(
            _("Ce document compte %(n)s pages : le maximum accepté est de %(max)s pages.")
            % {"n": pages, "max": settings.CERTEVAL_UPLOAD_MAX_PAGES}
        )


def _content_size(page: Any) -> int:
    """Decoded size of a page's content streams (what the text interpreter will parse)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return sum(len(stream.get_object().get_data()) for stream in streams)


def _pdf_counts(data: bytes, budget: ExtractionBudget) -> tuple[int, int]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(
                _("Ce PDF est chiffré ou protégé par un mot de passe : déposez une version sans protection.")
            )
        pages = len(reader.pages)
        _check_pages(pages)
        chars = 0
        for page in reader.pages:
            budget.spend_content(_content_size(page))
            chars += len(page.extract_text(visitor_operand_before=budget.spend_operator) or "")
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise UploadRejected(_("Ce PDF est illisible ou endommagé : enregistrez-le à nouveau.")) from error
    return pages, chars


def _open_container(data: bytes) -> zipfile.ZipFile:
    """Open an ODT/DOCX and refuse zip bombs: too many entries, too large once inflated, or an
    entry inflating more than the allowed ratio."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    infos = zf.infolist()
    bomb = _("Ce document contient une archive anormale (taille décompressée excessive) : il est refusé.")
    if len(infos) > ZIP_MAX_ENTRIES:
        raise UploadRejected(bomb)
    total = sum(info.file_size for info in infos)
    if total > settings.CERTEVAL_ZIP_MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(bomb)
    for info in infos:
        if info.file_size > ZIP_RATIO_MIN_ENTRY and info.file_size > settings.CERTEVAL_ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise UploadRejected(bomb)
    return zf


def _read_xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    if not _is_zip_member(zf, name):
        return None
    with zf.open(name) as member:
        raw = member.read(XML_MAX_BYTES + 1)
    if len(raw) > XML_MAX_BYTES:
        raise UploadRejected(
            _("Ce document contient une archive anormale (taille décompressée excessive) : il est refusé.")
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.fromstring(raw, parser=parser)


def _text_length(root: etree._Element | None) -> int | None:
    if root is None:
        return None
    return sum(len(text) for text in root.itertext())


ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"


def _odt_counts(data: bytes) -> tuple[int | None, int | None]:
    zf = _open_container(data)
    manifest = _read_xml(zf, "META-INF/manifest.xml")
    if manifest is not None and any("encryption-data" in str(el.tag) for el in manifest.iter()):
        raise UploadRejected(
            _("Ce document ODT est protégé par un mot de passe : déposez une version sans protection.")
        )
    meta = _read_xml(zf, "meta.xml")
    pages = chars = None
    if meta is not None:
        stats = meta.find(f".//{{{ODF_META}}}document-statistic")
        if stats is not None:
            page_attr = stats.get(f"{{{ODF_META}}}page-count")
            char_attr = stats.get(f"{{{ODF_META}}}character-count")
            pages = int(page_attr) if page_attr and page_attr.isdigit() else None
            chars = int(char_attr) if char_attr and char_attr.isdigit() else None
    if chars is None:
        chars = _text_length(_read_xml(zf, "content.xml"))
    return pages, chars


OOXML_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
WORDML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_counts(data: bytes) -> tuple[int | None, int | None]:
    zf = _open_container(data)
    app = _read_xml(zf, "docProps/app.xml")
    pages = chars = None
    if app is not None:
        page_text = app.findtext(f"{{{OOXML_APP}}}Pages")
        char_text = app.findtext(f"{{{OOXML_APP}}}CharactersWithSpaces")
        pages = int(page_text) if page_text and page_text.strip().isdigit() else None
        chars = int(char_text) if char_text and char_text.strip().isdigit() else None
    if chars is None:
        document = _read_xml(zf, "word/document.xml")
        if document is not None:
            chars = sum(len(node.text or "") for node in document.iter(f"{{{WORDML}}}t"))
    return pages, chars


def _pdf_active(data: bytes) -> tuple[bytes, str]:
    """The PDF to store and the notice of what was removed (``upload_pdf``); encrypted PDFs are
    refused: their objects cannot be checked for active content."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(
                _("Ce PDF est chiffré ou protégé par un mot de passe : déposez une version sans protection.")
            )
        return upload_pdf.handle_active_content(data, reader)
    except upload_pdf.ActiveContent as error:
        raise UploadRejected(str(error)) from error
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise UploadRejected(_("Ce PDF est illisible ou endommagé : enregistrez-le à nouveau.")) from error


def _check_structure(file_type: FileType, fileobj: IO[bytes], size: int, data: bytes | None) -> None:
    """The content is what it claims to be, whole, with nothing hidden behind it."""
    if file_type not in (ODT, DOCX) and upload_checks.hides_a_zip(fileobj):
        raise UploadRejected(upload_checks.polyglot_message())
    try:
        if file_type in (PNG, JPEG):
            upload_images.check_image(fileobj, size, file_type.key)
        elif file_type.media:
            upload_media.check_video(fileobj, size, file_type.key)
    except (upload_images.ImageRefused, upload_media.ContainerError) as error:
        raise UploadRejected(str(error)) from error
    if file_type is PDF and data is not None:
        problem = upload_checks.pdf_shape_problem(data)
        if problem:
            raise UploadRejected(problem)


def inspect_upload(
    fileobj: IO[bytes],
    *,
    size: int,
    budget: ExtractionBudget | None = None,
    name: str | None = None,
    content_type: str | None = None,
) -> Inspected:
    """Decide whether a file may be stored; raise ``UploadRejected`` with a French message if not.

    ``name`` and ``content_type`` are what the person's browser or client declared; when given
    they must agree with the content (``upload_checks``). Images are decoded, videos parsed,
    PDFs checked for active content (refused, or sanitised: then ``content`` holds the bytes to
    store), and the file scanned by the antivirus when one is configured.

    Reads the whole file (and a PDF's text, within ``budget``, by default the settings'): call it
    outside any database transaction."""
    if size <= 0:
        raise UploadRejected(_("Ce fichier est vide."))
    fileobj.seek(0)
    head = fileobj.read(64)
    fileobj.seek(0)
    file_type = _detect(head, fileobj)
    _check_size(file_type, size)
    try:
        upload_checks.check_declared(
            label=TYPE_LABELS[file_type.key],
            extensions=file_type.extensions,
            mimes=file_type.mimes,
            known_mimes=KNOWN_MIMES,
            name=name,
            content_type=content_type,
        )
    except upload_checks.DeclaredMismatch as error:
        raise UploadRejected(str(error)) from error
    fileobj.seek(0)
    digest = hashlib.sha256()
    data = bytearray() if not file_type.media else None
    read = 0
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        read += len(chunk)
        _check_size(file_type, read)
        digest.update(chunk)
        if data is not None:
            data.extend(chunk)
    fileobj.seek(0)
    _check_structure(file_type, fileobj, read, bytes(data) if data is not None else None)
    content: bytes | None = None
    notice = ""
    if file_type is PDF:
        cleaned, notice = _pdf_active(bytes(data or b""))
        if notice:
            content, data = cleaned, bytearray(cleaned)
    pages: int | None = None
    chars: int | None = None
    try:
        if file_type is PDF:
            pages, chars = _pdf_counts(bytes(data or b""), budget or ExtractionBudget.from_settings())
        elif file_type is ODT:
            pages, chars = _odt_counts(bytes(data or b""))
        elif file_type is DOCX:
            pages, chars = _docx_counts(bytes(data or b""))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, EOFError) as error:
        raise UploadRejected(
            _("Ce document est illisible ou endommagé : enregistrez-le à nouveau.")
        ) from error
    _check_pages(pages)
    try:
        upload_antivirus.scan(fileobj, read, name=name or "")
    except upload_antivirus.ScanRefused as error:
        raise UploadRejected(str(error)) from error
    if content is not None:
        read, sha256 = len(content), hashlib.sha256(content).hexdigest()
    else:
        sha256 = digest.hexdigest()
    return Inspected(
        type=file_type,
        size=read,
        sha256=sha256,
        page_count=pages,
        char_count=chars,
        content=content,
        notice=notice,
    )
