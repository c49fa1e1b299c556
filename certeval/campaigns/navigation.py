"""The main navigation's entries that depend on the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.roles import Role
from certeval.campaigns.permissions import campaigns_run, organises_an_organisation, roles_of


def role_entries(request: HttpRequest) -> list[dict[str, Any]]:
    """The main navigation's entries for the user's roles (registered in the core's navigation by
    ``CampaignsConfig.ready``); other contexts' pages are named by their URL names."""
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
    # Juries are run campaign-wide: an organiser limited to an academy has none to see.
    runs_a_campaign = bool(roles & {Role.ORGANISER, Role.ADMINISTRATOR}) and campaigns_run(user).exists()
    if roles & {Role.JUROR, Role.PRESIDENT} or runs_a_campaign:
        entries.append({"label": _("Mes jurys"), "url": reverse("juries:mine")})
    if Role.TEACHER in roles:
        entries.append({"label": _("Mes étudiants"), "url": reverse("juries:teacher_students")})
    if Role.ADMINISTRATOR in roles or organises_an_organisation(user):
        entries.append({"label": _("Organisations"), "url": reverse("campaigns:organisations")})
    if Role.ADMINISTRATOR in roles:
        entries.append({"label": _("Journal d'audit"), "url": reverse("audit:global")})
    return entries
