"""``certeval backup <directory-or-archive>`` and ``certeval backup --verify <archive>`` (docs/backup.md).

Exit codes: 0 done (or the archive is sound), 1 the archive is damaged (or unreadable), 2 refused (a
bad target or a missing archive, a missing program, an unsupported database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.core.backup_archive import verify
from certeval.core.backup_database import BackupError
from certeval.core.backup_make import EXTENSIONS, make_backup

DAMAGED = 1
REFUSED = 2


class Command(BaseCommand):
    help = (
        "Write the database and every stored file to one archive with its manifest, or check an "
        "archive with --verify. The archive holds personal data: store it encrypted (docs/backup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            nargs="?",
            help="a directory (a dated archive is written in it) or an archive name "
            "ending in .tar, .tar.gz or .tar.zst",
        )
        parser.add_argument("--verify", metavar="ARCHIVE", help="check an archive against its manifest")
        parser.add_argument("--compression", choices=sorted(EXTENSIONS), help="default: gzip")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="archives kept in the target directory, the oldest beyond are deleted "
            "(default CERTEVAL_BACKUP_KEEP; 0 keeps all)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            if options["target"]:
                raise CommandError("Give either a target or --verify ARCHIVE, not both.", returncode=REFUSED)
            self.verify(Path(options["verify"]))
            return
        if not options["target"]:
            raise CommandError(
                "Give a directory or an archive name (or --verify ARCHIVE).", returncode=REFUSED
            )
        keep = options["keep"] if options["keep"] is not None else settings.CERTEVAL_BACKUP_KEEP
        if keep < 0:
            raise CommandError("--keep must be 0 or more.", returncode=REFUSED)
        try:
            result = make_backup(Path(options["target"]), compression=options["compression"], keep=keep)
        except BackupError as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        for name in result.skipped:
            self.stderr.write(f"Skipped {name}: deleted while the backup ran.")
        self.stdout.write(
            f"Backup written: {result.path} ({result.engine} database, {result.files} file(s), "
            f"{result.bytes} bytes of files)."
        )
        for old in result.pruned:
            self.stdout.write(f"Deleted the old archive {old.name} (keeping {keep}).")
        self.stdout.write("It holds personal data: store it encrypted (docs/backup.md).")

    def verify(self, path: Path) -> None:
        try:
            check = verify(path)
        except BackupError as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The archive {path} is damaged: {len(check.problems)} problem(s).", returncode=DAMAGED
            )
        database = check.manifest["database"]
        self.stdout.write(
            f"The archive {path} is sound: made {check.manifest['created_at']} by Certeval "
            f"{check.manifest['certeval_version']}, {database['engine']} database "
            f"({len(database['tables'])} tables), {check.files} file(s), {check.bytes} bytes of files, "
            "every SHA-256 matches the manifest."
        )
