"""Citations of the source documents: a référentiel cites its seed by file name (``004_….txt``,
stable and traceable); people read the document's title instead."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def load_titles(path: Path) -> dict[str, str]:
    """The ``seed file → title`` map of a sources file (``certeval/data/sources.yaml``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise ValueError(f"{path}: expected a mapping of seed file name to document title")
    return dict(data)


def seed_files(text: str) -> set[str]:
    """The seed file names cited in ``text``."""
    return set(SEED_FILE.findall(text))


def cite(text: str, titles: Mapping[str, str]) -> str:
    """``text`` with every seed file name it cites replaced by the document's title; a file
    with no title stays as it is."""
    return SEED_FILE.sub(lambda match: titles.get(match.group(0), match.group(0)), text)
