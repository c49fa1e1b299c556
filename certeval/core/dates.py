"""Dates and times as people read them here: Paris time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

PARIS = ZoneInfo("Europe/Paris")


def paris_text(moment: datetime) -> str:
    """``29/03/2026 à 23:59:59 (heure de Paris)`` (in the active language)."""
    local = moment.astimezone(PARIS)
    return gettext("%(day)s à %(time)s (heure de Paris)") % {
        "day": f"{local:%d/%m/%Y}",
        "time": f"{local:%H:%M:%S}",
    }
