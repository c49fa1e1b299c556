"""Who is a staff person (docs/security-2fa.md): every role that reads or decides about other
people — administrator, organiser, jury president, juror, invigilator, item writer, INSPÉ teacher,
organisation organiser. Staff people must verify a second factor and their sessions end when idle.

The roles live in higher layers (campaigns, testing, juries): each registers a check here in its
``AppConfig.ready()`` (``register_staff_check``). ``is_staff_person`` asks the checks once per
request (the answer is kept on the request).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.db.models import Exists

from certeval.accounts.models import User

StaffCheck = Callable[[User], bool]

STAFF_CHECKS: list[StaffCheck] = []
_CACHE_ATTRIBUTE = "_certeval_is_staff_person"


def register_staff_check(check: StaffCheck) -> None:
    """Add ``check(user) -> bool``: true when ``user`` holds one of the registering app's staff roles."""
    if check not in STAFF_CHECKS:
        STAFF_CHECKS.append(check)


def holds_any(user: User, *related: Any) -> bool:
    """One query: true when any of ``related`` — querysets whose person is ``OuterRef("pk")`` — has a
    row for ``user`` (the staff checks of the contexts use it)."""
    condition = reduce(operator.or_, (Exists(queryset) for queryset in related))
    return User.objects.filter(pk=user.pk).filter(condition).exists()


def _administrator(user: User) -> bool:
    return bool(user.is_superuser or user.is_staff)


register_staff_check(_administrator)


def is_staff_person(user: Any, request: Any = None) -> bool:
    """True when ``user`` holds any staff role; with ``request``, asked once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if request is not None and hasattr(request, _CACHE_ATTRIBUTE):
        return bool(getattr(request, _CACHE_ATTRIBUTE))
    answer = any(check(user) for check in STAFF_CHECKS)
    if request is not None:
        setattr(request, _CACHE_ATTRIBUTE, answer)
    return answer
