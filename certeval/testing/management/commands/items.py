"""``certeval items import FILE [--bank B] [--status S]`` and ``certeval items export --bank B --format
csv|qti [--output PATH]``: whole items (content, metadata, IRT parameters) in and out of an item bank.

FILE is a CSV (media beside it), a QTI 2.1 item, a zip package (CSV or QTI with its media) or a
directory (YAML item files such as ``certeval/data/items/pix-plus-edu/``, or a CSV or QTI package).
The import is all or nothing: on any error, every error is printed with its place and the command
exits with status 2, the bank unchanged. The export writes a zip (``items.csv`` or the QTI documents
with ``usagedata.xml``, and the media).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.domain.items.exchange import ExchangeError, read_path
from certeval.testing.errors import TestingError
from certeval.testing.item_selectors import export_package
from certeval.testing.item_services import item_import_package
from certeval.testing.models.items import ItemStatus
from certeval.testing.selectors import known_banks


def _bank(given: str | None) -> str:
    banks = known_banks()
    if given:
        if given not in banks:
            raise CommandError(
                f"unknown bank {given!r} (known: {', '.join(sorted(banks)) or 'none: publish a framework first'})",
                returncode=2,
            )
        return given
    if len(banks) == 1:
        return next(iter(banks))
    raise CommandError(f"--bank is required (known banks: {', '.join(sorted(banks))})", returncode=2)


class Command(BaseCommand):
    help = "Import or export whole items of an item bank (CSV, QTI 2.1 or YAML item files)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import items, all or nothing (exit 2 on any error)")
        load.add_argument("file", type=Path, help="a CSV, a QTI .xml, a .zip package or a directory")
        load.add_argument("--bank", help="the bank (default: the only one)")
        load.add_argument(
            "--status",
            default=ItemStatus.DRAFT,
            choices=ItemStatus.values,
            help="status of the imported items",
        )
        dump = actions.add_parser("export", help="export the bank's items as a zip package")
        dump.add_argument("--bank", help="the bank (default: the only one)")
        dump.add_argument("--format", choices=("csv", "qti"), default="csv")
        dump.add_argument("--status", action="append", choices=ItemStatus.values, help="only these statuses")
        dump.add_argument("--output", type=Path, help="the zip to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        bank = _bank(options["bank"])
        if options["action"] == "import":
            self._import(bank, options["file"], options["status"])
        else:
            self._export(bank, options["format"], options["status"] or (), options["output"])

    def _import(self, bank: str, path: Path, status: str) -> None:
        try:
            package = read_path(path)
            items = item_import_package(bank=bank, package=package, actor=None, status=status)
        except ExchangeError as exc:
            raise CommandError(_refusal(path, exc.errors), returncode=2) from exc
        except TestingError as exc:
            raise CommandError(_refusal(path, exc.reasons or [str(exc)]), returncode=2) from exc
        self.stdout.write(f"{len(items)} items imported into {bank} (status {status}).")

    def _export(self, bank: str, fmt: str, statuses: Any, output: Path | None) -> None:
        try:
            data = export_package(bank, fmt, statuses)
        except ValueError as exc:  # a code that is not a QTI identifier
            raise CommandError(str(exc), returncode=2) from exc
        if output is None:
            sys.stdout.buffer.write(data)
            return
        output.write_bytes(data)
        self.stdout.write(f"{output}: {bank} exported as {fmt} ({len(data)} bytes).")


def _refusal(path: Path, errors: list[str]) -> str:
    shown = errors[:200]
    more = f"\n… and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
    return f"{path}: refused, nothing imported ({len(errors)} error(s)):\n" + "\n".join(shown) + more
