"""Writes of référentiels: publishing versions from YAML files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from certeval.domain.loader import load_framework
from certeval.domain.serialize import framework_to_dict
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.selectors import search_index_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "frameworks"
SOURCES_FILE = DATA_DIR.parent / "sources.yaml"


@dataclass(frozen=True)
class LoadResult:
    framework_id: str
    version_number: int
    created: bool


@transaction.atomic
def framework_publish_file(*, path: Path) -> LoadResult:
    """Publish the framework of one YAML file.

    Idempotent: an unchanged file (same content hash as the newest version) publishes
    nothing; a file whose content differs from the newest version becomes the next
    version. Invalid files raise the loader's
    ``FrameworkError`` and publish nothing.
    """
    framework = load_framework(path)
    # Lock the framework's rows so two concurrent loads cannot take the same number.
    latest = (
        FrameworkVersion.objects.select_for_update()
        .filter(framework_id=framework.id)
        .order_by("-version_number")
        .only("version_number", "content_hash")
        .first()
    )
    if latest is not None and latest.content_hash == framework.content_hash:
        return LoadResult(framework.id, latest.version_number, created=False)
    document = framework_to_dict(framework)
    version = FrameworkVersion(
        framework_id=framework.id,
        version_number=latest.version_number + 1 if latest else 1,
        label=framework.version,
        title=framework.title,
        content_hash=framework.content_hash,
        source_yaml=path.read_text(encoding="utf-8"),
        document=document,
        search_text=search_index_text(document),
    )
    version.full_clean()
    version.save()
    return LoadResult(framework.id, version.version_number, created=True)


def framework_publish_directory(*, directory: Path = DATA_DIR) -> list[LoadResult]:
    """Publish every ``*.yaml`` file of a directory (each file in its own transaction)."""
    return [framework_publish_file(path=path) for path in sorted(directory.glob("*.yaml"))]
