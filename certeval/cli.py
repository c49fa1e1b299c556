"""The ``certeval`` command line.

Every sub-command is a Django management command of one of the project's apps; the
CLI maps ``certeval frameworks load`` to ``manage.py frameworks load`` and
``certeval simulate-cat`` to ``manage.py simulate_cat`` (dashes become underscores),
so each bounded context owns its commands. ``certeval serve`` runs the development
server with the background task worker beside it (``certeval.core``'s ``serve`` command).
"""

from __future__ import annotations

import os
import sys

ALIASES: dict[str, str] = {}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["certeval", "help"])
        return 0
    command = ALIASES.get(args[0], args[0].replace("-", "_"))
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["certeval", command, *args[1:]])
    except SystemExit as exc:  # management commands exit with their own code
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0
