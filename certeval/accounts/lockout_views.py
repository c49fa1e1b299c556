"""The page a locked-out sign-in gets (django-axes' ``AXES_LOCKOUT_CALLABLE``): French, status 429,
when to retry and how to recover (docs/security-accounts.md)."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from certeval.accounts.lockout import lockout_state

STATUS = 429


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    state = lockout_state(request, credentials)
    minutes = None
    if state.retry_at is not None:
        minutes = max(1, math.ceil((state.retry_at - timezone.now()).total_seconds() / 60))
    response = render(
        request,
        "accounts/lockout.html",
        {
            "account_locked": state.account,
            "address_locked": state.address,
            "retry_at": state.retry_at,
            "minutes": minutes,
        },
        status=STATUS,
    )
    if minutes is not None:
        response["Retry-After"] = str(minutes * 60)
    return response
