"""Prometheus metrics of the site (docs/deployment.md, « Monitoring »).

The lowest layer defines every metric, so that any context may count without importing upwards: the
online test's single answer path (``certeval.testing.answer_services.record_answer``) calls
:func:`answer_stored` once an answer is committed, the request log middleware calls
:func:`observe_request`, and the login signals are connected in ``CoreConfig.ready``.

Several application server processes share their counts through prometheus-client's multiprocess
mode: ``certeval production`` sets ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory) before it starts
them, every process writes its values there, and ``/metrics`` (:func:`exposition`) adds them up. The
task queue's depth is not counted but read from django-tasks-db's table when ``/metrics`` is scraped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Latency buckets around the goal of the issue (p95 < 200 ms), in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "certeval_http_requests",
    "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "certeval_http_request_duration_seconds",
    "Time to answer an HTTP request, from the first middleware to the response, by route name.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
ANSWERS_STORED = Counter(
    "certeval_answers_stored",
    "Answers stored by the online tests (placement run, training, proctored test), by kind of run.",
    ["kind"],
)
LOGINS = Counter(
    "certeval_logins",
    "Sign-in attempts, by result (success or failure).",
    ["result"],
)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    HTTP_LATENCY.labels(route=route, method=method).observe(seconds)


def answer_stored(kind: str) -> None:
    ANSWERS_STORED.labels(kind=kind or "unknown").inc()


def login_succeeded(**_kwargs: object) -> None:
    LOGINS.labels(result="success").inc()


def login_failed(**_kwargs: object) -> None:
    LOGINS.labels(result="failure").inc()


class TaskQueueCollector(Collector):
    """The number of background tasks per status, read from django-tasks-db's table at each scrape
    (nothing when another task backend is configured, e.g. the immediate one of the tests)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "certeval_task_queue_depth",
            "Background tasks in django-tasks-db's table, by status (READY = waiting for a worker).",
            labels=["status"],
        )
        for status, count in task_counts().items():
            family.add_metric([status], count)
        yield family


def task_backend_is_database() -> bool:
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return str(backend).startswith("django_tasks_db.")


def task_counts() -> dict[str, int]:
    """Tasks per status; every status is present (0 when none)."""
    if not task_backend_is_database():
        return {}
    from django.db.models import Count
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    counts = {status.value: 0 for status in TaskResultStatus}
    for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by():
        counts[str(row["status"])] = int(row["n"])
    return counts


def exposition() -> bytes:
    """The text exposition format: every process's counters (multiprocess mode) or this process's,
    plus the task queue's depth."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(TaskQueueCollector())
    return generate_latest(registry)


class _ProcessMetrics(Collector):
    """This process's own metrics (single-process mode: the development server, the tests)."""

    def collect(self) -> Iterator[object]:  # type: ignore[override]
        yield from REGISTRY.collect()
