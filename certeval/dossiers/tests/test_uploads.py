"""Hostile and ordinary files: what is accepted, what is refused, and that nothing is stored on refusal."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.core.tests import upload_samples
from certeval.core.uploads import UploadRejected, inspect_upload, normalise_name
from certeval.dossiers.services import DepositRefused, dossier_file_upload


def inspect(data: bytes):  # type: ignore[no-untyped-def]
    return inspect_upload(io.BytesIO(data), size=len(data))


def odt_bytes(pages: int = 4, chars: int = 1234, encrypted: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            "meta.xml",
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
            f'<meta:document-statistic meta:page-count="{pages}" meta:character-count="{chars}"/>'
            "</office:meta></office:document-meta>",
        )
        manifest = "<manifest:encryption-data/>" if encrypted else ""
        zf.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            f"<manifest:file-entry>{manifest}</manifest:file-entry></manifest:manifest>",
        )
    return out.getvalue()


def docx_bytes(pages: int = 2, chars: int = 5000, bomb: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Bonjour le jury</w:t></w:r></w:p></w:body></w:document>",
        )
        zf.writestr(
            "docProps/app.xml",
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Pages>{pages}</Pages><CharactersWithSpaces>{chars}</CharactersWithSpaces></Properties>",
        )
        if bomb:
            zf.writestr("word/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def test_documents_are_recognised_by_content_with_their_counts() -> None:
    pdf = inspect(pdf_bytes(3))
    assert (pdf.type.key, pdf.page_count) == ("pdf", 3)
    odt = inspect(odt_bytes(4, 1234))
    assert (odt.type.key, odt.page_count, odt.char_count) == ("odt", 4, 1234)
    docx = inspect(docx_bytes(2, 5000))
    assert (docx.type.key, docx.page_count, docx.char_count) == ("docx", 2, 5000)
    assert inspect(upload_samples.png()).type.key == "png"
    assert inspect(upload_samples.jpeg()).type.key == "jpeg"
    assert inspect(upload_samples.mp4()).type.key == "mp4"
    assert inspect(upload_samples.webm()).type.key == "webm"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00 this is an executable renamed .pdf", "type de fichier n'est pas accepté"),
        (b"<html><script>alert(1)</script></html>", "type de fichier n'est pas accepté"),
        (b"", "vide"),
        (b"%PDF-1.7\n garbage that is not a PDF", "illisible ou endommagé"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "protégé par un mot de passe"),
        (b"PK\x03\x04 broken zip", "endommagé"),
    ],
    ids=["exe", "html", "empty", "malformed-pdf", "encrypted-office", "broken-zip"],
)
def test_hostile_bytes_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(UploadRejected, match=message):
        inspect(data)


def test_encrypted_pdf_is_refused() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(2))))
    writer.encrypt(user_password="secret", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRejected, match="chiffré"):
        inspect(out.getvalue())


def test_encrypted_odt_is_refused() -> None:
    with pytest.raises(UploadRejected, match="protégé par un mot de passe"):
        inspect(odt_bytes(encrypted=True))


def test_zip_bomb_is_refused() -> None:
    with pytest.raises(UploadRejected, match="archive anormale"):
        inspect(docx_bytes(bomb=True))


def test_huge_page_counts_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_UPLOAD_MAX_PAGES = 50
    with pytest.raises(UploadRejected, match="51 pages"):
        inspect(pdf_bytes(51))
    with pytest.raises(UploadRejected, match="9999 pages"):
        inspect(docx_bytes(pages=9999))


def test_oversized_files_are_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match="taille maximale"):
        inspect(pdf_bytes(1) + b"%" + b"x" * 2048)


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.exe", "evil.pdf"),
        ("/var/www/index.php", "index.pdf"),
        ("dossier\x00final.pdf", "dossierfinal.pdf"),
        ("...", "fichier.pdf"),
        ("Mon dossier — version 2.pdf", "Mon dossier  version 2.pdf".replace("  ", " ")),
    ],
)
def test_names_are_normalised(original: str, expected: str) -> None:
    assert normalise_name(original, "pdf") == expected


@pytest.mark.django_db
def test_refused_upload_stores_nothing_and_is_audited() -> None:
    enrolment = EnrolmentFactory()
    before = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    data = b"MZ not a document"
    with pytest.raises(DepositRefused, match="n'est pas accepté"):
        dossier_file_upload(
            enrolment=enrolment,
            by=enrolment.candidate.user,
            fileobj=io.BytesIO(data),
            original_name="../../dossier.pdf",
            size=len(data),
            kind="document",
            title="x",
        )
    assert enrolment.dossier.files.count() == 0
    after = set(default_storage.listdir("")[0]) if default_storage.exists("") else set()
    assert after == before
    event = AuditEvent.objects.get(action="dossier.upload")
    assert event.outcome == AuditEvent.Outcome.REFUSED and event.actor == enrolment.candidate.user


@pytest.mark.django_db
def test_stored_name_never_comes_from_the_user() -> None:
    enrolment = EnrolmentFactory()
    data = pdf_bytes(2)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="../../../etc/cron.d/x.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
    )
    assert ".." not in stored.storage_name and "cron" not in stored.storage_name
    assert stored.storage_name.startswith(f"dossiers/{enrolment.campaign_id}/{enrolment.pk}/")
    assert stored.name == "x.pdf"
