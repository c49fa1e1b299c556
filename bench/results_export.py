"""Time to export the national results file (issue 12): 100,000 result rows to CSV and to XLSX.

Usage: ``.venv/bin/python bench/results_export.py [ROWS] [DB_ROWS]`` (defaults 100000 and 100000).

1. **Pure writer** — ROWS realistic Pix+ Édu lines (varied names, 30 academies, 4 sessions, 16
   competence columns with level labels, dates) built in memory as ``ResultLine`` objects, then timed:
   building the cells (``result_row``), writing the CSV (``write_csv``, neutralisation included) and
   the XLSX (``write_xlsx``).
2. **End to end from the database** — a throw-away SQLite database (migrations, the Pix+ Édu
   référentiel, one campaign) filled with ``bulk_create`` with DB_ROWS candidates, each with an
   enrolment, an oral slot (100 per jury) and a validated deliberation; then the service the page,
   the API and the CLI call (``results_file_export``: the read of enrolments and deliberations, the
   rows, the writer, the audit row) is timed for CSV and for XLSX.

Prints the seconds of each step and the size of the files; the goal is < 10 s per format.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta


def timed(label: str, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    rows_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    db_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    os.environ["CERTEVAL_VAR_DIR"] = tempfile.mkdtemp(prefix="certeval-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certeval.settings")
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from certeval.accounts.models import User
    from certeval.campaigns.demo import FIRST_NAMES, LAST_NAMES
    from certeval.campaigns.models import Academy, Campaign, Candidate, Enrolment, Session
    from certeval.domain.results_file import ResultLine, Sheet, result_row, write_csv, write_xlsx
    from certeval.frameworks.models import FrameworkVersion
    from certeval.frameworks.selectors import framework_of
    from certeval.frameworks.services import DATA_DIR, framework_publish_file
    from certeval.juries.models import Deliberation, Jury, JuryGroup, OralSlot
    from certeval.results.files_selectors import Scope, competence_columns
    from certeval.results.files_services import results_file_export

    rng = random.Random(2026)
    names = LAST_NAMES
    firsts = FIRST_NAMES
    academies = [f"Académie {i:02d}" for i in range(30)]
    levels = ["Initié", "Confirmé", "Avancé", "Expert"]

    call_command("migrate", verbosity=0)
    framework_publish_file(path=DATA_DIR / "crcn.yaml")
    framework_publish_file(path=DATA_DIR / "pix-plus-edu.yaml")
    version = FrameworkVersion.objects.get(framework_id="pix-plus-edu")
    framework, _rules = framework_of(version)
    columns = competence_columns(framework)

    print(f"1. pure writer, {rows_wanted:,} rows x {len(columns) + 17} columns")
    lines = [
        ResultLine(
            number=i + 1,
            birth_name=f"{rng.choice(names)}{i}",
            usual_name=rng.choice(["", "", "", f"{rng.choice(names)}-{rng.choice(names)}"]),
            first_names=f"{rng.choice(firsts)} {rng.choice(firsts)}",
            birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(15000)),
            birth_place=rng.choice(["Lyon", "Paris 15e", "Saint-Étienne", "Nouméa"]),
            academy=rng.choice(academies),
            campaign="Pix+ Édu 2026",
            session=f"Session {rng.randrange(4) + 1}",
            session_date=date(2026, 5, 4 + rng.randrange(20)),
            training=rng.choice(["Formation initiale", "Formation continue"]),
            school_level=rng.choice(["Premier degré", "Second degré"]),
            jury=f"Jury {rng.randrange(1000) + 1}",
            oral_date=date(2026, 6, 1 + rng.randrange(20)),
            decision=rng.choice(["Certifié", "Certifié", "Non certifié", "Ajourné"]),
            final_level=rng.choice(levels),
            marks={c.id: rng.choice(levels) for c in columns},
            decided_on=date(2026, 6, 25),
        )
        for i in range(rows_wanted)
    ]
    header = [f"col{i}" for i in range(len(columns) + 17)]
    rows = timed("   build the cells (result_row)", lambda: [result_row(line, columns) for line in lines])
    text = io.StringIO(newline="")
    timed("   write the CSV", lambda: write_csv(header, rows, text))
    binary = io.BytesIO()
    timed("   write the XLSX", lambda: write_xlsx([Sheet("Résultats", header, rows)], binary))
    print(
        f"   sizes: CSV {len(text.getvalue().encode()) / 1e6:.1f} MB, XLSX {len(binary.getvalue()) / 1e6:.1f} MB"
    )

    print(f"2. from the database, {db_rows:,} candidates with a validated decision")
    start = time.perf_counter()
    campaign = Campaign.objects.create(
        title="Bench",
        slug="bench",
        framework_version=version,
        state="deliberation",
        deposit_deadline=timezone.now(),
    )
    validated = timezone.make_aware(datetime(2026, 6, 25, 18, 0))
    academy_rows = Academy.objects.bulk_create(
        [Academy(code=f"a{i:02d}", name=name) for i, name in enumerate(academies)]
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                campaign=campaign,
                label=f"Session {i + 1}",
                starts_at=validated,
                ends_at=validated + timedelta(hours=3),
            )
            for i in range(4)
        ]
    )
    batch = 10_000
    group = JuryGroup.objects.create(campaign=campaign, name="Groupe")
    juries = Jury.objects.bulk_create(
        [
            Jury(campaign=campaign, group=group, number=n + 1, halfday="2026-06-01-am")
            for n in range((db_rows + 99) // 100)
        ]
    )
    admin = User.objects.create(email="bench-admin@example.org", is_superuser=True)
    evaluation = {"kind": "joint_level", "final": {"level": "avance", "outcome": "certified", "reasons": []}}
    oral = dict.fromkeys("12345", "avance")
    for offset in range(0, db_rows, batch):
        count = min(batch, db_rows - offset)
        users = User.objects.bulk_create(
            [User(email=f"c{offset + i}@example.org", password="!") for i in range(count)]
        )
        candidates = Candidate.objects.bulk_create(
            [
                Candidate(
                    user=u,
                    email=u.email,
                    birth_name=f"{rng.choice(names)}{offset + i}",
                    first_names=rng.choice(firsts),
                    birth_date=date(1980, 1, 1),
                )
                for i, u in enumerate(users)
            ]
        )
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    campaign=campaign,
                    candidate=c,
                    academy=rng.choice(academy_rows),
                    session=rng.choice(sessions),
                    school_level="second",
                    training="continue",
                )
                for c in candidates
            ]
        )
        slots = OralSlot.objects.bulk_create(
            [
                OralSlot(
                    jury=juries[(offset + i) // 100],
                    enrolment=e,
                    index=(offset + i) % 100 + 1,
                    starts_at=validated,
                )
                for i, e in enumerate(enrolments)
            ]
        )
        Deliberation.objects.bulk_create(
            [
                Deliberation(
                    slot=s,
                    state="validated",
                    oral_levels=oral,
                    evaluation=evaluation,
                    final_level="avance",
                    outcome="certified",
                    created_by=admin,
                    validated_by=admin,
                    validated_at=validated,
                )
                for s in slots
            ]
        )
    print(f"   (database built in {time.perf_counter() - start:.1f} s)")
    enrolments_qs = Enrolment.objects.filter(campaign=campaign)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        results_file_export(scope=Scope(campaign), enrolments=enrolments_qs, fmt="csv", by=admin)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
        return
    for fmt in ("csv", "xlsx"):
        exported = timed(
            f"   results_file_export {fmt.upper()} (read + rows + write + audit)",
            lambda fmt=fmt: results_file_export(  # type: ignore[misc]
                scope=Scope(campaign), enrolments=enrolments_qs, fmt=fmt, by=admin
            ),
        )
        print(f"   {len(exported.table.rows):,} rows, {len(exported.content) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
