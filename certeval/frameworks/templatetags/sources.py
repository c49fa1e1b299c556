"""``{{ text|cite }}``: source documents by their title rather than their file name."""

from __future__ import annotations

from functools import cache

from django import template

from certeval.domain.sources import cite as cite_text
from certeval.domain.sources import load_titles
from certeval.frameworks.services import SOURCES_FILE

register = template.Library()


@cache
def _titles() -> dict[str, str]:
    return load_titles(SOURCES_FILE)


@register.filter
def cite(text: object) -> str:
    return cite_text(str(text), _titles())
