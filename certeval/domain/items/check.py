"""``python -m certeval.domain.items.check FILE...``: check item files, print every error, exit 2 on any."""

from __future__ import annotations

import sys
from pathlib import Path

from certeval.domain.items.records import ItemFileError, ItemRecord, bank_errors, read_item_file


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m certeval.domain.items.check FILE.yaml...", file=sys.stderr)
        return 2
    errors: list[str] = []
    records: list[ItemRecord] = []
    for name in argv:
        try:
            records += read_item_file(Path(name))
        except ItemFileError as exc:
            errors += exc.errors
    errors += bank_errors(records)
    for error in errors:
        print(error)
    if errors:
        return 2
    print(f"OK: {len(records)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
