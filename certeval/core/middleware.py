"""Small cross-cutting middlewares.

``ExplicitLanguageChoiceMiddleware`` — French by default: the interface language is French unless
the person chose another one. Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a French public-service
platform shows French to everyone and English only to those who pick it in the header's language
selector (stored in the language cookie). This middleware, placed before ``LocaleMiddleware``,
hides ``Accept-Language`` so only that explicit choice counts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class ExplicitLanguageChoiceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page served to a signed-in person holds their data (or a candidate's): no shared cache
    (proxy, load balancer) keeps it and the browser does not store it (OWASP ASVS 8.1.1, 8.2.1;
    docs/security-http.md). A view that set its own ``Cache-Control`` keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
