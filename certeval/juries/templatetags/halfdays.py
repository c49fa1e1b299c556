"""``{{ juror.halfdays|halfdays }}``: half-day keys (``2026-12-14-am``) as dates people read."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from certeval.juries.explain import halfday_label

register = template.Library()


@register.filter
def halfdays(keys: Iterable[str]) -> str:
    return " ; ".join(halfday_label(key) for key in keys)
