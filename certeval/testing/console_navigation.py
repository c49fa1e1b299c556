"""The main navigation's entries for proctored sessions (registered in the core's navigation by
``TestingConfig.ready``): « Espace surveillant » for invigilators and for those who run a campaign
with proctored sessions, « Incidents à décider » for organisers with incidents to decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.roles import Role
from certeval.campaigns.permissions import roles_of
from certeval.testing.permissions import deliveries_invigilated, has_incidents_to_decide


def console_entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    roles = roles_of(user)
    entries = []
    staff = bool(roles & {Role.ORGANISER, Role.ADMINISTRATOR})
    if Role.INVIGILATOR in roles or (staff and deliveries_invigilated(user).exists()):
        entries.append({"label": _("Espace surveillant"), "url": reverse("console:index")})
    if staff and has_incidents_to_decide(user):
        entries.append({"label": _("Incidents à décider"), "url": reverse("console:incidents")})
    return entries
