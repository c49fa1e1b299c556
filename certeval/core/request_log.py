"""One log line and the metrics of every request, with a request id (docs/deployment.md, « Logs »).

:class:`RequestLogMiddleware` comes first in ``MIDDLEWARE``: it takes the ``X-Request-ID`` the proxy
sent (letters, digits, ``.``, ``_``, ``-``; at most 128 characters) or makes one, returns it in the
response's ``X-Request-ID`` header, puts it on every log record of the request (:class:`RequestIdFilter`)
and, once the response is ready, writes one line on the ``certeval.request`` logger: method, route
name, path, status, duration in milliseconds, the user's id (never their e-mail) and the request id.
The same figures feed ``certeval_http_requests_total`` and the latency histogram of ``/metrics``.

The route name is the URL pattern's name (``juries:score``), so that the metrics do not grow one
series per object; the path is in the log line only. ``CERTEVAL_REQUEST_LOG`` turns the line off
(off by default with ``DEBUG=1``, where the development server prints its own).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from certeval.core import metrics

logger = logging.getLogger("certeval.request")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_current_id: ContextVar[str] = ContextVar("certeval_request_id", default="")


def current_request_id() -> str:
    return _current_id.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record written while a request is served (empty otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _current_id.get()
        return True


def request_id_of(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _VALID_ID.match(given) else uuid.uuid4().hex


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return str(match.view_name)
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def user_id_of(request: HttpRequest) -> int | None:
    """The signed-in user's id, only if the request already loaded them (the log never adds a
    query: /sante/ stays free of the database)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is empty:
        return None
    target = wrapped if wrapped is not None else user
    if not getattr(target, "is_authenticated", False):
        return None
    pk = getattr(target, "pk", None)
    return int(pk) if pk is not None else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current_id.set(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            seconds = time.perf_counter() - started
            route = route_of(request)
            metrics.observe_request(route, request.method or "", response.status_code, seconds)
            if getattr(settings, "CERTEVAL_REQUEST_LOG", True):
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "route": route,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                        "user_id": user_id_of(request),
                        "request_id": request_id,
                    },
                )
            return response
        finally:
            _current_id.reset(token)
