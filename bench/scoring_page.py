"""Server time and query count of a juror's scoring page (the full Annexe 3 grid with descriptors).

Usage: ``.venv/bin/python bench/scoring_page.py [REQUESTS]`` (default 100). Builds the demo in a
throw-away SQLite database (``certeval demo``), signs in as the demo juror, then requests the
scoring page of one of their orals through Django's test client (no network: pure server time,
templates and queries included) and prints the median, p95 and maximum time and the query count.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    os.environ["CERTEVAL_VAR_DIR"] = tempfile.mkdtemp(prefix="certeval-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from certeval.accounts.models import User
    from certeval.juries.models import OralSlot

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    print(f"demo built in {time.perf_counter() - started:.1f} s")

    juror_email = "jure@demo.certeval.fr"
    slot = (
        OralSlot.objects.filter(jury__members__juror__user__email=juror_email)
        .exclude(grid_scores__juror__user__email=juror_email, grid_scores__submitted_at__isnull=False)
        .order_by("pk")
        .first()
    )
    if slot is None:
        raise SystemExit("the demo juror has no oral left to score")
    client = Client()
    # force_login: the sign-in lockout backend refuses an authentication without a request.
    client.force_login(User.objects.get(email=juror_email))
    url = reverse("juries:score", args=[slot.pk])
    response = client.get(url)  # warm-up: templates, référentiel cache
    assert response.status_code == 200, response.status_code
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"scoring page {url}: {len(response.content) // 1024} KiB, {len(queries)} queries")
    print(
        f"{requests} requests: median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target < 150 ms)"
    )


if __name__ == "__main__":
    main()
