"""The busiest pages through the production stack (issue 14, « A page benchmark through that stack »).

    .venv/bin/python bench/pages_load.py [--users 50] [--think 1.0] [--duration 60] [--saturate 30]
        [--concurrency 16] [--servers granian,runserver] [--workers 4] [--threads 4] [--json]
        [--database-url postgres://…/seeded]   # reuse a seeded database (kept)

Starts everything on this machine, on loopback only, and stops everything it started:

- a scratch PostgreSQL database on 127.0.0.1:5432 (trust authentication, user ``postgres``), dropped at
  the end — or a SQLite file when PostgreSQL does not answer; migrated and seeded with the demo
  (``certeval demo``: the demo accounts, the closed Pix+ Édu campaign with its juries and dossiers);
- for each server of ``--servers``: ``certeval production`` (granian, WSGI, ``--workers`` ×
  ``--threads``, the task worker beside it) or the development server (``certeval serve --noreload``,
  threaded), with ``DEBUG=0``, on a free loopback port;
- sessions created directly in the session store for the demo accounts (one per simulated user); when
  django-otp is installed the session is marked verified with a device of the user's (created if they
  have none), as after the second factor, so that the bench does not depend on the sign-in flow;
- phase 1, ``--users`` simulated users with ``--think`` seconds between requests (40 % candidates on
  « Mes certifications », 30 % jurors on their scoring page, 10 % jury presidents on the harmonisation
  page, 20 % organisers on the campaign dashboard) for ``--duration`` seconds;
- phase 2, ``--concurrency`` users without think time for ``--saturate`` seconds: the most requests
  per second the stack serves, and the latency then.

With a think time of ``T`` seconds, ``U`` users cannot send more than ``U / T`` requests per second: 50
users at 1 s give at most 50 req/s whatever the server; phase 2 measures the capacity. Prints per page
and phase: requests, req/s, p50, p95, errors (anything but 200), and the SQL queries of one request of
each page (Django's test client in this process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from delivery_load import PG_ADMIN, free_port, log, percentile, postgres_answers  # noqa: E402

PYTHON = sys.executable
MIX = (("candidate", 0.4), ("juror", 0.3), ("president", 0.1), ("organiser", 0.2))
ACCOUNTS = {
    "candidate": "candidat@demo.certeval.fr",
    "juror": "jure@demo.certeval.fr",
    "president": "president@demo.certeval.fr",
    "organiser": "organisateur@demo.certeval.fr",
}
PAGE_NAMES = {
    "candidate": "candidate space",
    "juror": "juror scoring",
    "president": "harmonisation",
    "organiser": "campaign dashboard",
}


def _proc_table() -> dict[int, tuple[int, float, bytes]]:
    """pid -> (parent pid, CPU seconds, command line) of every process."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks,
                                      (entry / "cmdline").read_bytes())  # fmt: skip
        except (OSError, ValueError, IndexError):
            continue
    return table


def cpu_seconds(root: int, database: str) -> tuple[float, float]:
    """CPU seconds of ``root`` and its descendants (the application server's processes), and of the
    PostgreSQL backends of ``database`` (their command line names it)."""
    table = _proc_table()
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _cpu, _cmd) in table.items() if ppid == parent]
        tree.update(children)
        frontier += children
    app = sum(table[pid][1] for pid in tree if pid in table)
    db = sum(cpu for _ppid, cpu, cmd in table.values() if database and f" {database} ".encode() in cmd)
    return app, db


# --- the database and the servers --------------------------------------------------------------------


class World:
    """The scratch database, the variable directory and the environment of every child."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="certeval-pages-"))
        self.database = ""
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PROMETHEUS_")}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "certeval.settings",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,testserver",
                "CERTEVAL_VAR_DIR": str(self.var),
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "LOG_LEVEL": "WARNING",
                "CONN_MAX_AGE": "600",
            }
        )
        if args.database_url:
            self.env["DATABASE_URL"] = args.database_url
        elif postgres_answers():
            self.database = f"certeval_pages_{os.getpid()}"
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.database}"
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{self.var / 'certeval.sqlite3'}"
        self.seeded = bool(args.database_url)

    def run(self, *command: str) -> None:
        with open(self.var / "setup.log", "ab") as output:
            subprocess.run([PYTHON, "-m", "certeval", *command], cwd=ROOT, env=self.env, stdout=output,
                           stderr=subprocess.STDOUT, check=True)  # fmt: skip

    def seed(self) -> None:
        if self.database:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.database}"')
            log(f"database {self.database} created")
        if self.seeded:
            return
        started = time.monotonic()
        self.run("migrate", "--noinput")
        self.run("demo")
        log(f"migrated and seeded with the demo in {time.monotonic() - started:.0f} s")

    def drop(self) -> None:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if self.database:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            log(f"database {self.database} dropped")
        shutil.rmtree(self.var, ignore_errors=True)


class Server:
    """One application server (and, for the production stack, its task worker) on a free port."""

    def __init__(self, world: World, kind: str, args: argparse.Namespace) -> None:
        self.world = world
        self.kind = kind
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        if kind == "granian":
            self.command = [PYTHON, "-m", "certeval", "production", "--bind", f"127.0.0.1:{self.port}",
                            "--workers", str(args.workers), "--threads", str(args.threads)]  # fmt: skip
        elif kind == "gunicorn":
            self.command = [PYTHON, "-m", "certeval", "production", "--server", "gunicorn", "--bind",
                            f"127.0.0.1:{self.port}", "--workers", str(args.workers),
                            "--threads", str(args.threads)]  # fmt: skip
        elif kind == "runserver":
            self.command = [
                PYTHON,
                "-m",
                "certeval",
                "serve",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--no-worker",
            ]
        else:
            raise SystemExit(f"unknown server {kind!r}: granian, gunicorn or runserver")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300.0) -> None:
        output = open(self.world.var / f"{self.kind}.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.world.env, stdout=output,
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} stopped (see {self.world.var / (self.kind + '.log')})")
            try:
                with urllib.request.urlopen(f"{self.base_url}/sante/", timeout=2) as response:
                    if response.status == 200:
                        log(
                            f"{self.kind} answers on {self.base_url} after {time.monotonic() - started:.0f} s"
                        )
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.kind} did not answer in time")

    def stop(self) -> None:
        """SIGTERM (``certeval production`` stops its children), then the whole group if needed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        log(f"{self.kind} stopped")


# --- sessions and pages, in this process ------------------------------------------------------------


@dataclass
class Target:
    role: str
    url: str
    queries: int
    cookies: list[str]  # one session per simulated user of the role


def _session_for(user: Any) -> str:
    """A signed-in session (OTP-verified when django-otp is installed), stored as a sign-in stores it."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The back-end that signs people in (django-axes' standalone one, first, only throttles).
    store[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if apps.is_installed("django_otp"):
        from django_otp import devices_for_user
        from django_otp.plugins.otp_static.models import StaticDevice

        device = next(iter(devices_for_user(user)), None)
        if device is None:
            device = StaticDevice.objects.create(user=user, name="banc de charge")
        store["otp_device_id"] = device.persistent_id
    store.create()
    return str(store.session_key)


def _candidate_urls(role: str, user: Any) -> list[str]:
    from django.urls import reverse

    from certeval.campaigns.models import Campaign, Enrolment
    from certeval.juries.models import OralSlot

    if role == "candidate":
        return [reverse("dossiers:mine")]
    if role == "juror":
        slots = OralSlot.objects.filter(jury__members__juror__user=user).order_by("pk")[:20]
        return [reverse("juries:score", args=[s.pk]) for s in slots]
    if role == "president":
        from certeval.juries.models import Jury
        from certeval.juries.presidency import presided_by

        juries = Jury.objects.filter(presided_by(user)).distinct()
        slots = OralSlot.objects.filter(jury__in=juries).order_by("pk")[:20]
        return [reverse("juries:harmonise", args=[s.pk]) for s in slots] + [
            reverse("juries:agreement", args=[s.jury_id]) for s in slots
        ]
    campaigns = sorted(Campaign.objects.all(), key=lambda c: -Enrolment.objects.filter(campaign=c).count())[
        :10
    ]
    return [reverse("results:dashboard", args=[c.pk]) for c in campaigns]


def prepare_targets(world: World, users: int) -> dict[str, Target]:
    os.environ.update(world.env)
    os.environ["CERTEVAL_REQUEST_LOG"] = "0"  # this process's probes only; the servers log every request
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certeval.accounts.models import User

    counts = {role: max(1, round(share * users)) for role, share in MIX}
    counts["candidate"] += users - sum(counts.values())
    targets = {}
    for role, email in ACCOUNTS.items():
        user = User.objects.get(email=email)
        probe = Client()
        probe.cookies[settings.SESSION_COOKIE_NAME] = _session_for(user)
        chosen = None
        for url in _candidate_urls(role, user):
            probe.get(url)  # warm-up (templates, référentiels)
            with CaptureQueriesContext(connection) as queries:
                status = probe.get(url).status_code
            if status == 200:
                chosen = (url, len(queries))
                break
        if chosen is None:
            raise SystemExit(f"no page of {role} ({email}) answers 200")
        cookies = [_session_for(user) for _ in range(counts[role])]
        targets[role] = Target(role, chosen[0], chosen[1], cookies)
        log(f"{PAGE_NAMES[role]}: {chosen[0]} ({chosen[1]} queries), {counts[role]} users")
    connections.close_all()
    return targets


# --- the load ----------------------------------------------------------------------------------------


async def _user(session: Any, base: str, target: Target, cookie: str, think: float, until: float,
                record: dict[str, list[tuple[float, int]]], cookie_name: str) -> None:  # fmt: skip
    import aiohttp

    if think:
        await asyncio.sleep(random.uniform(0, think))  # users do not all arrive at once
    headers = {"Cookie": f"{cookie_name}={cookie}"}
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            async with session.get(base + target.url, headers=headers, allow_redirects=False) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        record[target.role].append((time.monotonic() - started, status))
        if think:
            await asyncio.sleep(think)


async def run_phase(base: str, targets: dict[str, Target], *, users: int | None, think: float,
                    duration: float, cookie_name: str, meter: tuple[int, str]) -> dict[str, Any]:  # fmt: skip
    import aiohttp

    record: dict[str, list[tuple[float, int]]] = defaultdict(list)
    pairs = [(t, c) for t in targets.values() for c in t.cookies]
    if users is not None:  # saturation: this many users, the same mix
        random.Random(14).shuffle(pairs)
        pairs = (pairs * (users // len(pairs) + 1))[:users]
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=0)
    cpu_before = cpu_seconds(*meter)
    started = time.monotonic()
    until = started + duration
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(
            *(_user(session, base, t, c, think, until, record, cookie_name) for t, c in pairs)
        )
    elapsed = time.monotonic() - started
    cpu_after = cpu_seconds(*meter)
    result = summarise(record, elapsed, targets)
    served = result["all"]["requests"] or 1
    app_ms, db_ms = (round(1000 * (b - a) / served, 1) for a, b in zip(cpu_before, cpu_after, strict=True))
    result["cpu_ms_per_request"] = {"server": app_ms, "database": db_ms}
    # What two idle cores would serve if CPU were the only limit (server and database on them).
    result["two_core_capacity_req_per_s"] = round(2000 / (app_ms + db_ms), 1) if app_ms + db_ms else None
    return result


def summarise(
    record: dict[str, list[tuple[float, int]]], elapsed: float, targets: dict[str, Target]
) -> dict[str, Any]:
    def figures(rows: list[tuple[float, int]]) -> dict[str, Any]:
        ok = [s for s, status in rows if status == 200]
        return {
            "requests": len(rows),
            "req_per_s": round(len(rows) / elapsed, 1),
            "p50_ms": None if not ok else round(1000 * (percentile(ok, 0.5) or 0), 1),
            "p95_ms": None if not ok else round(1000 * (percentile(ok, 0.95) or 0), 1),
            "errors": sum(1 for _s, status in rows if status != 200),
            "error_statuses": dict(Counter(str(status) for _s, status in rows if status != 200)),
        }

    pages = {
        PAGE_NAMES[role]: {**figures(rows), "queries": targets[role].queries} for role, rows in record.items()
    }
    every = [row for rows in record.values() for row in rows]
    return {"elapsed_s": round(elapsed, 1), "all": figures(every), "pages": pages}


def print_table(server: str, phase: str, result: dict[str, Any]) -> None:
    cpu = result["cpu_ms_per_request"]
    print(
        f"\n{server} — {phase} ({result['elapsed_s']} s); CPU per request: server {cpu['server']} ms, "
        f"database {cpu['database']} ms -> {result['two_core_capacity_req_per_s']} req/s on 2 idle cores"
    )
    print(
        f"{'page':<20} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'queries':>8}"
    )
    rows = [*result["pages"].items(), ("all", result["all"])]
    for name, f in rows:
        print(f"{name:<20} {f['requests']:>8} {f['req_per_s']:>7} {f['p50_ms']!s:>8} {f['p95_ms']!s:>8} "
              f"{f['errors']:>7} {f.get('queries', ''):>8} {f['error_statuses'] or ''}")  # fmt: skip


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[-1] if url.startswith("postgres") else ""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of phase 1 (with think time)")
    parser.add_argument("--saturate", type=float, default=30.0, help="seconds of phase 2 (0: skip it)")
    parser.add_argument("--concurrency", type=int, default=16, help="users without think time in phase 2")
    parser.add_argument("--servers", default="granian,runserver")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="", help="a database seeded with the demo (kept)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    world = World(args)
    results: dict[str, Any] = {"args": vars(args), "servers": {}}
    server: Server | None = None
    try:
        world.seed()
        targets = prepare_targets(world, args.users)
        from django.conf import settings

        for kind in [s.strip() for s in args.servers.split(",") if s.strip()]:
            server = Server(world, kind, args)
            server.start()
            assert server.process is not None
            meter = (server.process.pid, database_name(world.env["DATABASE_URL"]))
            phases = {}
            log(f"{kind}: {args.users} users, {args.think} s think time, {args.duration:.0f} s")
            phases["think"] = asyncio.run(run_phase(server.base_url, targets, users=None, think=args.think,
                                                    duration=args.duration, cookie_name=settings.SESSION_COOKIE_NAME, meter=meter))  # fmt: skip
            if args.saturate:
                log(f"{kind}: {args.concurrency} users without think time, {args.saturate:.0f} s")
                phases["saturate"] = asyncio.run(run_phase(server.base_url, targets, users=args.concurrency, think=0.0,
                                                           duration=args.saturate, cookie_name=settings.SESSION_COOKIE_NAME, meter=meter))  # fmt: skip
            server.stop()
            server = None
            results["servers"][kind] = phases
            if not args.json:
                print_table(kind, f"{args.users} users, {args.think} s think time", phases["think"])
                if "saturate" in phases:
                    print_table(kind, f"{args.concurrency} users, no think time", phases["saturate"])
    finally:
        if server is not None:
            server.stop()
        world.drop()
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()


if __name__ == "__main__":
    main()
