"""Load and faults of the proctored test on a production-like stack (issue 11, « Nothing lost », « Figures »).

    .venv/bin/python bench/delivery_load.py --candidates 1000 --duration 120 [--think 1.0] [--json]
    .venv/bin/python bench/delivery_load.py --saturate --duration 60 [--json]
    .venv/bin/python bench/delivery_load.py --candidates 1000 --duration 90 --kill-at 45 [--json]
    .venv/bin/python bench/delivery_load.py --database sqlite --candidates 200 --duration 60 [--json]

Starts everything on this machine, on loopback only, and stops everything it started (process groups,
``finally`` blocks, also on Ctrl+C):

- ``--database postgres`` (the default when PostgreSQL answers on 127.0.0.1:5432 with trust auth): a
  throw-away database, the production application server (gunicorn, ``--workers`` processes, README
  « Configuration ») and the task worker (``certeval db_worker``); ``--database sqlite``: a throw-away
  SQLite file and the small setup's server, ``certeval serve`` (development server and task worker);
- migrates, publishes the référentiels, imports the demo item bank (512 items: every 64-question level
  form can be drawn), then through the services creates the candidates in proctored sessions of
  ``--per-session`` candidates (a third at each target level Confirmé, Avancé, Expert), opens the
  sessions and authorises every candidate (presence, identity, go) as an invigilator would;
- a load client (asyncio + aiohttp) in which each simulated candidate joins its session, starts and
  answers through the candidate API (``/api/v1/testing/sitting/``) with a think time drawn in 15–60 s
  times ``--think``, timing answer → next question (the next question comes in the answer's reply);
- ``--kill-at S``: SIGKILL the application server's process group (master and every worker) S seconds
  into the run and start it again; the clients retry what failed with the same idempotency key, and
  each candidate in progress resumes (its state read again: same question, remaining time compared with
  the value expected from its own clock);
- ``--saturate``: no think time; the number of candidates answering at once doubles each step, and the
  figure is the most answers per second of a step whose p95 stays under 100 ms.

Prints p50_ms, p95_ms, p99_ms, errors, acknowledged, stored (answers found in the database afterwards),
lost (acknowledged and not stored), resumed, answers_per_second and the run's details (``--json``: one
JSON object on stdout, progress on stderr).
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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
API = "/api/v1/testing/sitting"
LEVELS = ("confirme", "avance", "expert")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SATURATION_P95_MS = 100.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(1000 * value, 1)


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(match: str = "", group: int | None = None) -> float:
    """CPU seconds (user + system) of the processes of a process group, or whose command line holds
    ``match`` (PostgreSQL's backends name their database)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if group is not None and int(fields[2]) != group:
                continue
            if match and match.encode() not in (entry / "cmdline").read_bytes():
                continue
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError):
            continue
    return total / ticks


class CpuMeter:
    """CPU seconds spent by the application server, the database and this load client since ``mark``."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.start = self.read()

    def read(self) -> tuple[float, float, float]:
        server = self.stack.server
        app = cpu_seconds(group=server.pid) if server is not None else 0.0
        database = cpu_seconds(match=self.stack.database) if self.stack.database else 0.0
        client = sum(os.times()[:2])
        return app, database, client

    def mark(self) -> None:
        self.start = self.read()

    def per_answer_ms(self, answers: int) -> dict[str, float | None]:
        now = self.read()
        names = ("server", "database", "client")
        return {
            f"cpu_ms_per_answer_{n}": round(1000 * (b - a) / answers, 1) if answers else None
            for n, a, b in zip(names, self.start, now, strict=True)
        }


# --- the stack --------------------------------------------------------------------------------------


class Stack:
    """The database, the application server and the task worker, each child in its own process group."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.port = free_port()
        self.var = Path(tempfile.mkdtemp(prefix="certeval-delivery-"))
        self.database = ""
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.env = dict(os.environ)
        self.env.update(
            {
                "CERTEVAL_VAR_DIR": str(self.var),
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "ERROR",
                "DJANGO_SETTINGS_MODULE": "certeval.settings",
            }
        )
        if args.database == "postgres":
            self.database = f"certeval_delivery_{os.getpid()}"
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.database}"
            self.env["CONN_MAX_AGE"] = "600"  # persistent connections, as in production
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{self.var / 'certeval.sqlite3'}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def create_database(self) -> None:
        if not self.database:
            return
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        log(f"database {self.database} created")

    def _spawn(self, command: list[str], name: str) -> subprocess.Popen[bytes]:
        output = open(self.var / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )

    def server_command(self) -> list[str]:
        if self.args.database == "sqlite":
            return [PYTHON, "-m", "certeval", "serve", f"127.0.0.1:{self.port}", "--noreload"]
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "certeval.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.args.workers),
            "--backlog",
            "4096",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            "--preload",  # the application is imported once, then forked: workers (re)start in a second
        ]
        if self.args.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.args.threads)]
        return command

    def start_server(self) -> None:
        self.server = self._spawn(self.server_command(), "server")

    def start_worker(self) -> None:
        if self.args.database == "postgres":  # `certeval serve` runs its own
            self.worker = self._spawn([PYTHON, "-m", "certeval", "db_worker", "--no-reload"], "worker")

    def wait_ready(self, timeout: float = 120.0) -> float:
        """Seconds until the server answers (401 without a token on the state endpoint)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.server is not None and self.server.poll() is not None:
                raise RuntimeError(f"the server stopped (see {self.var / 'server.log'})")
            try:
                urllib.request.urlopen(f"{self.base_url}{API}/state", timeout=2)
            except urllib.error.HTTPError as error:
                if error.code == 401:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not answer in time")

    def kill_server(self) -> None:
        """SIGKILL the server's whole process group: the master and every worker, no clean-up."""
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    @staticmethod
    def _stop(process: subprocess.Popen[bytes] | None) -> None:
        if process is None or process.poll() is not None:
            try:
                if process is not None:
                    os.killpg(process.pid, signal.SIGKILL)  # children left behind, if any
            except ProcessLookupError:
                pass
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop(self) -> None:
        self._stop(self.server)
        self._stop(self.worker)
        if self.database:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:
                pass
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            log(f"database {self.database} dropped")
        shutil.rmtree(self.var, ignore_errors=True)


# --- the data, through the services ------------------------------------------------------------------


def build_world(stack: Stack, candidates: int, per_session: int) -> list[dict[str, str]]:
    """Migrate, publish, import the demo bank, create and authorise the candidates; their join data."""
    os.environ.update(stack.env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    from certeval.campaigns.tests.factories import (
        CampaignFactory,
        EnrolmentFactory,
        SessionFactory,
        organiser_of,
    )
    from certeval.domain.items.exchange import read_path
    from certeval.frameworks.services import DATA_DIR, framework_publish_file
    from certeval.testing import console_services as console
    from certeval.testing.demo import BANK, DEMO_BANK
    from certeval.testing.item_services import item_import_package
    from certeval.testing.models.items import ItemStatus
    from certeval.testing.tests.factories import academy, published

    # The candidates' accounts are never signed in to (joining needs none): a fast hasher for the
    # factories' password instead of a second of PBKDF2 each.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    for framework in ("crcn.yaml", "pix-plus-edu.yaml"):
        framework_publish_file(path=DATA_DIR / framework)
    items = item_import_package(bank=BANK, package=read_path(DEMO_BANK), actor=None, status=ItemStatus.ACTIVE)
    log(f"migrated, référentiels published, {len(items)} items imported ({time.monotonic() - started:.0f} s)")
    campaign = CampaignFactory(framework_version=published("pix-plus-edu"), title="Charge")
    organiser = organiser_of(campaign)
    place = academy("lyon")
    who = console.Invigilator(None, "Banc de charge")
    joins: list[dict[str, str]] = []
    now = timezone.now()
    for first in range(0, candidates, per_session):
        session = SessionFactory(campaign=campaign, starts_at=now, ends_at=now + timedelta(hours=4))
        people = []
        for n in range(first, min(first + per_session, candidates)):
            enrolment = EnrolmentFactory(
                campaign=campaign,
                session=session,
                academy=place,
                target_level=LEVELS[n % len(LEVELS)],
                candidate__user__email=f"charge{n}@example.org",
                candidate__birth_name=f"Charge{n}",
                candidate__birth_date=date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
            )
            people.append(enrolment.candidate)
        delivery = console.open_delivery(session_id=session.pk, actor=organiser)
        for sitting_id in delivery.sittings.values_list("pk", flat=True):
            console.mark_present(delivery=delivery, sitting_id=sitting_id, who=who)
            console.check_identity(delivery=delivery, sitting_id=sitting_id, document="id-card", who=who)
            console.authorise(delivery=delivery, sitting_id=sitting_id, who=who)
        joins += [
            {
                "access_code": delivery.access_code,
                "name": p.birth_name,
                "birth_date": p.birth_date.isoformat(),
            }
            for p in people
        ]
    fast.disable()
    from django.db import connections

    connections.close_all()
    log(
        f"{candidates} candidates authorised in {len(range(0, candidates, per_session))} sessions "
        f"({time.monotonic() - started:.0f} s in all)"
    )
    return joins


def stored_answers(acknowledged: set[int]) -> tuple[int, int]:
    """Answers stored in the database, and how many of the acknowledged ones are missing."""
    from django.db import connections

    from certeval.testing.models import Question, Run

    stored = Question.objects.filter(run__kind=Run.Kind.CERTIFICATION, answered_at__isnull=False)
    found: set[int] = set()
    ids = sorted(acknowledged)
    for k in range(0, len(ids), 5000):
        found |= set(stored.filter(pk__in=ids[k : k + 5000]).values_list("pk", flat=True))
    total = stored.count()
    connections.close_all()
    return total, len(acknowledged - found)


# --- the load client ---------------------------------------------------------------------------------


@dataclass
class Load:
    """What the simulated candidates share: the server's address, the clock, the counters."""

    base_url: str
    think: tuple[float, float]
    deadline: float = 0.0
    epoch: int = 0  # bumped at each server restart
    outage: bool = False
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (at, seconds)
    joins: list[float] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    retried: int = 0
    acknowledged: set[int] = field(default_factory=set)
    repeated: int = 0
    active: int = 0
    finished: int = 0
    resumed: int = 0
    resume_mismatch: int = 0
    deviations: list[float] = field(default_factory=list)
    after_restart: list[float] = field(default_factory=list)

    def stopping(self) -> bool:
        return time.monotonic() >= self.deadline


class Client:
    def __init__(self, run: Load, session: Any) -> None:
        self.run = run
        self.session = session

    async def call(
        self, method: str, path: str, token: str = "", body: dict[str, Any] | None = None, kind: str = ""
    ) -> dict[str, Any] | None:
        """One request; connection failures (a server being restarted) are retried with the same body
        until the run's hard stop. Returns the JSON of a 200, else None (the error counted)."""
        import aiohttp

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        hard_stop = self.run.deadline + 60
        while True:
            try:
                async with self.session.request(
                    method, self.run.base_url + API + path, json=body, headers=headers
                ) as response:
                    data = await response.json(content_type=None)
                    if response.status == 200:
                        return data  # type: ignore[no-any-return]
                    self.run.errors[f"{kind} {response.status}: {str(data.get('detail'))[:80]}"] += 1
                    return None
            except (TimeoutError, aiohttp.ClientConnectionError, json.JSONDecodeError) as error:
                if time.monotonic() > hard_stop:
                    self.run.errors[f"{kind} gave up: {type(error).__name__}"] += 1
                    return None
                if self.run.outage:
                    self.run.retried += 1
                else:
                    self.run.errors[f"{kind} {type(error).__name__} (retried)"] += 1
                await asyncio.sleep(0.2)


def answer_body(question: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {
        "question_id": question["id"],
        "key": question["key"],
        "client_key": secrets.token_urlsafe(12),
        "seconds": round(rng.uniform(15, 60), 1),
    }
    if question["blanks"]:
        body["texts"] = ["12" if b["numeric"] else "réponse" for b in question["blanks"]]
    else:
        body["choices"] = [rng.choice(question["options"])["id"]]
    return body


class Candidate:
    def __init__(self, client: Client, join: dict[str, str], rng: random.Random) -> None:
        self.client = client
        self.run = client.run
        self.join_data = join
        self.rng = rng
        self.token = ""
        self.state: dict[str, Any] | None = None
        self.clock: tuple[float, float] | None = None  # (client time, remaining) at the start
        self.epoch = 0

    async def begin(self) -> bool:
        t = time.perf_counter()
        joined = await self.client.call("POST", "/join", body=self.join_data, kind="join")
        self.run.joins.append(time.perf_counter() - t)
        if joined is None:
            return False
        self.token = joined["token"]
        t = time.perf_counter()
        self.state = await self.client.call("POST", "/start", self.token, kind="start")
        self.run.starts.append(time.perf_counter() - t)
        if self.state is None or self.state["question"] is None:
            return False
        self.clock = (time.monotonic(), float(self.state["remaining_seconds"]))
        self.epoch = self.run.epoch
        self.run.active += 1
        return True

    def check_clock(self, remaining: float | None, after_restart: bool = False) -> None:
        if self.clock is None or remaining is None:
            return
        expected = self.clock[1] - (time.monotonic() - self.clock[0])
        deviation = abs(remaining - expected)
        self.run.deviations.append(deviation)
        if after_restart:
            self.run.after_restart.append(deviation)

    async def resume_if_restarted(self) -> None:
        """After a server restart, read the state again as a reloaded page would: the same question,
        the remaining time the candidate's own clock expects."""
        if self.epoch == self.run.epoch or self.state is None:
            return
        state = await self.client.call("GET", "/state", self.token, kind="resume")
        if state is None:
            return
        self.epoch = self.run.epoch
        held = (self.state.get("question") or {}).get("id")
        if (state.get("question") or {}).get("id") == held:
            self.run.resumed += 1
        else:
            self.run.resume_mismatch += 1
        self.check_clock(state["remaining_seconds"], after_restart=True)
        self.state = state

    async def answer(self) -> bool:
        """Answer the current question; False once the test is over."""
        assert self.state is not None
        question = self.state["question"]
        if question is None:
            return False
        body = answer_body(question, self.rng)
        t = time.perf_counter()
        reply = await self.client.call("POST", "/answer", self.token, body, kind="answer")
        elapsed = time.perf_counter() - t
        if reply is None:  # refused (counted): read the state again and go on
            state = await self.client.call("GET", "/state", self.token, kind="state")
            if state is None:
                return False
            self.state = state
            return state["question"] is not None
        self.run.latencies.append((time.monotonic(), elapsed))
        self.run.acknowledged.add(reply["question_id"])
        self.run.repeated += int(reply["repeated"])
        self.state = reply["state"]
        self.check_clock(self.state["remaining_seconds"])
        if self.state["question"] is None:
            self.run.finished += 1
            self.run.active -= 1
            return False
        return True

    async def take(self) -> None:
        """Think, answer, again until the run's end (the test was started before)."""
        if self.state is None:
            return
        while not self.run.stopping():
            think = self.rng.uniform(*self.run.think)
            await asyncio.sleep(max(0.0, min(think, self.run.deadline - time.monotonic())))
            if self.run.stopping():
                break
            await self.resume_if_restarted()
            if not await self.answer():
                return
        await self.resume_if_restarted()  # a candidate who did not act since the restart


async def kill_and_restart(stack: Stack, run: Load, at: float, report: dict[str, Any]) -> None:
    await asyncio.sleep(at)
    report["in_progress_at_kill"] = run.active
    run.outage = True
    run.epoch += 1
    killed = time.monotonic()
    await asyncio.to_thread(stack.kill_server)
    log(f"killed the server's process group (SIGKILL), {run.active} candidates in progress")
    stack.start_server()
    await asyncio.to_thread(stack.wait_ready)
    report["downtime_s"] = round(time.monotonic() - killed, 2)
    log(f"server restarted: {report['downtime_s']} s without service")
    await asyncio.sleep(2)
    run.outage = False


async def load(stack: Stack, joins: list[dict[str, str]], args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    low, high = 15 * args.think, 60 * args.think
    run = Load(stack.base_url, (low, high))
    report: dict[str, Any] = {}
    rng = random.Random(args.seed)
    connector = aiohttp.TCPConnector(limit=args.connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        client = Client(run, session)
        # Every candidate joins and starts first (a start draws the whole 64-question form), a few at a
        # time: timed apart (join_*, start_*), not in the answer figures.
        run.deadline = time.monotonic() + 3600
        candidates = [Candidate(client, j, random.Random(rng.random())) for j in joins]
        queue = iter(candidates)

        async def begin_all() -> None:
            for candidate in queue:
                await candidate.begin()

        t = time.monotonic()
        await asyncio.gather(*(begin_all() for _ in range(args.start_concurrency)))
        report["starting_s"] = round(time.monotonic() - t, 1)
        log(f"{run.active} candidates joined and started in {report['starting_s']} s")
        started = time.monotonic()
        run.deadline = started + args.duration
        tasks = [asyncio.create_task(c.take()) for c in candidates]
        if args.kill_at is not None:
            tasks.append(asyncio.create_task(kill_and_restart(stack, run, args.kill_at, report)))
        meter = CpuMeter(stack)
        progress = asyncio.create_task(_progress(run, started))
        await asyncio.gather(*tasks)
        progress.cancel()
        elapsed = time.monotonic() - started
    latencies = [s for _at, s in run.latencies]
    if args.kill_at is None:  # a restarted server is another process group: not measured then
        report.update(meter.per_answer_ms(len(latencies)))
    report.update(
        {
            "p50_ms": ms(percentile(latencies, 0.50)),
            "p95_ms": ms(percentile(latencies, 0.95)),
            "p99_ms": ms(percentile(latencies, 0.99)),
            "max_ms": ms(max(latencies, default=None)),
            "errors": sum(run.errors.values()),
            "error_kinds": dict(run.errors.most_common(10)),
            "acknowledged": len(run.acknowledged),
            "repeated_acknowledgements": run.repeated,
            "retried_requests": run.retried,
            "resumed": run.resumed,
            "resume_mismatch": run.resume_mismatch,
            "answers_per_second": round(len(latencies) / args.duration, 1),
            "finished_tests": run.finished,
            "join_p95_ms": ms(percentile(run.joins, 0.95)),
            "start_p50_ms": ms(percentile(run.starts, 0.50)),
            "start_p95_ms": ms(percentile(run.starts, 0.95)),
            "max_remaining_deviation_s": round(max(run.deviations, default=0.0), 2),
            "max_remaining_deviation_after_restart_s": round(max(run.after_restart, default=0.0), 2)
            if args.kill_at is not None
            else None,
            "run_seconds": round(elapsed, 1),
        }
    )
    report["_acknowledged_ids"] = run.acknowledged
    return report


async def _progress(run: Load, started: float) -> None:
    while True:
        await asyncio.sleep(10)
        recent = [s for at, s in run.latencies if at > time.monotonic() - 10]
        log(
            f"t={time.monotonic() - started:5.0f} s  in progress {run.active:4d}  answers {len(run.latencies):6d}  "
            f"last 10 s: {len(recent) / 10:6.1f}/s p95 {ms(percentile(recent, 0.95))} ms  errors {sum(run.errors.values())}"
        )


async def saturate(stack: Stack, joins: list[dict[str, str]], args: argparse.Namespace) -> dict[str, Any]:
    """Closed loop without think time: 1, 2, 4, … candidates answering at once, one step each."""
    import aiohttp

    run = Load(stack.base_url, (0.0, 0.0))
    run.deadline = time.monotonic() + 10 * args.duration + 600  # the steps stop themselves
    pool = iter(joins)
    rng = random.Random(args.seed)
    steps: list[dict[str, Any]] = []
    connector = aiohttp.TCPConnector(limit=args.connections)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        client = Client(run, session)
        ready: list[Candidate] = []

        async def prepare() -> None:
            for join in pool:
                candidate = Candidate(client, join, random.Random(rng.random()))
                if await candidate.begin():
                    ready.append(candidate)

        # Join and start enough candidates first (a start draws a whole form): not timed in the steps.
        concurrency = [c for c in (1, 2, 4, 8, 16, 32, 64) if c <= args.max_concurrency]
        per_step = args.duration / len(concurrency)
        await asyncio.gather(*(prepare() for _ in range(4)))
        log(f"{len(ready)} candidates started before the steps")
        meter = CpuMeter(stack)
        for level in concurrency:
            stop = time.monotonic() + per_step
            first = len(run.latencies)
            meter.mark()

            async def slot(stop: float) -> None:
                current: Candidate | None = None
                while time.monotonic() < stop:
                    if current is None:
                        if not ready:
                            return
                        current = ready.pop()
                    if not await current.answer():
                        current = None

            await asyncio.gather(*(slot(stop) for _ in range(level)))
            times = [s for _at, s in run.latencies[first:]]
            step = {
                "concurrency": level,
                "answers_per_second": round(len(times) / per_step, 1),
                "p50_ms": ms(percentile(times, 0.5)),
                "p95_ms": ms(percentile(times, 0.95)),
                "p99_ms": ms(percentile(times, 0.99)),
                "errors": sum(run.errors.values()),
                **meter.per_answer_ms(len(times)),
                "load_average": round(os.getloadavg()[0], 2),
            }
            steps.append(step)
            log(f"step {step}")
            if not ready:
                log("no candidate left: give more --candidates")
                break
    good = [s for s in steps if s["p95_ms"] is not None and s["p95_ms"] < SATURATION_P95_MS]
    best = max(good, key=lambda s: s["answers_per_second"], default=None)
    latencies = [s for _at, s in run.latencies]
    return {
        "answers_per_second": best["answers_per_second"] if best else 0.0,
        "at_concurrency": best["concurrency"] if best else None,
        "p50_ms": best["p50_ms"] if best else None,
        "p95_ms": best["p95_ms"] if best else None,
        "p99_ms": best["p99_ms"] if best else None,
        "steps": steps,
        "errors": sum(run.errors.values()),
        "error_kinds": dict(run.errors.most_common(10)),
        "acknowledged": len(run.acknowledged),
        "all_answers_p95_ms": ms(percentile(latencies, 0.95)),
        "start_p50_ms": ms(percentile(run.starts, 0.50)),
        "resumed": 0,
        "_acknowledged_ids": run.acknowledged,
    }


# --- main ----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument(
        "--duration", type=float, default=30.0, help="seconds of load (the steps, with --saturate)"
    )
    parser.add_argument(
        "--think", type=float, default=0.1, help="think time factor on 15–60 s (1.0: the real one)"
    )
    parser.add_argument(
        "--start-concurrency",
        type=int,
        default=8,
        help="candidates joining and starting at once, before the run",
    )
    parser.add_argument(
        "--kill-at",
        type=float,
        default=None,
        help="SIGKILL the server this many seconds into the run, then restart it",
    )
    parser.add_argument("--database", choices=("postgres", "sqlite"), default=None)
    parser.add_argument("--saturate", action="store_true")
    parser.add_argument("--max-concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (gthread when > 1)"
    )
    parser.add_argument("--per-session", type=int, default=50)
    parser.add_argument("--connections", type=int, default=200, help="the load client's connection limit")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.database is None:
        args.database = "postgres" if postgres_answers() else "sqlite"
    return args


def main() -> int:
    args = parse()
    stack = Stack(args)
    report: dict[str, Any] = {"database": args.database, "machine": machine()}
    interrupted = False

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    try:
        stack.create_database()
        joins = build_world(stack, args.candidates, args.per_session)
        stack.start_worker()
        stack.start_server()
        log(
            f"server up in {stack.wait_ready():.1f} s: {' '.join(stack.server_command()[2:5])} on {stack.base_url}"
        )
        runner = saturate if args.saturate else load
        report.update(asyncio.run(runner(stack, joins, args)))
        acknowledged = report.pop("_acknowledged_ids")
        report["stored"], report["lost"] = stored_answers(acknowledged)
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: stopping everything")
    finally:
        stack.stop()
    if interrupted:
        return 130
    report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["command"] = " ".join(["bench/delivery_load.py", *sys.argv[1:]])
    report["server"] = (
        "certeval serve (development server)"
        if args.database == "sqlite"
        else (
            f"gunicorn, {args.workers} workers" + (f" × {args.threads} threads" if args.threads > 1 else "")
        )
    )
    report.update({"candidates": args.candidates, "duration_s": args.duration, "think_factor": args.think})
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
