from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """Main navigation entries, each marked current when the path is under it."""
    entries: list[dict[str, Any]] = [
        {"label": _("Accueil"), "url": reverse("core:home")},
        {"label": _("Référentiels"), "url": reverse("frameworks:list")},
    ]
    entries += role_entries(request)
    for entry in entries:
        url = entry["url"]
        entry["current"] = request.path == url if url == "/" else request.path.startswith(url)
    return entries


def role_entries(request: HttpRequest) -> list[dict[str, Any]]:
    """Entries shown according to the user's roles (see certeval.accounts.permissions)."""
    from certeval.accounts.permissions import roles_of
    from certeval.accounts.roles import Role

    user = getattr(request, "user", None)  # absent on requests that skipped the middleware
    if user is None:
        return []
    roles = roles_of(user)
    entries = []
    if Role.CANDIDATE in roles:
        entries.append({"label": _("Mes certifications"), "url": reverse("dossiers:mine")})
    if roles & {Role.ORGANISER, Role.ADMINISTRATOR, Role.INVIGILATOR}:
        entries.append({"label": _("Campagnes"), "url": reverse("campaigns:list")})
    if roles & {Role.JUROR, Role.PRESIDENT}:
        entries.append({"label": _("Dossiers à lire"), "url": reverse("campaigns:reviews")})
    if roles & {Role.JUROR, Role.PRESIDENT, Role.ORGANISER, Role.ADMINISTRATOR}:
        entries.append({"label": _("Mes jurys"), "url": reverse("juries:mine")})
    if Role.ADMINISTRATOR in roles:
        entries.append({"label": _("Journal d'audit"), "url": reverse("audit:global")})
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
