"""Liveness, readiness and metrics endpoints for the load balancer and the monitoring
(docs/deployment.md, « Health and readiness », « Monitoring »).

- ``/sante/`` (liveness): the process answers; no database, no session, nothing else.
- ``/pret/`` (readiness): the database answers a query, no migration is left unapplied, the file
  storage accepts a write and the task queue's table can be read; 503 with the failing checks
  otherwise. Only the names of the checks are public; the reasons go to the log.
- ``/metrics``: Prometheus' text format, from loopback (and not forwarded by a proxy) or with
  ``Authorization: Bearer <CERTEVAL_METRICS_TOKEN>``.

None of them shows personal data, and none is cached by a proxy.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from certeval.core import metrics

logger = logging.getLogger("certeval.health")

# Once every migration is applied in this process's database it stays so: a release that adds
# migrations starts new processes. Only a success is remembered.
_migrations_applied = False


def forget_migrations_state() -> None:
    """For the tests: check the migrations again at the next readiness request."""
    global _migrations_applied
    _migrations_applied = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} unapplied migration(s): {names}")
    _migrations_applied = True


def check_storage() -> None:
    name = default_storage.save(f"sante/pret-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def check_tasks() -> None:
    metrics.task_counts()  # reads django-tasks-db's table (nothing to read with another backend)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "storage": check_storage,
    "tasks": check_tasks,
}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name != "database" and results.get("database") == "failing":
            results[name] = "failing"  # nothing else can be read without the database
            continue
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    failing = [name for name, result in results.items() if result != "ok"]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)


def _is_loopback(request: HttpRequest) -> bool:
    """A direct request from this machine: a reverse proxy on the same host adds X-Forwarded-For
    (or X-Real-IP), so what it forwards is not taken for a local request."""
    if request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("HTTP_X_REAL_IP"):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request: HttpRequest) -> bool:
    token = getattr(settings, "CERTEVAL_METRICS_TOKEN", "")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not token or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not (_is_loopback(request) or _has_token(request)):
        return HttpResponse(
            _("Accès réservé à la supervision.") + "\n", status=403, content_type="text/plain"
        )
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
