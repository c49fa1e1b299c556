"""/sante/ (liveness), /pret/ (readiness) and /metrics (docs/deployment.md)."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from certeval.core import health_views, metrics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_migration_state() -> Iterator[None]:
    health_views.forget_migrations_state()
    yield
    health_views.forget_migrations_state()


def test_liveness_answers_without_the_database(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_readiness_lists_every_check_when_ready(client: Client) -> None:
    response = client.get("/pret/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok", "tasks": "ok"},
    }


def test_readiness_fails_with_an_unapplied_migration(client: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'core' OR app = 'audit'")
    response = client.get("/pret/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "failing"
    assert body["failing"] == ["migrations"]
    assert body["checks"]["database"] == "ok"


def test_readiness_fails_when_storage_refuses_writes(client: Client) -> None:
    with mock.patch.object(health_views.default_storage, "save", side_effect=PermissionError("read-only")):
        response = client.get("/pret/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert "read-only" not in response.content.decode()  # the reason goes to the log only


def test_readiness_checks_the_task_table(client: Client) -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        assert client.get("/pret/").json()["checks"]["tasks"] == "ok"
        with mock.patch.object(metrics, "task_counts", side_effect=RuntimeError("no table")):
            response = client.get("/pret/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["tasks"]


def test_readiness_fails_everything_without_the_database(client: Client) -> None:
    down = mock.Mock(side_effect=RuntimeError("down"))
    with mock.patch.dict(health_views.CHECKS, {"database": down}):
        response = client.get("/pret/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database", "migrations", "storage", "tasks"]


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_expose_requests_logins_answers_and_the_queue(client: Client) -> None:
    before = client.get("/metrics").content.decode()
    client.get("/sante/")
    client.post("/comptes/connexion/", {"username": "nobody@example.org", "password": "wrong-password"})
    metrics.answer_stored("placement")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = response.content.decode()
    requests = "certeval_http_requests_total"
    labels = {"route": "core:health", "method": "GET", "status": "200"}
    assert _sample(after, requests, **labels) == _sample(before, requests, **labels) + 1
    assert "certeval_http_request_duration_seconds_bucket{" in after
    assert _sample(after, "certeval_logins_total", result="failure") == (
        _sample(before, "certeval_logins_total", result="failure") + 1
    )
    assert _sample(after, "certeval_answers_stored_total", kind="placement") == (
        _sample(before, "certeval_answers_stored_total", kind="placement") + 1
    )
    assert 'certeval_task_queue_depth{status="READY"} 0.0' in after


@override_settings(CERTEVAL_METRICS_TOKEN="s3cret-token-for-the-scraper")
def test_metrics_refuse_a_remote_address_without_the_token(client: Client) -> None:
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", **remote).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **remote).status_code == 403
    forwarded = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7")  # a local proxy forwarding
    assert forwarded.status_code == 403
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-the-scraper", **remote)
    assert allowed.status_code == 200
    assert b"certeval_http_requests_total" in allowed.content


@override_settings(CERTEVAL_METRICS_TOKEN="")
def test_metrics_without_a_token_setting_are_loopback_only(client: Client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
