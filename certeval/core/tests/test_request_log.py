"""One JSON log line per request, with the request id; exceptions with their traceback
(certeval/core/request_log.py, docs/deployment.md « Logs »)."""

from __future__ import annotations

import io
import json
import logging
import secrets
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from pythonjsonlogger.json import JsonFormatter

from certeval.campaigns.tests.factories import UserFactory
from certeval.core.request_log import RequestIdFilter

pytestmark = pytest.mark.django_db


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("une erreur de test")


urlpatterns = [path("casse/", broken, name="broken"), path("", include("certeval.urls"))]


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The records of the request and error loggers, formatted as production formats them."""
    config = settings.LOGGING["formatters"]["json"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(config["format"], rename_fields=config["rename_fields"], timestamp=config["timestamp"])
    )
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("certeval.request"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@override_settings(CERTEVAL_REQUEST_LOG=True)
def test_one_json_line_per_request_with_user_id_route_and_request_id(json_lines: io.StringIO) -> None:
    user = UserFactory(email="personne@example.org")
    client = Client()
    client.force_login(user)
    response = client.get("/accessibilite/", HTTP_X_REQUEST_ID="proxy-id-42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-42"
    [line] = [r for r in records(json_lines) if r["logger"] == "certeval.request"]
    assert line["method"] == "GET"
    assert line["route"] == "core:accessibility"
    assert line["path"] == "/accessibilite/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == user.pk
    assert line["request_id"] == "proxy-id-42"
    assert line["level"] == "INFO" and str(line["timestamp"]).endswith("+00:00")
    assert "personne@example.org" not in json_lines.getvalue()


@override_settings(CERTEVAL_REQUEST_LOG=True)
def test_a_request_id_is_made_when_missing_or_malformed(json_lines: io.StringIO, client: Client) -> None:
    first = client.get("/sante/")
    second = client.get("/sante/", HTTP_X_REQUEST_ID="bad id\nwith a newline")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert "newline" not in second["X-Request-ID"]
    lines = [r for r in records(json_lines) if r["logger"] == "certeval.request"]
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert all(line["user_id"] is None and line["route"] == "core:health" for line in lines)


@override_settings(CERTEVAL_REQUEST_LOG=True, ROOT_URLCONF=__name__)
def test_an_exception_is_logged_with_its_traceback_and_request_id(json_lines: io.StringIO) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/casse/", HTTP_X_REQUEST_ID="err-1")
    assert response.status_code == 500
    lines = records(json_lines)
    error = next(r for r in lines if r["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "err-1"
    assert "Traceback" in str(error["exc_info"]) and "une erreur de test" in str(error["exc_info"])
    request_line = next(r for r in lines if r["logger"] == "certeval.request")
    assert (request_line["status"], request_line["route"]) == (500, "broken")


def test_json_is_the_default_format_in_production_and_text_can_be_chosen() -> None:
    probe = "from django.conf import settings; print(settings.LOG_FORMAT, settings.CERTEVAL_REQUEST_LOG)"
    key = secrets.token_urlsafe(50)  # production settings refuse a weak key (docs/security-http.md)
    env = {"DJANGO_SETTINGS_MODULE": "certeval.settings", "SECRET_KEY": key, "PATH": "/usr/bin:/bin"}

    def run(**extra: str) -> str:
        command = [sys.executable, "-c", f"import django; django.setup(); {probe}"]
        result = subprocess.run(command, env={**env, **extra}, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run(DEBUG="0") == "json True"
    assert run(DEBUG="1", LOG_FORMAT="json") == "json False"
