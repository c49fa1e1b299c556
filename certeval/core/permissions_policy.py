"""The ``Permissions-Policy`` header on every response: the powerful browser features Certeval never
uses are denied to the page and to anything it could embed (docs/security-http.md).

``CERTEVAL_PERMISSIONS_POLICY`` maps each feature to its allowlist (``()`` denies it, ``(self)``
allows it to the site's own pages). Passkeys (WebAuthn) need ``publickey-credentials-get`` and
``-create`` on the site itself; nothing else is needed anywhere: the proctored test (``/epreuve/``)
uses neither the camera nor full screen (the remote invigilator watches through the visio tool,
outside the browser tab of the test), reading aloud uses speech synthesis, which no policy gates.
A page that one day needs a feature opens exactly that one with :func:`permissions_policy`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Permissions-Policy"
DENY = "()"
SELF = "(self)"

DEFAULT_PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": DENY,
    "autoplay": DENY,
    "camera": DENY,
    "display-capture": DENY,
    "fullscreen": DENY,
    "geolocation": DENY,
    "gyroscope": DENY,
    "hid": DENY,
    "magnetometer": DENY,
    "microphone": DENY,
    "midi": DENY,
    "payment": DENY,
    "publickey-credentials-create": SELF,
    "publickey-credentials-get": SELF,
    "screen-wake-lock": DENY,
    "serial": DENY,
    "usb": DENY,
    "xr-spatial-tracking": DENY,
}

OVERRIDE_ATTRIBUTE = "_certeval_permissions_policy"


def build_header(policy: Mapping[str, str]) -> str:
    return ", ".join(f"{feature}={allowlist}" for feature, allowlist in policy.items())


def permissions_policy(
    **features: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Open features on one view's responses only, e.g. ``@permissions_policy(camera=SELF)``
    (underscores in the feature names become dashes)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            setattr(response, OVERRIDE_ATTRIBUTE, {k.replace("_", "-"): v for k, v in features.items()})
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            policy = dict(getattr(settings, "CERTEVAL_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY))
            policy.update(getattr(response, OVERRIDE_ATTRIBUTE, {}))
            if policy:
                response[HEADER] = build_header(policy)
        return response
