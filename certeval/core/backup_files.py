"""Stored files for ``certeval backup`` and ``certeval restore`` (docs/backup.md).

Two concerns, both generic so that ``certeval.core`` (the lowest layer) never imports an app's models:

- **the storage**: every file of the default storage is listed and streamed through the storage API
  (``listdir``, ``open``, ``save``), so the same code serves ``FileSystemStorage`` under ``MEDIA_ROOT``
  and the S3 storage of ``CERTEVAL_STORAGE=s3`` (whose objects are read as a stream, never whole);
- **the file rows**: the rows of the database that point at a stored file, found through Django's app
  registry. A model takes part when it has a field named ``sha256`` or ``<prefix>_sha256`` and, beside
  it, where the bytes are: a text field ``<prefix>storage_name`` or ``<prefix>storage`` (a name in the
  default storage), a ``FileField`` ``<prefix>file``, or a ``BinaryField`` ``<prefix>content`` (bytes
  kept in the row itself). Today: dossier files and receipts, the trainer attestation of an enrolment,
  the Caisse des Dépôts flux. A ``FileField`` without a hash (item images) is checked for presence
  only. A new model that follows the naming is verified with no change here.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, cast

from django.apps import apps
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import models

CHUNK_BYTES = 1024 * 1024
HASH_SUFFIX = "sha256"
LOCATION_SUFFIXES = ("storage_name", "storage")


# --- the storage -------------------------------------------------------------------------------


def storage_names(storage: Storage | None = None, directory: str = "") -> Iterator[str]:
    """Every file name of the storage, depth first, sorted within a directory. A storage whose
    root does not exist yet (a new ``MEDIA_ROOT``) holds no file."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for sub in sorted(directories):
        yield from storage_names(storage, posixpath.join(directory, sub) if directory else sub)


def storage_is_empty(storage: Storage | None = None) -> bool:
    return next(storage_names(storage), None) is None


def open_stored(name: str, storage: Storage | None = None) -> tuple[IO[bytes], int]:
    """A stream of a stored file and its size. On S3 the object's body is read as it arrives
    (django-storages' own ``open`` downloads the whole object first)."""
    storage = storage or default_storage
    bucket = getattr(storage, "bucket", None)
    normalise = getattr(storage, "_normalize_name", None)
    if bucket is not None and normalise is not None:
        from storages.utils import clean_name  # type: ignore[import-untyped]

        answer = bucket.Object(normalise(clean_name(name))).get()
        return answer["Body"], int(answer["ContentLength"])
    return storage.open(name, "rb"), storage.size(name)


def file_sha256(name: str, storage: Storage | None = None) -> str:
    stream, _size = open_stored(name, storage)
    digest = hashlib.sha256()
    with stream:
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ForwardReader(io.RawIOBase):
    """A read-only, forward-only view of a stream that hashes what is read: the storage API
    writes it chunk by chunk (no seek back, so a tar stream is never held whole)."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class _StreamFile(File):
    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        stream = self.file
        assert stream is not None
        yield from iter(lambda: stream.read(chunk_size or CHUNK_BYTES), b"")


def store(name: str, stream: IO[bytes], *, replace: bool, storage: Storage | None = None) -> ForwardReader:
    """Write ``stream`` under exactly ``name``; ``replace`` deletes a file already there first.
    Returns the reader (its digest and size are those of the bytes written)."""
    storage = storage or default_storage
    if replace and storage.exists(name):
        storage.delete(name)
    reader = ForwardReader(stream)
    saved = storage.save(name, _StreamFile(cast(IO[bytes], reader), name=posixpath.basename(name)))
    if saved != name:
        storage.delete(saved)
        raise OSError(f"the storage stored {name} as {saved}: a file of that name is already there")
    return reader


# --- the file rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileColumns:
    """One model's pair of columns: the hash and where the bytes are."""

    model: type[models.Model]
    hash_field: str | None
    location_field: str
    kind: str  # "storage" (a name in the default storage) or "inline" (the bytes are in the row)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.location_field}"


def file_columns() -> list[FileColumns]:
    """Every (hash, location) pair of the installed models, by the naming rule of this module."""
    found: list[FileColumns] = []
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields}
        paired: set[str] = set()
        for name in fields:
            if name != HASH_SUFFIX and not name.endswith(f"_{HASH_SUFFIX}"):
                continue
            prefix = name[: -len(HASH_SUFFIX)]
            column = _location_of(fields, prefix)
            if column is not None:
                found.append(FileColumns(model, name, column[0], column[1]))
                paired.add(column[0])
        for name, model_field in fields.items():
            if isinstance(model_field, models.FileField) and name not in paired:
                found.append(FileColumns(model, None, name, "storage"))
    return found


def _location_of(fields: dict[str, Any], prefix: str) -> tuple[str, str] | None:
    for suffix in LOCATION_SUFFIXES:
        candidate = fields.get(f"{prefix}{suffix}")
        if isinstance(candidate, models.CharField | models.TextField):
            return candidate.name, "storage"
    candidate = fields.get(f"{prefix}file")
    if isinstance(candidate, models.FileField):
        return candidate.name, "storage"
    candidate = fields.get(f"{prefix}content")
    if isinstance(candidate, models.BinaryField):
        return candidate.name, "inline"
    return None


@dataclass
class FileReport:
    """What the verification of the file rows found."""

    checked: int = 0
    present_only: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    per_model: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched

    def lines(self) -> list[str]:
        out = [f"Files checked against the database: {self.checked} (SHA-256 compared)"]
        if self.present_only:
            out.append(f"Files without a recorded hash, found present: {self.present_only}")
        for label, count in sorted(self.per_model.items()):
            out.append(f"  {label}: {count}")
        out.append(f"Missing: {len(self.missing)}")
        out.extend(f"  missing: {line}" for line in self.missing)
        out.append(f"Mismatched: {len(self.mismatched)}")
        out.extend(f"  mismatched: {line}" for line in self.mismatched)
        return out


def verify_file_rows(storage: Storage | None = None, using: str = "default") -> FileReport:
    """Compare every file row of the database with the stored bytes (or the bytes in the row).
    Rows whose location is empty (no file attached) are skipped. Only the needed columns are read,
    one row at a time (``iterator``), so memory stays bounded."""
    storage = storage or default_storage
    report = FileReport()
    for columns in file_columns():
        wanted = ["pk", columns.location_field] + ([columns.hash_field] if columns.hash_field else [])
        rows = columns.model._base_manager.using(using).values_list(*wanted).order_by("pk")
        for row in rows.iterator(chunk_size=500):
            pk, location = row[0], row[1]
            expected = row[2] if columns.hash_field else ""
            if not location:
                continue
            where = f"{columns.label} #{pk}"
            if columns.kind == "inline":
                actual = hashlib.sha256(bytes(location)).hexdigest()
            else:
                where = f"{where}: {location}"
                if not storage.exists(str(location)):
                    report.missing.append(where)
                    continue
                if not expected:
                    report.present_only += 1
                    continue
                actual = file_sha256(str(location), storage)
            if expected and actual != expected:
                report.mismatched.append(f"{where} (recorded {expected[:12]}…, found {actual[:12]}…)")
                continue
            report.checked += 1 if expected else 0
            report.per_model[columns.label] = report.per_model.get(columns.label, 0) + 1
    return report
