"""The main navigation's « Banques de questions » entry, for item writers and the banks' managers
(registered in the core's navigation by ``TestingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.permissions import is_administrator
from certeval.accounts.roles import Role
from certeval.campaigns.permissions import roles_of
from certeval.testing.models import ItemWriter
from certeval.testing.permissions import banks_managed


def item_bank_entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    shown = (
        is_administrator(user)
        or ItemWriter.objects.filter(user=user).exists()
        or (Role.ORGANISER in roles_of(user) and bool(banks_managed(user)))
    )
    return [{"label": _("Banques de questions"), "url": reverse("items:index")}] if shown else []
