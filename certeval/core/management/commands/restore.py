"""``certeval restore <archive> [--force]`` (docs/backup.md).

Exit codes: 0 restored and verified, 1 the archive is damaged or the restored instance does not match
it (the report says what), 2 refused (the target is not empty, the engines differ, a missing program)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.core.backup_database import BackupError
from certeval.core.backup_restore import ArchiveDamaged, restore

DAMAGED = 1
REFUSED = 2


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and an empty storage, then check every "
        "file recorded with a SHA-256 in the database against the restored bytes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="an archive written by `certeval backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the database or the storage is not empty: the database's content is "
            "replaced and files of the same name are overwritten",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        try:
            report = restore(path, force=options["force"])
        except ArchiveDamaged as error:
            for problem in error.check.problems:
                self.stderr.write(problem)
            raise CommandError(str(error), returncode=DAMAGED) from error
        except BackupError as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        manifest = report.manifest
        self.stdout.write(
            f"Restored {path}: made {manifest['created_at']} by Certeval {manifest['certeval_version']}, "
            f"{manifest['database']['engine']} database, {report.files_restored} file(s)."
        )
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        self.stdout.write(f"Tables compared with the archive: {report.tables_compared}")
        if report.file_rows is not None:
            for line in report.file_rows.lines():
                self.stdout.write(line)
        for problem in report.problems:
            self.stderr.write(f"Problem: {problem}")
        if not report.ok:
            raise CommandError(
                "The restored instance does not match the archive (see above).", returncode=DAMAGED
            )
        self.stdout.write("Restore verified: every file matches the database.")
