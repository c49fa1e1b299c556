"""Sign-ins, failures, lockouts and password events in the audit log (docs/security-accounts.md,
« What is logged »).

Django's ``user_logged_in`` / ``user_logged_out`` / ``user_login_failed`` signals, django-axes'
``user_locked_out`` and the accounts pages' own events (``certeval.accounts.hooks``) each write one
row on the account concerned: the address the request came from and, for attempts, the e-mail typed.
A failed attempt has no author (whoever typed it is unknown); when no account has the e-mail typed,
the row names no account. Sign-ins that do not come from a web request (the test client's
``force_login``, the shell) write nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from certeval.accounts.client_address import client_address
from certeval.accounts.lockout import attempted_username
from certeval.accounts.models import User
from certeval.audit.models import AuditEvent

USER_LABEL = "accounts.user"


def _from_the_web(request: HttpRequest | None) -> bool:
    """A request a client sent (WSGI or ASGI), not the bare request of ``Client.force_login``."""
    return request is not None and (hasattr(request, "environ") or hasattr(request, "scope"))


def _account(email: str | None) -> User | None:
    return User.objects.filter(email__iexact=email).first() if email else None


def record_account_event(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None,
    person: User | None,
    email: str = "",
    refused: bool = False,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """One row about an account (or about an e-mail no account has), in its own transaction or the
    caller's. The second factor's events (``certeval.accounts.otp_services``) come without a request."""
    details: dict[str, Any] = {}
    if email:
        details["email"] = email
    if request is not None:
        details["address"] = client_address(request)
    details.update(data or {})
    with transaction.atomic():
        return AuditEvent.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            outcome=AuditEvent.Outcome.REFUSED if refused else AuditEvent.Outcome.DONE,
            target_type=USER_LABEL,
            target_id=str(person.pk) if person is not None else "",
            data=details,
            person=person,
        )


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if _from_the_web(request):
        record_account_event(action="account.login", request=request, actor=user, person=user)


def on_logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if _from_the_web(request) and user is not None:
        record_account_event(action="account.logout", request=request, actor=user, person=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if not _from_the_web(request):
        return
    assert request is not None  # see _from_the_web
    email = attempted_username(request, credentials) or ""
    locked = bool(getattr(request, "certeval_locked_before", False))
    if getattr(request, "certeval_reauth", False):
        user = request.user if request.user.is_authenticated else None
        record_account_event(
            action="account.reauth_failed",
            request=request,
            actor=user,
            person=user,
            refused=True,
            data={"locked": locked},
        )
        return
    record_account_event(
        action="account.login_failed",
        request=request,
        actor=None,
        person=_account(email),
        email=email,
        refused=True,
        data={"locked": locked},
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    """The attempt that starts a lockout (attempts refused during it are ``account.login_failed``
    rows marked as made while locked out)."""
    if not _from_the_web(request) or getattr(request, "certeval_locked_before", False):
        return
    assert request is not None  # see _from_the_web
    flags = getattr(request, "certeval_lockout", {}) or {}
    email = (username or "").lower()
    record_account_event(
        action="account.lockout",
        request=request,
        actor=None,
        person=_account(email),
        email=email,
        refused=True,
        data={"account_locked": bool(flags.get("account")), "address_locked": bool(flags.get("address"))},
    )


def connect() -> None:
    """Called by the audit app's ``ready``."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    from certeval.accounts import hooks

    user_logged_in.connect(on_logged_in, dispatch_uid="certeval.audit.account_events.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="certeval.audit.account_events.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="certeval.audit.account_events.failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="certeval.audit.account_events.locked_out")
    hooks.register(hooks.ACCOUNT_EVENT, record_account_event)

