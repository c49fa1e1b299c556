"""What every permission policy shares (see docs/permissions.md).

Each bounded context has its own policy module (``certeval.<context>.permissions``) answering
"which objects can this user see" (querysets) and "can this user do X to this object" (booleans),
on the campaign + academy scope of ``certeval.campaigns.permissions``. ``get_visible_or_404``
turns a forbidden object into the same 404 as an absent one, so nobody learns whether an object
they may not see exists.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from certeval.accounts.models import User

M = TypeVar("M", bound=models.Model)


def get_visible_or_404[M: models.Model](queryset: QuerySet[M], **lookup: object) -> M:
    """The object among those visible, or 404 — the same answer for absent and forbidden."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404("No such object.")
    return found


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
