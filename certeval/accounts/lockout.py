"""Sign-in lockout with django-axes (docs/security-accounts.md, « Lockout »).

Failures are counted over ``CERTEVAL_LOGIN_LOCKOUT_MINUTES`` twice, separately: per account (the
e-mail typed, lower-cased, whatever the address) against ``CERTEVAL_LOGIN_FAILURES_PER_ACCOUNT``,
and per client address (whatever the account) against ``CERTEVAL_LOGIN_FAILURES_PER_ADDRESS``. A
successful sign-in clears the account's own failures only (not the address's: one valid account
must not reset an address that guesses others' passwords).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The e-mail of a sign-in attempt, as accounts store it (lower-case, no spaces): « ANA@x.fr »
    and « ana@x.fr » count against the same account."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    if value is None:
        return None
    return str(value).strip().lower() or None


@dataclass(frozen=True)
class LockoutState:
    account: bool
    address: bool
    retry_at: datetime | None


def _recent(request: HttpRequest) -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def _address(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None)


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per account and another per address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The account's failures, or the address's scaled to the account's limit: axes locks out
        when this reaches ``AXES_FAILURE_LIMIT``, that is when either count reaches its own limit."""
        limit = get_failure_limit(request, credentials)
        per_address = max(1, int(settings.CERTEVAL_LOGIN_FAILURES_PER_ADDRESS))
        recent = _recent(request)
        username = get_client_username(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        address = _failures(recent.filter(ip_address=_address(request))) if _address(request) else 0
        request.certeval_lockout = {"account": account >= limit, "address": address >= per_address}  # type: ignore[attr-defined]
        return max(account, address * limit // per_address)

    def is_allowed(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        allowed = bool(super().is_allowed(request, credentials))
        if not allowed:
            # Already locked out before this attempt: the audit log records the refused attempt,
            # not a new lockout.
            request.certeval_locked_before = True  # type: ignore[attr-defined]
        return allowed

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(username=user.get_username()).delete()


def lockout_state(request: HttpRequest, credentials: dict[str, Any] | None = None) -> LockoutState:
    """What is locked out for this request (the account, the address or both) and when sign-in
    opens again: the lockout period after the last failure counted against it."""
    flags = getattr(request, "certeval_lockout", None) or {}
    if not flags:
        LockoutHandler().get_failures(request, credentials)
        flags = getattr(request, "certeval_lockout", {})
    recent = _recent(request)
    username = get_client_username(request, credentials)
    latest: list[datetime] = []
    if flags.get("account") and username:
        latest.append(recent.filter(username=username).aggregate(at=Max("attempt_time"))["at"])
    if flags.get("address") and _address(request):
        latest.append(recent.filter(ip_address=_address(request)).aggregate(at=Max("attempt_time"))["at"])
    cool_off = get_cool_off(request)
    found = [at for at in latest if at is not None]
    retry_at = max(found) + cool_off if found and cool_off else None
    if retry_at is not None and retry_at < timezone.now():
        retry_at = timezone.now()
    return LockoutState(bool(flags.get("account")), bool(flags.get("address")), retry_at)
