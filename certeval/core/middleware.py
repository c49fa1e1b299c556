"""French by default: the interface language is French unless the person chose another one.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a French public-service
platform shows French to everyone and English only to those who pick it in the header's language
selector (stored in the language cookie). This middleware, placed before ``LocaleMiddleware``,
hides ``Accept-Language`` so only that explicit choice counts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ExplicitLanguageChoiceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
