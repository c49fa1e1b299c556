"""``certeval restore``: rebuild an instance from a backup archive (docs/backup.md).

1. The whole archive is read once and every member's SHA-256 compared with the manifest: a damaged
   archive is refused before anything is written.
2. The target must be empty (no table in the database, no file in the storage), unless ``force``.
3. The dump is loaded, then every file is written to the storage under its own name, hashed again
   on the way.
4. The table counts are compared with the manifest's, and every file row of the database that
   records a SHA-256 is compared with the restored bytes (``backup_files.verify_file_rows``).
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from certeval.core.backup_archive import FILES_PREFIX, ArchiveCheck, members, safe_storage_name, verify
from certeval.core.backup_database import (
    BackupError,
    current_tables,
    engine,
    existing_tables,
    load,
)
from certeval.core.backup_files import FileReport, storage_is_empty, store, verify_file_rows


class TargetNotEmpty(BackupError):
    """The database or the storage already holds data and ``force`` was not given."""


class ArchiveDamaged(BackupError):
    def __init__(self, check: ArchiveCheck) -> None:
        super().__init__("The archive is damaged; nothing was restored.")
        self.check = check


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    files_restored: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables_compared: int = 0
    file_rows: FileReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and (self.file_rows is None or self.file_rows.ok)


def migration_notes(recorded: list[list[str]]) -> list[str]:
    """How the archive's schema compares with this code's migrations."""
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_archive = {(app, name) for app, name in recorded}
    notes = []
    unknown = sorted(in_archive - on_disk)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        notes.append(
            f"{len(unknown)} migration(s) of the archive are unknown to this code ({names}…): "
            "the archive comes from another Certeval version; restore with that version."
        )
    pending = on_disk - in_archive
    if pending:
        notes.append(f"{len(pending)} migration(s) of this code are not applied: run `certeval migrate`.")
    return notes


def target_refusal() -> str | None:
    tables = existing_tables()
    reasons = []
    if tables:
        shown = ", ".join(tables[:3])
        reasons.append(f"the database already holds {len(tables)} table(s) ({shown}…)")
    if not storage_is_empty():
        where = settings.MEDIA_ROOT if getattr(settings, "CERTEVAL_STORAGE", "") != "s3" else "the bucket"
        reasons.append(f"the storage ({where}) already holds files")
    if not reasons:
        return None
    return (
        "Restore refused: "
        + " and ".join(reasons)
        + ". Restore into a new SQLite file or a freshly created PostgreSQL database (createdb) and an "
        "empty storage, or give --force to replace the database's content and overwrite files of the "
        "same name."
    )


def restore(path: Path, *, force: bool = False) -> RestoreReport:
    check = verify(path)
    if not check.ok:
        raise ArchiveDamaged(check)
    manifest = check.manifest
    database = manifest["database"]
    if database["engine"] != engine():
        raise BackupError(
            f"The archive holds a {database['engine']} database but DATABASE_URL points at {engine()}: "
            "restore into the same engine."
        )
    report = RestoreReport(manifest=manifest)
    report.notes.extend(migration_notes(database.get("migrations", [])))
    refusal = target_refusal()
    if refusal and not force:
        raise TargetNotEmpty(refusal)
    expected_files = {entry["path"]: entry for entry in manifest["files"]}
    with tempfile.TemporaryDirectory(prefix="certeval-restore-") as scratch:
        for info, stream in members(path):
            if stream is None:
                continue
            if info.name == database["member"]:
                dump_path = Path(scratch) / info.name
                digest = hashlib.sha256()
                with dump_path.open("wb") as out:
                    for chunk in iter(lambda: stream.read(1024 * 1024), b""):  # noqa: B023
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != database["sha256"]:
                    raise BackupError("The database dump changed since the archive was checked: try again.")
                load(dump_path, database["engine"], force=force)
                dump_path.unlink()
            elif info.name.startswith(FILES_PREFIX):
                name = safe_storage_name(info.name)
                written = store(name, stream, replace=force)
                entry = expected_files.get(name)
                if entry is None or written.digest.hexdigest() != entry["sha256"]:
                    report.problems.append(f"{name}: restored bytes differ from the manifest.")
                report.files_restored += 1
    report.tables_compared, table_problems = compare_tables(database.get("tables", {}))
    report.problems.extend(table_problems)
    try:
        report.file_rows = verify_file_rows()
    except DatabaseError as error:
        report.problems.append(f"The file rows could not be read ({error}): run `certeval migrate` first?")
    finally:
        connections["default"].close()
    return report


def compare_tables(expected: dict[str, int]) -> tuple[int, list[str]]:
    found = current_tables()
    problems = [
        f"table {name}: {found.get(name, 'absent')} row(s) restored, {count} in the archive"
        for name, count in sorted(expected.items())
        if found.get(name) != count
    ]
    return len(expected), problems
