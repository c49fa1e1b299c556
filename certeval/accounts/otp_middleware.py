"""Staff sessions (docs/security-2fa.md): the idle timeout and the second factor.

Placed after django-otp's ``OTPMiddleware`` (which tells whether the session verified a device) and
the messages. For a signed-in person:

- a staff person (``certeval.accounts.staff``) idle for more than ``CERTEVAL_STAFF_IDLE_MINUTES`` is
  signed out and sent to the sign-in page, which says why;
- a session without a verified second factor, for a staff person (when ``CERTEVAL_OTP_REQUIRED``) or
  anyone who set one up (candidates who opted in), reaches only the second-factor pages, sign-out,
  static files, the language switch and the health endpoints: pages redirect to the verification
  (a device exists) or to the setup (first sign-in); the API answers 403 in JSON.

Whether a person is staff and has a device is kept in the session for ``RECHECK_SECONDS`` (a role
granted during a session counts at the latest that much later), so pages cost no extra query.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from certeval.accounts.otp_services import has_device
from certeval.accounts.staff import is_staff_person

STATUS_KEY = "certeval_2fa_status"  # [user id, staff, has a device, checked at (epoch seconds)]
ACTIVITY_KEY = "certeval_last_activity"  # epoch seconds of the last request of a staff session
RECHECK_SECONDS = 300
# The last activity is written at most once a minute (a session write per request otherwise).
ACTIVITY_WRITE_SECONDS = 60
SECOND_FACTOR_PREFIX = "/comptes/second-facteur/"
# Reached without a verified second factor (besides the second-factor pages themselves).
OPEN_PREFIXES = (
    "/comptes/connexion/",
    "/comptes/deconnexion/",
    "/i18n/",
    # Liveness, readiness and metrics (docs/deployment.md): probes, not pages about anyone.
    "/sante/",
    "/pret/",
    "/metrics",
)
# Second-factor pages that need a verified session (an administrator's reset of someone else).
VERIFIED_ONLY = (SECOND_FACTOR_PREFIX + "reinitialiser/",)


def _status(request: HttpRequest) -> tuple[bool, bool]:
    """(staff, has a device) for the signed-in person, from the session when recent."""
    user = request.user
    now = time.time()
    stored = request.session.get(STATUS_KEY)
    if (
        isinstance(stored, list)
        and len(stored) == 4
        and stored[0] == user.pk
        and now - stored[3] < RECHECK_SECONDS
    ):
        return bool(stored[1]), bool(stored[2])
    staff = is_staff_person(user, request)
    device = has_device(user)  # type: ignore[arg-type]
    request.session[STATUS_KEY] = [user.pk, staff, device, now]
    return staff, device


def forget_status(request: HttpRequest) -> None:
    """Ask again at the next request (after a device is added, removed or reset)."""
    request.session.pop(STATUS_KEY, None)


def _idle_expired(request: HttpRequest) -> bool:
    now = time.time()
    last = request.session.get(ACTIVITY_KEY)
    if isinstance(last, (int, float)) and now - last > settings.CERTEVAL_STAFF_IDLE_MINUTES * 60:
        return True
    if not isinstance(last, (int, float)) or now - last >= ACTIVITY_WRITE_SECONDS:
        request.session[ACTIVITY_KEY] = now
    return False


def _open(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    if path.startswith(static) or path.startswith(OPEN_PREFIXES):
        return True
    return path.startswith(SECOND_FACTOR_PREFIX) and not path.startswith(VERIFIED_ONLY)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._check(request)
        return refused if refused is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(settings.STATIC_URL or "/static/") or not request.user.is_authenticated:
            return None
        staff, device = _status(request)
        api = path.startswith("/api/")
        if staff and _idle_expired(request):
            logout(request)
            if api:
                return None  # answered as for anyone signed out
            messages.info(
                request,
                _(
                    "Votre session a pris fin après %(minutes)d minutes sans activité, pour protéger les "
                    "données des candidats. Connectez-vous de nouveau."
                )
                % {"minutes": settings.CERTEVAL_STAFF_IDLE_MINUTES},
            )
            return _redirect(
                request, reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
            )
        required = device or (staff and settings.CERTEVAL_OTP_REQUIRED)
        if not required or request.user.is_verified() or _open(path):  # type: ignore[attr-defined]
            return None
        if api:
            return JsonResponse(
                {
                    "detail": "Second factor required: verify it at "
                    + reverse("accounts_otp:verify")
                    + " first."
                },
                status=403,
            )
        target = reverse("accounts_otp:verify" if device else "accounts_otp:manage")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return _redirect(request, target)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, or for htmx a full-page navigation (not the page swapped into a fragment)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
