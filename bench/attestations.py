"""Attestation PDFs per minute and the public verification page's latency (issue 12).

Usage: ``.venv/bin/python bench/attestations.py [PDFS] [LOOKUPS]`` (defaults 40 and 1000). Builds a
throw-away SQLite database (migrations, the Pix+ Édu référentiel), 200 candidates each holding a
certification award whose frozen snapshot has the size of a real one (21 competences acquired, 2 to
work on, 3 reasons), then

- renders PDFS attestation PDFs one after the other in this process (WeasyPrint, PDF/UA-1, with the
  QR code) and prints the rate per minute and per-PDF p50/p95 — one process uses one core;
- sends LOOKUPS requests to the verification page ``/verifier/<code>/`` through Django's test client
  (the whole request path in this process, no network): 80 % existing codes, 10 % unknown, 10 %
  malformed, the rate limit lifted for the run; prints p50, p95, p99 and max.

The load is bounded in count (it stops by itself) and touches nothing outside this process.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
import time
from datetime import date


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    pdfs = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    lookups = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    folder = tempfile.mkdtemp(prefix="certeval-bench-")
    os.environ["CERTEVAL_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from certeval.accounts.models import User
    from certeval.campaigns.models import Candidate
    from certeval.domain.awards import CODE_ALPHABET, new_code
    from certeval.frameworks.models import FrameworkVersion
    from certeval.frameworks.services import DATA_DIR, framework_publish_file
    from certeval.results.award_pdf import attestation_pdf
    from certeval.results.models import Award

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are expected
    settings.ALLOWED_HOSTS = ["*"]
    settings.CERTEVAL_VERIFICATION = {"rate_limit": 10**9, "rate_window_seconds": 60}
    call_command("migrate", verbosity=0)
    framework_publish_file(path=DATA_DIR / "crcn.yaml")
    framework_publish_file(path=DATA_DIR / "pix-plus-edu.yaml")
    version = FrameworkVersion.objects.get(framework_id="pix-plus-edu")
    snapshot = {
        "certification": version.title,
        "framework": version.framework_id,
        "framework_version": version.label,
        "level_label": "Avancé",
        "acquired": [
            [f"{d}.{c} Compétence {d}.{c} du CRCN-Édu, intitulé de longueur réelle", "Avancé"]
            for d in range(1, 8)
            for c in range(1, 4)
        ],
        "to_work_on": [
            ["8.1 Partager une expérience professionnelle", "Confirmé"],
            ["8.2 Faire le point sur ses acquis professionnels", "Initié"],
        ],
        "reasons": [
            "Grille de consensus : niveau Avancé (12 critères au niveau Avancé ou au-dessus).",
            "Entretien : niveau Avancé.",
            "Volet automatisé : niveau Avancé, valable jusqu'au 01/03/2029.",
        ],
    }
    awards: list[Award] = []
    used: set[int] = set()
    for n in range(200):
        user = User.objects.create_user(f"bench{n}@example.org", "x")
        candidate = Candidate.objects.create(
            user=user,
            birth_name=f"Banc{n}",
            first_names="Camille",
            birth_date=date(1985, 4, 12),
            email=user.email,
        )
        index = secrets.randbelow(131072)
        while index in used:
            index = secrets.randbelow(131072)
        used.add(index)
        awards.append(
            Award.objects.create(
                kind=Award.Kind.CERTIFICATION,
                candidate=candidate,
                framework_version=version,
                level="avance",
                snapshot=snapshot,
                awarded_on=date(2026, 6, 30),
                valid_from=date(2026, 6, 30),
                code=new_code(),
                status_index=index,
            )
        )

    attestation_pdf(awards[0])  # fonts and templates loaded once
    times: list[float] = []
    size = 0
    started = time.perf_counter()
    for i in range(pdfs):
        t = time.perf_counter()
        size += len(attestation_pdf(awards[i % len(awards)]))
        times.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    print(
        f"attestation PDFs: {pdfs} in {elapsed:.1f} s = {60 * pdfs / elapsed:.0f} per minute (one process), "
        f"p50 {1000 * percentile(times, 0.5):.0f} ms, p95 {1000 * percentile(times, 0.95):.0f} ms, "
        f"mean size {size / pdfs / 1024:.0f} KiB"
    )

    client = Client()
    client.get(f"/verifier/{awards[0].code}/")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for i in range(lookups):
        kind = i % 10
        if kind == 8:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))  # unknown
        elif kind == 9:
            code = "0O1I-LLLL-" + "x" * (i % 7)  # malformed: ambiguous characters, wrong length
        else:
            code = awards[i % len(awards)].grouped_code
        t = time.perf_counter()
        response = client.get(f"/verifier/{code}/")
        latencies.append(time.perf_counter() - t)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    print(
        f"verification page: {lookups} requests, statuses {dict(sorted(statuses.items()))}, "
        f"p50 {1000 * percentile(latencies, 0.5):.1f} ms, p95 {1000 * percentile(latencies, 0.95):.1f} ms, "
        f"p99 {1000 * percentile(latencies, 0.99):.1f} ms, max {1000 * max(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
