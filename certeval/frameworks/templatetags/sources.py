"""``{{ text|cite }}``: source documents by their title rather than their file name, policies by
their name and editor's notes in plain French; ``{{ title|framework_title }}``: a référentiel's
name without the editor's note on a missing name."""

from __future__ import annotations

from django import template

from certeval.frameworks.labels import framework_title as framework_title_text
from certeval.frameworks.labels import readable

register = template.Library()


@register.filter
def cite(text: object) -> str:
    return readable(str(text))


@register.filter
def framework_title(title: object) -> str:
    return framework_title_text(str(title))
