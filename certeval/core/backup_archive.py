"""The backup archive: one tar stream (plain, gzip or zstd) read and written without seeking back.

Members, in this order: ``README.txt`` (what the archive is), the database dump
(``database.sqlite3`` or ``database.pgdump``), every stored file under ``files/<storage name>``, then
``manifest.json``, written last because it carries the SHA-256 of every member before it, computed
from the very bytes written. Reading the archive hashes each member as it streams by and compares
with the manifest at the end (docs/backup.md, « The archive »).

zstd goes through Debian's ``zstd`` program (Python 3.12's ``tarfile`` has no zstd); gzip through
``tarfile`` itself. A zstd archive is recognised by its magic number, whatever its name.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from certeval.core.backup_database import DUMP_MEMBERS, BackupError

FORMAT = "certeval-backup"
FORMAT_VERSION = 1
README = "README.txt"
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_MAGIC = b"\x1f\x8b"
SUFFIXES = {".tar": "none", ".tar.gz": "gzip", ".tgz": "gzip", ".tar.zst": "zstd", ".tar.zstd": "zstd"}
CHUNK_BYTES = 1024 * 1024

README_TEXT = """Certeval backup archive (docs/backup.md).

It holds the whole database and every stored file: candidates' identities, accommodations,
dossiers, scores and decisions. It is personal data: store it encrypted (gpg or age), never in clear
on shared or off-site storage, and delete it when its retention is over.

Check it:    certeval backup --verify <archive>
Restore it:  certeval restore <archive>   (into an empty database and an empty storage)
"""


def compression_of(path: Path) -> str:
    name = path.name.lower()
    for suffix, kind in sorted(SUFFIXES.items(), key=lambda item: -len(item[0])):
        if name.endswith(suffix):
            return kind
    raise BackupError(
        f"Unknown archive name {path.name}: end it with .tar, .tar.gz or .tar.zst (or give a directory)."
    )


def _zstd_program() -> str:
    found = shutil.which("zstd")
    if not found:
        raise BackupError("zstd was not found: install it (apt-get install zstd) or use .tar.gz.")
    return found


class HashingReader:
    """Reads a stream for ``tarfile`` and hashes exactly the bytes handed over."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.mtime = time.time()

    def add_stream(self, member: str, stream: IO[bytes], size: int) -> tuple[int, str]:
        """Add ``size`` bytes of ``stream``; fails if the stream is shorter or longer (the file
        changed while it was read). Returns the size and SHA-256 written."""
        info = tarfile.TarInfo(member)
        info.size = size
        info.mtime = int(self.mtime)
        info.mode = 0o600
        reader = HashingReader(stream)
        try:
            self.tar.addfile(info, reader)
        except OSError as error:
            raise BackupError(
                f"{member} changed while it was read ({error}): run the backup again."
            ) from error
        if stream.read(1):
            raise BackupError(f"{member} grew while it was read: run the backup again.")
        return reader.size, reader.digest.hexdigest()

    def add_bytes(self, member: str, data: bytes) -> tuple[int, str]:
        return self.add_stream(member, io.BytesIO(data), len(data))


@contextmanager
def open_writer(path: Path, compression: str) -> Iterator[ArchiveWriter]:
    """Write ``path`` through ``path.partial``, renamed when complete: a failed backup never leaves
    a file that looks like a good archive."""
    partial = path.with_name(path.name + ".partial")
    try:
        # Readable by the service user only: the archive holds personal data.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as out:
            if compression == "zstd":
                process = subprocess.Popen([_zstd_program(), "-q", "-c"], stdin=subprocess.PIPE, stdout=out)
                assert process.stdin is not None
                try:
                    with tarfile.open(fileobj=process.stdin, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                        yield ArchiveWriter(tar)
                finally:
                    process.stdin.close()
                    if process.wait() != 0:
                        raise BackupError(f"zstd failed ({process.returncode}).")
            else:
                tar = tarfile.open(  # noqa: SIM115 - closed by the `with` below
                    fileobj=out, mode="w|gz" if compression == "gzip" else "w|", format=tarfile.PAX_FORMAT
                )
                with tar:
                    yield ArchiveWriter(tar)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def open_reader(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupError(f"The archive {path} does not exist.")
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic.startswith(ZSTD_MAGIC):
        process = subprocess.Popen([_zstd_program(), "-q", "-d", "-c", str(path)], stdout=subprocess.PIPE)
        assert process.stdout is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as tar:
                yield tar
        finally:
            process.stdout.close()
            process.wait()
    else:
        with tarfile.open(path, mode="r|*") as tar:
            yield tar


def members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]:
    """Every member with its stream (None for a non-file member); errors become BackupError."""
    try:
        with open_reader(path) as tar:
            for info in tar:
                yield info, tar.extractfile(info) if info.isfile() else None
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"The archive {path} cannot be read: {error}") from error


def safe_storage_name(member: str) -> str:
    """The storage name of a ``files/`` member, refused when it would leave the storage's root."""
    name = member[len(FILES_PREFIX) :]
    normal = posixpath.normpath(name)
    if not name or normal != name or normal.startswith(("/", "../")) or normal == "..":
        raise BackupError(f"The archive names a file outside the storage: {member}")
    return name


# --- manifest and verification ------------------------------------------------------------------


def manifest(**fields: Any) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, **fields}


@dataclass
class ArchiveCheck:
    manifest: dict[str, Any] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path) -> ArchiveCheck:
    """Hash every member as it streams by and compare with the manifest; nothing is written. A
    missing file is a refusal (BackupError); a damaged one is a problem of the returned check."""
    if not path.is_file():
        raise BackupError(f"The archive {path} does not exist.")
    check = ArchiveCheck()
    try:
        found_manifest, seen = _hash_members(path, check)
    except BackupError as error:  # a truncated or garbled stream
        check.problems.append(str(error))
        return check
    _check_manifest(check, found_manifest, seen)
    return check


def _hash_members(path: Path, check: ArchiveCheck) -> tuple[bytes | None, dict[str, tuple[int, str]]]:
    seen: dict[str, tuple[int, str]] = {}
    found_manifest: bytes | None = None
    for info, stream in members(path):
        if stream is None:
            continue
        if info.name == MANIFEST:
            found_manifest = stream.read()
            continue
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):  # noqa: B023 - consumed here
            digest.update(chunk)
            size += len(chunk)
        if info.name in seen:
            check.problems.append(f"{info.name} appears twice in the archive.")
        if info.name.startswith(FILES_PREFIX):
            try:
                safe_storage_name(info.name)
            except BackupError as error:
                check.problems.append(str(error))
        seen[info.name] = (size, digest.hexdigest())
    return found_manifest, seen


def _check_manifest(
    check: ArchiveCheck, found_manifest: bytes | None, seen: dict[str, tuple[int, str]]
) -> None:
    if found_manifest is None:
        check.problems.append("The archive has no manifest.json: it is incomplete or not a Certeval backup.")
        return
    try:
        check.manifest = json.loads(found_manifest)
    except ValueError as error:
        check.problems.append(f"manifest.json is not valid JSON: {error}")
        return
    if check.manifest.get("format") != FORMAT or check.manifest.get("format_version") != FORMAT_VERSION:
        check.problems.append("manifest.json is not a Certeval backup manifest of format version 1.")
        return
    expected: dict[str, tuple[int, str]] = {}
    database = check.manifest.get("database", {})
    if database.get("member") not in DUMP_MEMBERS.values():
        check.problems.append("The manifest names no database dump.")
    else:
        expected[database["member"]] = (database.get("size"), database.get("sha256"))
    files = check.manifest.get("files", [])
    for entry in files:
        expected[FILES_PREFIX + entry["path"]] = (entry.get("size"), entry.get("sha256"))
    for name, (size, sha256) in expected.items():
        if name not in seen:
            check.problems.append(f"{name}: listed in the manifest, absent from the archive.")
        elif seen[name] != (size, sha256):
            check.problems.append(
                f"{name}: its content does not match the manifest (size {seen[name][0]} for {size}, "
                f"SHA-256 {seen[name][1][:12]}… for {str(sha256)[:12]}…)."
            )
    for name in sorted(seen.keys() - expected.keys() - {README}):
        check.problems.append(f"{name}: in the archive but not in the manifest.")
    check.files = len(files)
    check.bytes = sum(int(entry.get("size", 0)) for entry in files)
