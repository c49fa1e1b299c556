"""Server time of a placement-run answer → the next question, with a 400-item bank (issue 10).

Usage: ``.venv/bin/python bench/answer_latency.py [ANSWERS]`` (default 300). Builds a throw-away SQLite
database (migrations, the Pix+ Édu référentiel, an open campaign), a bank of 400 active practice items
(200 CRCN and 200 CRCN-Édu over the 16 + 16 competences and the four levels, b around the level's
centre, 2PL), then simulated candidates (θ ~ N(0, 1), answers drawn from the items' parameters) take
placement runs with the default settings (``CERTEVAL_PLACEMENT``: 87 + 41 questions at most, adaptive
stop) through Django's test client until ANSWERS answers are stored. For every answer it times

- the POST of the answer (stored through the idempotent write path, the placement rebuilt from the
  stored answers, the next question chosen and stored), and
- the POST then the GET of the next question page (what the person waits for without htmx),

and counts the queries of the POST. Prints p50, p99 and max of each, and the mean run length.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    answers_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    os.environ["CERTEVAL_VAR_DIR"] = tempfile.mkdtemp(prefix="certeval-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from certeval.accounts.models import User
    from certeval.campaigns.models import Academy, Campaign, Candidate, Enrolment
    from certeval.frameworks.models import FrameworkVersion
    from certeval.frameworks.services import DATA_DIR, framework_publish_file
    from certeval.testing.models import Item, ItemVersion, Question, Run

    setup_test_environment()
    call_command("migrate", verbosity=0)
    framework_publish_file(path=DATA_DIR / "crcn.yaml")
    framework_publish_file(path=DATA_DIR / "pix-plus-edu.yaml")
    version = FrameworkVersion.objects.get(framework_id="pix-plus-edu")
    campaign = Campaign.objects.create(
        title="Bench",
        framework_version=version,
        state="open",
        deposit_deadline=timezone.now() + timedelta(days=30),
    )
    academy = Academy.objects.create(code="bench", name="Bench")
    rng = np.random.default_rng(2026)
    centres = {"initie": -1.5, "confirme": -0.5, "avance": 0.5, "expert": 1.5}
    competences = {
        "crcn": [f"{d}.{c}" for d, n in ((1, 3), (2, 4), (3, 4), (4, 3), (5, 2)) for c in range(1, n + 1)],
        "crcn-edu": [
            f"{d}.{c}" for d, n in ((1, 5), (2, 3), (3, 3), (4, 3), (5, 2)) for c in range(1, n + 1)
        ],
    }
    n = 0
    for part, names in competences.items():
        for k in range(200):
            competence = names[k % len(names)]
            level = list(centres)[(k // len(names)) % 4]
            n += 1
            item = Item.objects.create(
                bank="pix-plus-edu",
                code=f"bench-{n:03d}",
                part=part,
                competence=competence,
                level=level,
                usage="practice",
                status="active",
            )
            item.current = ItemVersion.objects.create(
                item=item,
                number=1,
                kind="single",
                stem=f"Question {n}",
                options=[{"text": "Juste", "correct": True}, {"text": "Faux"}, {"text": "Autre"}],
                explanation="Explication.",
                accessibility=["screen-reader", "colour-vision", "motor"],
                a=float(rng.lognormal(0.2, 0.25)),
                b=centres[level] + float(rng.normal(0, 0.4)),
            )
            item.save(update_fields=["current"])
    print(f"bank: {Item.objects.count()} active practice items")

    post_times: list[float] = []
    page_times: list[float] = []
    queries: list[int] = []
    counter: list[int] = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counter[0] += 1
        return execute(sql, params, many, context)

    lengths: list[int] = []
    person = 0
    while len(post_times) < answers_wanted:
        person += 1
        user = User.objects.create_user(f"bench{person}@example.org", "x")
        candidate = Candidate.objects.create(
            user=user,
            birth_name=f"Bench{person}",
            first_names="Camille",
            birth_date=date(1980, 1, 1),
            email=user.email,
        )
        Enrolment.objects.create(
            campaign=campaign,
            candidate=candidate,
            academy=academy,
            school_level="second",
            training="continue",
        )
        client = Client()
        client.force_login(user)
        theta = float(rng.normal())
        response = client.post("/tests-en-ligne/parcours-bilan/pix-plus-edu/commencer/")
        assert response.status_code == 302, response.status_code
        run = Run.objects.get(candidate=candidate)
        url = f"/tests-en-ligne/parcours-bilan/{run.pk}/"
        client.get(url)
        while len(post_times) < answers_wanted:
            question = Question.objects.select_related("item_version").get(run=run, answered_at__isnull=True)
            v = question.item_version
            p = v.c + (1 - v.c) / (1 + np.exp(-v.a * (theta - v.b)))
            choice = "a" if rng.random() < p else "b"
            counter[0] = 0
            started = time.perf_counter()
            with connection.execute_wrapper(count):
                response = client.post(url, {"key": question.idempotency_key, "choice": choice})
            posted = time.perf_counter()
            queries.append(counter[0])
            assert response.status_code == 302, response.status_code
            finished = response["Location"].endswith("/resultat/")
            if not finished:
                assert client.get(response["Location"]).status_code == 200
            post_times.append(posted - started)
            if not finished:
                page_times.append(time.perf_counter() - started)
            else:
                run.refresh_from_db()
                lengths.append(run.questions.count())
                break

    def ms(values: list[float], q: float) -> str:
        return f"{1000 * percentile(values, q):.1f} ms"

    print(
        f"answers: {len(post_times)} by {person} candidates; finished runs: {len(lengths)}"
        + (f", mean length {statistics.mean(lengths):.1f} questions" if lengths else "")
    )
    print(
        f"answer POST (store + next question chosen and stored): p50 {ms(post_times, 0.5)}, "
        f"p99 {ms(post_times, 0.99)}, max {ms(post_times, 1.0)}"
    )
    print(
        f"answer POST + next question page GET: p50 {ms(page_times, 0.5)}, p99 {ms(page_times, 0.99)}, "
        f"max {ms(page_times, 1.0)}"
    )
    print(f"queries per answer POST: median {statistics.median(queries):.0f}, max {max(queries)}")


if __name__ == "__main__":
    main()
