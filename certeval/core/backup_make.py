"""``certeval backup``: the database dump and every stored file in one archive with its manifest
(docs/backup.md). Memory stays bounded: the dump goes through a temporary file beside the archive,
every file is streamed from the storage into the tar stream; only the manifest's list (a few hundred
bytes per file) is kept in memory."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.core.files.storage import storages

from certeval.core.backup_archive import (
    FILES_PREFIX,
    MANIFEST,
    README,
    README_TEXT,
    SUFFIXES,
    compression_of,
    manifest,
    open_writer,
)
from certeval.core.backup_database import DUMP_MEMBERS, BackupError, dump, engine
from certeval.core.backup_files import open_stored, storage_names

ARCHIVE_PREFIX = "certeval-backup-"
DEFAULT_COMPRESSION = "gzip"
EXTENSIONS = {"gzip": ".tar.gz", "zstd": ".tar.zst", "none": ".tar"}


@dataclass
class BackupResult:
    path: Path
    engine: str
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)


def certeval_version() -> str:
    try:
        return version("certeval")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def archive_path(target: Path, compression: str | None, now: datetime) -> tuple[Path, str]:
    """Where to write and how to compress: a directory gets a dated archive name (UTC)."""
    if target.is_dir():
        kind = compression or DEFAULT_COMPRESSION
        return target / f"{ARCHIVE_PREFIX}{now:%Y%m%dT%H%M%SZ}{EXTENSIONS[kind]}", kind
    kind = compression_of(target)
    if compression and compression != kind:
        raise BackupError(f"{target.name} names a {kind} archive but --compression is {compression}.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    if target.exists():
        raise BackupError(f"{target} already exists: choose another name or a directory.")
    return target, kind


def make_backup(target: Path, *, compression: str | None = None, keep: int = 0) -> BackupResult:
    now = datetime.now(UTC)
    path, kind = archive_path(target, compression, now)
    database_kind = engine()
    member = DUMP_MEMBERS[database_kind]
    result = BackupResult(path=path, engine=database_kind)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".certeval-backup-") as scratch:
        dump_path = Path(scratch) / member
        info = dump(dump_path)
        with open_writer(path, kind) as writer:
            writer.add_bytes(README, README_TEXT.encode())
            with dump_path.open("rb") as dumped:
                dump_size, dump_sha256 = writer.add_stream(member, dumped, dump_path.stat().st_size)
            dump_path.unlink()
            files: list[dict[str, Any]] = []
            for name in storage_names():
                try:
                    stream, size = open_stored(name)
                except FileNotFoundError:  # deleted (an erasure) between the listing and the read
                    result.skipped.append(name)
                    continue
                with stream:
                    size, sha256 = writer.add_stream(FILES_PREFIX + name, stream, size)
                files.append({"path": name, "size": size, "sha256": sha256})
                result.bytes += size
            result.files = len(files)
            content = manifest(
                created_at=now.isoformat(),
                certeval_version=certeval_version(),
                database={
                    "engine": database_kind,
                    "member": member,
                    "size": dump_size,
                    "sha256": dump_sha256,
                    "tables": info.tables,
                    "migrations": info.migrations,
                },
                storage={
                    "backend": f"{type(storages['default']).__module__}.{type(storages['default']).__name__}",
                    "files": result.files,
                    "bytes": result.bytes,
                },
                files=files,
            )
            writer.add_bytes(MANIFEST, json.dumps(content, indent=1, ensure_ascii=False).encode())
    if target.is_dir() and keep > 0:
        result.pruned = prune(target, keep)
    return result


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete the oldest archives of ``directory`` beyond the ``keep`` newest (names sort by date)."""
    archives = sorted(
        p
        for p in directory.glob(f"{ARCHIVE_PREFIX}*")
        if p.is_file() and any(p.name.endswith(suffix) for suffix in SUFFIXES)
    )
    removed = archives[:-keep] if len(archives) > keep else []
    for old in removed:
        old.unlink()
    return removed
