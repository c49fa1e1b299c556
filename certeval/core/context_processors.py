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
    """Main navigation entries, each marked current when the path is under it."""
    entries: list[dict[str, Any]] = [
        {"label": _("Accueil"), "url": reverse("home")},
        {"label": _("Référentiels"), "url": reverse("frameworks:list")},
    ]
    for provider in NAVIGATION_PROVIDERS:
        entries += provider(request)
    for entry in entries:
        url = entry["url"]
        entry["current"] = request.path == url if url == "/" else request.path.startswith(url)
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
