"""``certeval privacy register [--format json|csv] [--output FILE]``: the register of processing
activities (RGPD art. 30) for the controller's DPO — the same data as the administrators' page and
its downloads (``certeval.privacy.register_selectors``; docs/privacy.md, « Notices and register »).
JSON by default; CSV is UTF-8 with BOM and ``;``-separated, like the page's download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.privacy.register_selectors import register_csv, register_json


class Command(BaseCommand):
    help = "Personal data (RGPD): print the register of processing activities."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        register = actions.add_parser("register", help="the register of processing activities (art. 30)")
        register.add_argument(
            "--format", choices=("json", "csv"), default="json", help="json (default) or csv"
        )
        register.add_argument("--output", type=Path, help="write to this file instead of the standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = register_csv() if options["format"] == "csv" else register_json() + "\n"
        output: Path | None = options.get("output")
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc})", returncode=2) from exc
        self.stdout.write(f"Register written to {output}")
