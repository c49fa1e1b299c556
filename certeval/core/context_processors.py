from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

NavigationProvider = Callable[[HttpRequest], list[dict[str, Any]]]
# Entries that depend on who the user is, added by the contexts that know it (their
# ``AppConfig.ready`` appends here): the core imports no context.
NAVIGATION_PROVIDERS: list[NavigationProvider] = []


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """Main navigation entries; the one the path is under is marked current (the most specific one
    when entries nest, e.g. ``/surveillance/`` and ``/surveillance/incidents/``)."""
    entries: list[dict[str, Any]] = [
        {"label": _("Accueil"), "url": reverse("home")},
        {"label": _("Référentiels"), "url": reverse("frameworks:list")},
    ]
    for provider in NAVIGATION_PROVIDERS:
        entries += provider(request)
    under = [
        e
        for e in entries
        if (request.path == e["url"] if e["url"] == "/" else request.path.startswith(e["url"]))
    ]
    current = max(under, key=lambda e: len(e["url"]), default=None)
    for entry in entries:
        entry["current"] = entry is current
    return entries


def theme(request: HttpRequest) -> dict[str, Any]:
    name = settings.CERTEVAL_THEME
    # Every UI component renders with the request, so this runs once per component: the
    # navigation (a few queries for the user's roles) is computed once per request.
    if not hasattr(request, "_certeval_nav_items"):
        request._certeval_nav_items = navigation(request)  # type: ignore[attr-defined]
    return {
        "theme": name,
        "theme_base": f"core/themes/{name}/base.html",
        "nav_items": request._certeval_nav_items,  # type: ignore[attr-defined]
    }
