"""Re-authentication for sensitive actions (docs/security-accounts.md, « Re-authentication »).

``require_recent_authentication`` guards a view: when the person's password was last confirmed in
this session more than ``CERTEVAL_REAUTH_MINUTES`` ago, a POST (or the request ``when`` picks) is not
run; the person is sent to ``/comptes/confirmer/`` to type their password, then back to the page to
submit again (the confirmation page says that what they had typed was not sent). Signing in counts
as a confirmation. The API answers 403 with the same instruction instead of a redirect.

Applied to: publication of results (campaign and session), revocation of attestations, role grants
(campaign roles, organisation members, item writers, accounts in the admin). Other contexts decorate
their own views with it (erasure of personal data, for instance).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "certeval_password_confirmed_at"

View = Callable[..., Any]


def mark_recent_authentication(request: HttpRequest) -> None:
    """The person has just typed their password (sign-in, confirmation, password change)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = int(time.time())


def recently_authenticated(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    confirmed = session.get(SESSION_KEY)
    if not isinstance(confirmed, int):
        return False
    return time.time() - confirmed <= int(settings.CERTEVAL_REAUTH_MINUTES) * 60


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: a sign-in is a fresh authentication."""
    if request is not None:
        mark_recent_authentication(request)


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` when it is a path on this site; the home page otherwise."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _return_to(request: HttpRequest) -> str:
    """The page the form was on (its referrer, on this site), else the guarded URL itself."""
    referrer = request.META.get("HTTP_REFERER", "")
    if referrer and url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referrer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def confirmation_url(request: HttpRequest) -> str:
    return reverse("accounts:confirm_password") + "?" + urlencode({"next": _return_to(request)})


def _ask_password(request: HttpRequest) -> HttpResponse:
    url = confirmation_url(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "Confirmez votre mot de passe avant cette action : elle n'a pas été faite. "
                    "Confirmez-le à l'adresse indiquée, puis recommencez."
                ),
                "confirm_url": url,
            },
            status=403,
        )
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def posted(name: str, value: str) -> Callable[[HttpRequest], bool]:
    """A ``when`` for a POST whose form field, or JSON body field, ``name`` is ``value`` (the
    transition of a campaign to « published », for instance)."""

    def check(request: HttpRequest) -> bool:
        if request.method != "POST":
            return False
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return False
            return isinstance(body, dict) and body.get(name) == value
        return request.POST.get(name) == value

    return check


def require_recent_authentication(
    view: View | None = None, *, when: Callable[[HttpRequest], bool] | None = None
) -> Any:
    """Decorate a view (below ``login_required``): a POST — or, with ``when``, a request it picks
    — needs a password confirmed in this session less than ``CERTEVAL_REAUTH_MINUTES`` ago."""

    def decorate(function: View) -> View:
        @wraps(function)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            sensitive = when(request) if when is not None else request.method == "POST"
            if sensitive and request.user.is_authenticated and not recently_authenticated(request):
                return _ask_password(request)
            return function(request, *args, **kwargs)

        # The API (django-ninja) reads the view's parameters from its signature: give it the
        # function's own, with its annotations resolved in the function's module.
        with contextlib.suppress(NameError):
            guarded.__signature__ = inspect.signature(function, eval_str=True)  # type: ignore[attr-defined]
        return guarded

    return decorate(view) if view is not None else decorate
