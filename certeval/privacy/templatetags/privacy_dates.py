"""``{{ value|when }}``: an ISO date or date-time of the access export, as French readers write it
(« 08/12/2026 14:05 », « 08/12/2026 »); empty stays empty."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def when(value: object) -> str:
    text = str(value or "")
    if not text:
        return ""
    try:
        if len(text) > 10:
            return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text
