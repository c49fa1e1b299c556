"""``certeval frameworks load|list|show|export``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certeval.domain.case import framework_to_case
from certeval.domain.loader import FrameworkError
from certeval.frameworks import selectors, services


class Command(BaseCommand):
    help = "Load, list, show and export the référentiels."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Publish every YAML file of a directory (idempotent).")
        load.add_argument("--dir", type=Path, default=services.DATA_DIR, help="directory of *.yaml files")
        load.add_argument("files", nargs="*", type=Path, help="only these files")
        sub.add_parser("list", help="List the newest version of every framework.")
        show = sub.add_parser("show", help="Show one framework.")
        show.add_argument("framework_id")
        show.add_argument("--version", type=int, default=None, help="version number (default: newest)")
        show.add_argument(
            "--json", dest="as_json", action="store_true", help="print the whole document as JSON"
        )
        export = sub.add_parser("export", help="Export one framework.")
        export.add_argument("framework_id")
        export.add_argument("--format", choices=["case", "yaml"], required=True)
        export.add_argument("--version", type=int, default=None)
        export.add_argument("--base-uri", default="https://certeval.localhost/referentiels")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_load(self, *, dir: Path, files: list[Path], **_: Any) -> None:
        paths = files or sorted(dir.glob("*.yaml"))
        if not paths:
            raise CommandError(f"no *.yaml file in {dir}")
        failures = 0
        for path in paths:
            try:
                result = services.framework_publish_file(path=path)
            except FrameworkError as error:
                failures += 1
                self.stderr.write(str(error))
                continue
            except OSError as error:
                failures += 1
                self.stderr.write(f"{path}: {error.strerror or error}")
                continue
            state = "published" if result.created else "unchanged"
            self.stdout.write(f"{result.framework_id}: version {result.version_number} ({state})")
        if failures:
            raise CommandError(f"{failures} file(s) not loaded", returncode=2)

    def handle_list(self, **_: Any) -> None:
        for version in selectors.latest_versions():
            self.stdout.write(
                f"{version.framework_id}\tv{version.version_number}\t{version.label}\t{version.title}"
            )

    def _version(self, framework_id: str, version: int | None) -> Any:
        from django.http import Http404

        try:
            return selectors.framework_version(framework_id, version)
        except Http404:
            raise CommandError(
                f"unknown framework '{framework_id}'"
                + (f" version {version}" if version else "")
                + " (run 'certeval frameworks list')",
                returncode=2,
            ) from None

    def handle_show(self, *, framework_id: str, version: int | None, as_json: bool, **_: Any) -> None:
        found = self._version(framework_id, version)
        document = found.document
        if as_json:
            payload = {
                **document,
                "published_version": found.version_number,
                "content_hash": found.content_hash,
            }
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(
            f"{document['title']} ({document['id']}, version {found.version_number}: {found.label})"
        )
        self.stdout.write("Niveaux : " + ", ".join(level["label"] for level in document["levels"]))
        for domain in document["domains"]:
            self.stdout.write(f"- {domain['id']} {domain.get('title') or ''}")
            for competence in domain["competences"]:
                self.stdout.write(f"  - {competence['id']} {competence.get('title') or ''}")
                for criterion in competence.get("criteria", []):
                    self.stdout.write(f"    - {criterion['id']} {criterion['text']}")
        for grid in document.get("grids", []):
            self.stdout.write(f"Grille {grid['id']} : {grid['title']} ({len(grid['criteria'])} critères)")

    def handle_export(
        self, *, framework_id: str, format: str, version: int | None, base_uri: str, **_: Any
    ) -> None:
        found = self._version(framework_id, version)
        if format == "yaml":
            self.stdout.write(found.source_yaml, ending="")
            return
        package = framework_to_case(
            found.document,
            base_uri=f"{base_uri.rstrip('/')}/{framework_id}/case",
            version=str(found.version_number),
            last_change=timezone.localtime(found.published_at).isoformat(),
        )
        self.stdout.write(_dumps(package))


def _dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
