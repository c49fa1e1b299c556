"""The upload checks one by one: the antivirus protocol and its failure modes, image bounds,
container details (64-bit and to-the-end box sizes, unknown-size WebM clusters), PDF sanitising,
the item bank's files, and the private file modes of the storage."""

from __future__ import annotations

import io
import logging
import os
import stat
import struct
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image
from pypdf import PdfReader

from certeval.core import upload_antivirus, upload_pdf
from certeval.core.tests import upload_samples as samples
from certeval.core.tests.fake_clamd import closed_port, fake_clamd
from certeval.core.upload_small import inspect_small_file
from certeval.core.upload_storage import secure_media_root
from certeval.core.uploads import UploadRejected, inspect_upload

# A bomb is refused before decoding; Pillow still warns when it reads the size.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def inspect(data: bytes, name: str) -> Any:
    return inspect_upload(io.BytesIO(data), size=len(data), name=name)


# --- antivirus ------------------------------------------------------------------------------------


def test_without_clamav_the_scan_is_skipped_with_one_log_line(settings: Any, caplog: Any) -> None:
    settings.CERTEVAL_CLAMAV = ""
    with caplog.at_level(logging.INFO, logger="certeval.uploads"):
        inspect(samples.pdf(), "dossier.pdf")
    skipped = [r for r in caplog.records if "scan skipped" in r.getMessage()]
    assert len(skipped) == 1 and "dossier.pdf" in skipped[0].getMessage()


def test_infected_file_is_refused_and_the_signature_logged_not_shown(settings: Any, caplog: Any) -> None:
    with fake_clamd() as server, caplog.at_level(logging.WARNING, logger="certeval.uploads"):
        settings.CERTEVAL_CLAMAV = server.address
        with pytest.raises(UploadRejected) as refused:
            inspect(samples.png(text=samples.EICAR), "capture.png")
    assert "antivirus a détecté" in str(refused.value) and "Eicar" not in str(refused.value)
    assert any("Eicar-Test-Signature" in r.getMessage() for r in caplog.records)


def test_the_stream_is_sent_in_bounded_chunks(settings: Any) -> None:
    data = samples.mp4() + samples.box(b"mdat", b"\x42" * 200_000)  # several chunks
    with fake_clamd() as server:
        settings.CERTEVAL_CLAMAV = server.address
        inspect(data, "enregistrement.mp4")
    command, chunks, received = server.received[0]
    assert command == b"zINSTREAM\0" and received == data
    assert chunks == -(-len(data) // upload_antivirus.CHUNK_BYTES) and chunks > 1


def test_an_unreachable_daemon_refuses_unless_fail_open(settings: Any, caplog: Any) -> None:
    settings.CERTEVAL_CLAMAV = closed_port()
    with pytest.raises(UploadRejected, match="Réessayez dans quelques minutes"):
        inspect(samples.pdf(), "dossier.pdf")
    settings.CERTEVAL_CLAMAV_FAIL_OPEN = True
    with caplog.at_level(logging.ERROR, logger="certeval.uploads"):
        assert inspect(samples.pdf(), "dossier.pdf").type.key == "pdf"
    assert any("fail open" in r.getMessage() for r in caplog.records)


def test_a_unix_socket_address_is_used_as_a_path(settings: Any, tmp_path: Path) -> None:
    settings.CERTEVAL_CLAMAV = str(tmp_path / "absent.ctl")
    with pytest.raises(UploadRejected, match="momentanément indisponible"):
        inspect(samples.pdf(), "dossier.pdf")


# --- images ---------------------------------------------------------------------------------------


def test_animations_are_bounded_in_frames(settings: Any) -> None:
    out = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), (i * 40, 0, 0)) for i in range(4)]
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    assert inspect(out.getvalue(), "anim.png").type.key == "png"
    settings.CERTEVAL_IMAGE_MAX_FRAMES = 3
    with pytest.raises(UploadRejected, match="trop d'images animées"):
        inspect(out.getvalue(), "anim.png")


def test_the_pixel_cap_is_a_setting(settings: Any) -> None:
    settings.CERTEVAL_IMAGE_MAX_PIXELS = 100 * 100
    assert inspect(samples.png(100, 100), "a.png").type.key == "png"
    with pytest.raises(UploadRejected, match="trop grande une fois décompressée"):
        inspect(samples.png(101, 100), "a.png")


# --- videos ---------------------------------------------------------------------------------------


def test_mp4_accepts_64_bit_and_to_the_end_box_sizes() -> None:
    ftyp = samples.box(b"ftyp", b"isom\0\0\x02\0isommp41")
    moov = samples.box(b"moov", samples.box(b"mvhd", b"\0" * 100))
    payload = b"\x42" * 300
    large = struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", 16 + len(payload)) + payload
    assert inspect(ftyp + moov + large, "v.mp4").type.key == "mp4"
    to_end = struct.pack(">I", 0) + b"mdat" + payload
    assert inspect(ftyp + moov + to_end, "v.mov").type.key == "mp4"
    with pytest.raises(UploadRejected, match="taille de bloc incohérente"):
        inspect(ftyp + moov + struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", 8), "v.mp4")
    with pytest.raises(UploadRejected, match="ftyp"):
        inspect(samples.box(b"ftyp", b"<htm\0\0\0\0") + moov + to_end, "v.mp4")


def test_webm_from_a_browser_recorder_with_unknown_sizes_is_accepted() -> None:
    unknown = b"\x01\xff\xff\xff\xff\xff\xff\xff"
    header = samples.ebml(b"\x1a\x45\xdf\xa3", samples.ebml(b"\x42\x82", b"webm"))
    info = samples.ebml(b"\x15\x49\xa9\x66", b"")
    tracks = samples.ebml(b"\x16\x54\xae\x6b", b"")
    block = samples.ebml(b"\xa3", b"\x81\x00\x00\x80" + b"\x01" * 40)
    cluster = b"\x1f\x43\xb6\x75" + unknown + samples.ebml(b"\xe7", b"\x00") + block * 3
    data = header + b"\x18\x53\x80\x67" + unknown + info + tracks + cluster + cluster
    assert inspect(data, "enregistrement.webm").type.key == "webm"
    with pytest.raises(UploadRejected, match="élément inconnu"):
        inspect(data + b"\x42\x42\x81\x00", "enregistrement.webm")
    with pytest.raises(UploadRejected, match="« Tracks » absent"):
        inspect(header + b"\x18\x53\x80\x67" + unknown + info + cluster, "enregistrement.webm")


# --- PDFs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["openaction", "aa", "launch", "embedded", "attachment", "xfa"])
def test_sanitising_removes_the_active_content_and_keeps_the_pages(what: str, settings: Any) -> None:
    settings.CERTEVAL_PDF_ACTIVE_CONTENT = "sanitise"
    inspected = inspect(samples.pdf_with(what), "dossier.pdf")
    assert inspected.content is not None and inspected.notice.startswith("Ce PDF contenait")
    cleaned = PdfReader(io.BytesIO(inspected.content))
    assert upload_pdf.find_active_content(cleaned) == set() and len(cleaned.pages) == 1
    assert cleaned.metadata is not None and cleaned.metadata.title == "Dossier"
    for payload in (b"app.alert", b"cmd.exe", samples.PE[:16], samples.ELF[:8], b"xdp:xdp"):
        assert payload not in inspected.content


def test_an_encrypted_pdf_stays_refused_in_sanitise_mode(settings: Any) -> None:
    from pypdf import PdfWriter

    settings.CERTEVAL_PDF_ACTIVE_CONTENT = "sanitise"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf())))
    writer.encrypt(user_password="", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRejected, match="chiffré"):
        inspect(out.getvalue(), "dossier.pdf")


# --- the item bank's files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("schema.png", samples.png() + samples.zip_archive(), "archive ZIP cachée"),
        ("schema.png", samples.jpeg(), "ne correspond pas à son extension"),
        ("schema.jpg", samples.jpeg(640, 480)[:-300], "endommagée"),
        ("schema.webp", b"RIFF\xff\x00\x00\x00WEBPVP8 " + samples.ELF, "endommagée"),
        ("schema.png", samples.png_bomb(), "trop grande"),
        ("consignes.pdf", samples.pdf_with("launch"), "/Launch"),
    ],
    ids=["png-zip", "jpeg-as-png", "truncated-jpeg", "elf-as-webp", "png-bomb", "pdf-launch"],
)
def test_item_bank_files_get_the_same_checks(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRejected, match=message):
        inspect_small_file(name, data)


def test_item_bank_keeps_valid_files_and_webp() -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(out, "WEBP")
    for name, data in (("a.png", samples.png()), ("a.jpeg", samples.jpeg()), ("a.webp", out.getvalue())):
        assert inspect_small_file(name, data) == (data, "")
    assert inspect_small_file("notes.csv", b"a;b\n1;2\n") == (b"a;b\n1;2\n", "")


# --- private files --------------------------------------------------------------------------------


def test_stored_files_are_private_to_the_service_user(settings: Any, tmp_path: Path) -> None:
    from django.conf import settings as django_settings

    assert django_settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert django_settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("dossiers/1/2/fichier.pdf", ContentFile(samples.pdf()))
    assert stat.S_IMODE(os.stat(storage.path(name)).st_mode) == 0o600
    for directory in ("dossiers", "dossiers/1", "dossiers/1/2"):
        assert stat.S_IMODE(os.stat(storage.path(directory)).st_mode) == 0o700


def test_media_root_is_created_private_and_narrowed(tmp_path: Path) -> None:
    fresh = tmp_path / "var" / "media"
    secure_media_root(fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    secure_media_root(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700


def test_a_phone_photo_with_several_images_mpo_is_a_jpeg() -> None:
    out = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert inspect(out.getvalue(), "photo.jpg").type.key == "jpeg"
    with pytest.raises(UploadRejected, match="données cachées"):
        inspect(out.getvalue() + samples.SHELL, "photo.jpg")


def test_an_ordinary_pdf_is_walked_once_per_object(monkeypatch: Any) -> None:
    from certeval.dossiers.demo import dossier_pdf

    data = dossier_pdf("Camille Martin", 30)  # pages pointing to their parent, links, fonts
    monkeypatch.setattr(upload_pdf, "MAX_OBJECTS", 3_000)
    assert upload_pdf.find_active_content(PdfReader(io.BytesIO(data))) == set()
    assert inspect(data, "dossier.pdf").page_count == 30
