"""``certeval dossiers freeze-due``: close the dossiers whose deposit deadline has passed.

Meant to run every minute from cron or a systemd timer (Django's tasks framework has no
scheduler): every draft dossier of an open campaign past its deadline is frozen when it holds
files, otherwise marked « dossier non déposé (éliminatoire) ». Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certeval.dossiers.services import dossiers_freeze_due


class Command(BaseCommand):
    help = "Dossier housekeeping: freeze-due closes the dossiers whose deadline has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser(
            "freeze-due", help="freeze or mark as not deposited every draft dossier past its deadline"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = dossiers_freeze_due()
        self.stdout.write(f"{result.frozen} dossier(s) frozen, {result.not_deposited} marked not deposited.")
