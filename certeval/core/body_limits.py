"""Request bodies capped per route, before anything reads them (docs/security-http.md, « Body caps »).

Each route accepts a body up to its cap: by default ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (an ordinary
form or JSON request); an upload route declares its own next to its view with :func:`body_limit`,
naming the setting of the largest file it takes (``CERTEVAL_UPLOAD_MAX_BYTES`` or
``CERTEVAL_UPLOAD_MEDIA_MAX_BYTES``); the cap is then that file plus the ordinary form allowance
(``DATA_UPLOAD_MAX_MEMORY_SIZE``: the other fields and the multipart framing). Settings are read at
each request, so a change of setting needs no code change.

:class:`BodyLimitMiddleware` resolves the route in its ``__call__``, before any ``process_view``
(``CsrfViewMiddleware`` reads the form there) and any view:

- a declared ``Content-Length`` over the cap is answered 413 at once, the body unread, the view not
  called;
- the body stream (``request._stream``) and ``wsgi.input`` are wrapped so that no reader gets past
  the cap, whatever the headers said: a body sent without a length (chunked) that the server hands
  over whole (``wsgi.input_terminated``) is read up to the cap, spooled to disk past
  ``FILE_UPLOAD_MAX_MEMORY_SIZE``, and refused when longer; a read of the raw input past the cap
  stops with :class:`BodyTooLarge` and the answer becomes the same 413.

The 413 is a French page in the site's theme, or ``{"detail": …}`` in French under ``/api/``.
For a django-ninja operation, put ``@body_limit`` under the router's decorator: the cap of an API
path is the largest of its operations' caps.
"""

from __future__ import annotations

import functools
import io
import json
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

UPLOAD = "CERTEVAL_UPLOAD_MAX_BYTES"
MEDIA = "CERTEVAL_UPLOAD_MEDIA_MAX_BYTES"
ATTRIBUTE = "certeval_body_limit"
CHUNK = 64 * 1024

View = TypeVar("View", bound=Callable[..., Any])


def body_limit(limit: str | int) -> Callable[[View], View]:
    """Declare a route's body cap: the name of the setting giving its largest file (``UPLOAD``,
    ``MEDIA``), to which the ordinary form allowance is added, or a number of bytes (exact)."""

    def decorator(view: View) -> View:
        setattr(view, ATTRIBUTE, limit)
        return view

    return decorator


def cap_bytes(limit: str | int | None) -> int:
    """The cap, in bytes, of a declared limit (None: an ordinary route)."""
    if limit is None:
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(limit, int):
        return limit
    return int(getattr(settings, limit)) + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


@functools.cache
def declared_limits(view: Callable[..., Any]) -> tuple[str | int, ...]:
    """What ``view`` declares: its own ``@body_limit``, or for the view of a django-ninja path (a
    closure over the path, ``self``) the limits declared on the path's operations."""
    limit = getattr(view, ATTRIBUTE, None)
    if limit is not None:
        return (limit,)
    names = getattr(getattr(view, "__code__", None), "co_freevars", ())
    if "self" not in names or not view.__closure__:
        return ()
    path_view = view.__closure__[names.index("self")].cell_contents
    operations = getattr(path_view, "operations", None) or []
    return tuple(limit for op in operations if (limit := getattr(op.view_func, ATTRIBUTE, None)) is not None)


def route_cap(path: str, urlconf: str | None = None) -> int:
    """The body cap of the route that serves ``path`` (the default cap when nothing does)."""
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return cap_bytes(None)
    return max((cap_bytes(limit) for limit in declared_limits(view)), default=cap_bytes(None))


class BodyTooLarge(RequestDataTooBig):
    """A reader tried to go past the route's cap."""


class CappedStream(io.RawIOBase):
    """A read-only stream that gives at most ``cap`` bytes of ``stream`` and raises past them."""

    def __init__(self, stream: Any, cap: int, on_exceeded: Callable[[], None]) -> None:
        self.stream = stream
        self.cap = cap
        self.position = 0
        self.on_exceeded = on_exceeded

    def readable(self) -> bool:
        return True

    def _exceeded(self) -> None:
        self.on_exceeded()
        raise BodyTooLarge(f"request body over its route's cap of {self.cap} bytes")

    def _take(self, reader: Callable[[int], bytes], size: int | None) -> bytes:
        room = self.cap + 1 - self.position  # one byte past the cap tells that there is more
        wanted = room if size is None or size < 0 else min(size, room)
        data = reader(wanted) if wanted > 0 else b""
        self.position += len(data)
        if self.position > self.cap:
            self._exceeded()
        return bytes(data)

    def read(self, size: int | None = -1) -> bytes:
        return self._take(self.stream.read, size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._take(self.stream.readline, size)


def too_large_response(request: HttpRequest, cap: int) -> HttpResponse:
    """413 in French: a page in the site's theme, or a JSON message under /api/."""
    megabytes = f"{cap / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")
    message = _(
        "La requête envoyée dépasse la taille maximale acceptée à cette adresse (%(max)s Mo) : "
        "elle a été refusée sans être lue et rien n'a été enregistré."
    ) % {"max": megabytes}
    if request.path_info.startswith("/api/"):
        return HttpResponse(
            json.dumps({"detail": message}, ensure_ascii=False),
            status=413,
            content_type="application/json",
        )
    page = render_to_string("core/body_too_large.html", {"message": message}, request)
    return HttpResponse(page, status=413)


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cap = route_cap(request.path_info, getattr(request, "urlconf", None))
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > cap:
            return too_large_response(request, cap)

        exceeded: list[bool] = []

        def flag() -> None:
            exceeded.append(True)

        raw = request.META.get("wsgi.input")
        if raw is not None:
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if (
                chunked
                and not request.META.get("CONTENT_LENGTH")
                and request.META.get("wsgi.input_terminated")
            ):
                # A body without a length (chunked), handed over whole by the server: read it up to
                # the cap, so that Django parses it like any other.
                spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115 - the request reads it later
                reader = CappedStream(raw, cap, flag)
                try:
                    while chunk := reader.read(CHUNK):
                        spooled.write(chunk)
                except BodyTooLarge:
                    spooled.close()
                    return too_large_response(request, cap)
                length = spooled.tell()
                spooled.seek(0)
                request.META["CONTENT_LENGTH"] = str(length)
                request._stream = spooled  # type: ignore[assignment]
            request.META["wsgi.input"] = CappedStream(raw, cap, flag)
        if hasattr(request, "_stream"):
            request._stream = CappedStream(request._stream, cap, flag)  # type: ignore[assignment]
        response = self.get_response(request)
        if exceeded:
            # Whoever read too far got BodyTooLarge (a 400 by Django's handler, or swallowed):
            # the answer is the refusal, whatever the view made of it.
            return too_large_response(request, cap)
        return response
