"""The parts of backup and restore (docs/backup.md): which rows are file rows, what their verification
reports, the storage listing and writing, archive names, retention, and archives that must be refused."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.core.backup_archive import FILES_PREFIX, MANIFEST, manifest, open_writer, verify
from certeval.core.backup_database import BackupError, pg_program
from certeval.core.backup_files import (
    file_columns,
    open_stored,
    storage_is_empty,
    storage_names,
    store,
    verify_file_rows,
)
from certeval.core.backup_make import archive_path, prune
from certeval.core.tests.backup_instance import deposit


def test_the_file_rows_are_found_by_their_field_names() -> None:
    found = {(c.label, c.hash_field, c.kind) for c in file_columns()}
    assert ("dossiers.DossierFile.storage_name", "sha256", "storage") in found
    assert ("dossiers.Receipt.storage_name", "sha256", "storage") in found
    assert (
        "campaigns.Enrolment.trainer_attestation_storage",
        "trainer_attestation_sha256",
        "storage",
    ) in found
    assert ("results.CdcSubmission.content", "sha256", "inline") in found  # the flux kept in its row
    assert ("testing.ItemVersion.image", None, "storage") in found  # a file without a hash: presence only
    # A hash of a file that is not kept (the CDC acknowledgement read back) is not a file row.
    assert not any(label.startswith("results.CdcAcknowledgement") for label, _, _ in found)


def upload(enrolment: Any, data: bytes, title: str) -> Any:
    return deposit(enrolment, data, name=f"{title}.pdf", kind="document", title=title)


@pytest.mark.django_db
def test_the_verification_reports_missing_and_mismatched_files() -> None:
    enrolment = EnrolmentFactory()
    kept = upload(enrolment, pdf_bytes(1, "kept"), "Gardé")
    changed = upload(enrolment, pdf_bytes(2, "changed"), "Modifié")
    lost = upload(enrolment, pdf_bytes(3, "lost"), "Perdu")
    assert verify_file_rows().ok
    default_storage.delete(changed.storage_name)
    default_storage.save(changed.storage_name, ContentFile(b"%PDF-1.7 other bytes"))
    default_storage.delete(lost.storage_name)

    report = verify_file_rows()
    assert not report.ok and report.checked == 1
    assert report.missing == [f"dossiers.DossierFile.storage_name #{lost.pk}: {lost.storage_name}"]
    assert [line.split(" (")[0] for line in report.mismatched] == [
        f"dossiers.DossierFile.storage_name #{changed.pk}: {changed.storage_name}"
    ]
    lines = "\n".join(report.lines())
    assert "Missing: 1" in lines and "Mismatched: 1" in lines and kept.storage_name not in lines


def test_the_storage_is_listed_and_written_through_its_api() -> None:
    storage = InMemoryStorage()
    assert storage_is_empty(storage)
    for name in ("b/2.pdf", "a.txt", "b/c/3.png"):
        storage.save(name, ContentFile(name.encode()))
    assert list(storage_names(storage)) == ["a.txt", "b/2.pdf", "b/c/3.png"]
    written = store("b/2.pdf", io.BytesIO(b"new"), replace=True, storage=storage)
    assert written.size == 3 and storage.open("b/2.pdf").read() == b"new"
    with pytest.raises(OSError, match="already there"):
        store("a.txt", io.BytesIO(b"x"), replace=False, storage=storage)
    assert storage.open("a.txt").read() == b"a.txt" and list(storage_names(storage))[:1] == ["a.txt"]


class FakeBody(io.BytesIO):
    pass


class FakeS3Storage(InMemoryStorage):
    """What open_stored needs of django-storages' S3 storage: a bucket and name normalisation."""

    def __init__(self) -> None:
        super().__init__()
        storage = self

        class Obj:
            def __init__(self, key: str) -> None:
                self.key = key

            def get(self) -> dict[str, Any]:
                data = storage.open(self.key.removeprefix("prefix/")).read()
                return {"Body": FakeBody(data), "ContentLength": len(data)}

        self.bucket = type("Bucket", (), {"Object": staticmethod(Obj)})()

    def _normalize_name(self, name: str) -> str:
        return f"prefix/{name}"


def test_s3_objects_are_streamed_from_their_body() -> None:
    storage = FakeS3Storage()
    storage.save("dossiers/x.pdf", ContentFile(b"%PDF bytes"))
    stream, size = open_stored("dossiers/x.pdf", storage)
    assert isinstance(stream, FakeBody) and size == 10 and stream.read() == b"%PDF bytes"


def test_archive_names_and_refusals(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 8, 1, 2, 3, tzinfo=UTC)
    assert archive_path(tmp_path, None, now) == (tmp_path / "certeval-backup-20261208T010203Z.tar.gz", "gzip")
    assert archive_path(tmp_path, "zstd", now)[0].name.endswith(".tar.zst")
    assert archive_path(tmp_path / "b.tar", None, now) == (tmp_path / "b.tar", "none")
    with pytest.raises(BackupError, match=r"end it with \.tar"):
        archive_path(tmp_path / "b.zip", None, now)
    with pytest.raises(BackupError, match="--compression is zstd"):
        archive_path(tmp_path / "b.tar.gz", "zstd", now)
    (tmp_path / "old.tar").write_bytes(b"")
    with pytest.raises(BackupError, match="already exists"):
        archive_path(tmp_path / "old.tar", None, now)
    with pytest.raises(BackupError, match="does not exist"):
        archive_path(tmp_path / "nowhere" / "b.tar", None, now)


def test_retention_keeps_the_newest_archives_only(tmp_path: Path) -> None:
    names = [f"certeval-backup-2026120{day}T020000Z.tar.gz" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")
    removed = prune(tmp_path, 3)
    assert [p.name for p in removed] == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [*names[2:], "notes.txt"]


def write_archive(path: Path, files: dict[str, bytes], *, listed: bool = True) -> None:
    with open_writer(path, "none") as writer:
        size, sha256 = writer.add_bytes("database.sqlite3", b"dump")
        entries = []
        for name, data in files.items():
            fsize, fsha = writer.add_bytes(FILES_PREFIX + name, data)
            entries.append({"path": name, "size": fsize, "sha256": fsha})
        if listed:
            content = manifest(
                database={"engine": "sqlite", "member": "database.sqlite3", "size": size, "sha256": sha256},
                files=entries,
            )
            writer.add_bytes(MANIFEST, json.dumps(content).encode())


def test_an_archive_naming_a_file_outside_the_storage_is_refused(tmp_path: Path) -> None:
    write_archive(tmp_path / "evil.tar", {"../outside.txt": b"x", "ok.txt": b"y"})
    check = verify(tmp_path / "evil.tar")
    assert check.problems == ["The archive names a file outside the storage: files/../outside.txt"]


def test_an_archive_without_its_manifest_is_incomplete(tmp_path: Path) -> None:
    write_archive(tmp_path / "cut.tar", {"a.txt": b"x"}, listed=False)
    assert "has no manifest.json" in verify(tmp_path / "cut.tar").problems[0]
    (tmp_path / "junk.tar.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert "cannot be read" in verify(tmp_path / "junk.tar.gz").problems[0]
    plain = (tmp_path / "cut.tar").read_bytes()
    (tmp_path / "short.tar").write_bytes(plain[:1000])  # cut in the middle of a member
    assert verify(tmp_path / "short.tar").problems


def test_the_commands_refuse_with_an_exit_code(tmp_path: Path, settings: Any) -> None:
    with pytest.raises(CommandError, match="Give a directory") as missing:
        call_command("backup", stdout=io.StringIO())
    assert missing.value.returncode == 2
    with pytest.raises(CommandError, match="does not exist") as absent:
        call_command("restore", str(tmp_path / "none.tar"), stdout=io.StringIO())
    assert absent.value.returncode == 2
    settings.CERTEVAL_BACKUP_PG_BIN_DIR = str(tmp_path)
    with pytest.raises(BackupError, match="pg_dump was not found in CERTEVAL_BACKUP_PG_BIN_DIR"):
        pg_program("pg_dump")
