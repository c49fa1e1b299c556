"""A URLconf for the body-cap tests: spy views that record being called, an ordinary form route, an
upload route and an API upload operation, beside the site's own routes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from ninja import File, NinjaAPI
from ninja.files import UploadedFile

from certeval.core.body_limits import UPLOAD, body_limit
from certeval.urls import urlpatterns as site_urlpatterns

CALLS: list[str] = []


@csrf_exempt
def form_view(request: HttpRequest) -> HttpResponse:
    CALLS.append("form")
    return HttpResponse(f"{len(request.POST.get('text', ''))}")


@csrf_exempt
def raw_reader(request: HttpRequest) -> HttpResponse:
    """A careless reader of the raw WSGI input, past the declared length."""
    CALLS.append("raw")
    data = request.META["wsgi.input"].read()
    return HttpResponse(f"{len(data)}")


@body_limit(UPLOAD)
@csrf_exempt
def upload_view(request: HttpRequest) -> HttpResponse:
    CALLS.append("upload")
    return HttpResponse(f"{sum(f.size for f in request.FILES.values())}")


test_api = NinjaAPI(urls_namespace="body-limit-test-api", docs_url=None, openapi_url=None)


@test_api.post("/files")
@body_limit(UPLOAD)
def api_upload(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    CALLS.append("api-upload")
    return {"size": file.size}


@test_api.post("/echo")
def api_echo(request: HttpRequest) -> dict[str, Any]:
    CALLS.append("api-echo")
    return {"size": len(request.body)}


urlpatterns = [
    path("essai/formulaire/", form_view),
    path("essai/brut/", raw_reader),
    path("essai/depot/", upload_view),
    path("api/essai/", test_api.urls),
    *site_urlpatterns,
]
