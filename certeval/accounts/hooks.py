"""What the contexts above accounts add to it without accounts importing them: the audit context
registers here how an account event is written to the audit log (sign-in events come from Django's
and django-axes' signals; these are the ones the accounts pages raise themselves)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from certeval.accounts.models import User

# Called inside the transaction of the change, with keyword arguments: action (an audit action code),
# request, actor (who acted, or None), person (the account concerned, or None), email (the address
# typed, when no account is known), refused (an attempt turned down) and data (more details).
ACCOUNT_EVENT: list[Callable[..., Any]] = []


def register[F](registry: list[F], function: F) -> None:
    """Add ``function`` once (``ready`` may run more than once in tests)."""
    if function not in registry:
        registry.append(function)


def account_event(
    *,
    action: str,
    request: HttpRequest | None,
    actor: User | None,
    person: User | None,
    email: str = "",
    refused: bool = False,
    data: dict[str, Any] | None = None,
) -> None:
    for record in ACCOUNT_EVENT:
        record(
            action=action,
            request=request,
            actor=actor,
            person=person,
            email=email,
            refused=refused,
            data=data or {},
        )
