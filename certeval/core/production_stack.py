"""The processes of ``certeval production`` and their supervision (docs/deployment.md).

:func:`server_command` builds the application server's command line (granian, WSGI interface, or
gunicorn), :func:`worker_command` the task worker's; :class:`Supervisor` starts each child in its own
process group (asked by Linux to stop if the supervisor dies), restarts a child that stopped with a
growing delay (1 s, 2 s, 4 s… at most ``MAX_BACKOFF``; back to 1 s once a child has run a minute),
and on SIGTERM or SIGINT stops every group — SIGTERM, then SIGKILL after ``STOP_TIMEOUT`` seconds —
and reaps it, so that no process outlives the command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from certeval.core.management.commands.serve import _die_with_parent

STOP_TIMEOUT = 15.0
MAX_BACKOFF = 30.0
STABLE_SECONDS = 60.0
SERVERS = ("granian", "gunicorn")


def default_workers() -> int:
    """Two application server processes per core this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(2, 2 * cores)


def split_bind(bind: str) -> tuple[str, int]:
    host, _sep, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--bind expects address:port, not {bind!r}")
    return host.strip("[]"), int(port)


def server_command(server: str, bind: str, workers: int, threads: int) -> list[str]:
    """The application server: ``certeval.wsgi:application`` on ``bind`` with ``workers`` processes of
    ``threads`` threads each (one database connection per thread)."""
    host, port = split_bind(bind)
    if server == "granian":
        return [
            sys.executable, "-m", "granian",
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", str(threads),
            "--no-ws",
            "--respawn-failed-workers",
            "--workers-kill-timeout", "10",
            "--log-level", "warning",
            "--no-access-log",  # certeval.core.request_log writes one line per request
            "certeval.wsgi:application",
        ]  # fmt: skip
    if server == "gunicorn":
        command = [
            sys.executable, "-m", "gunicorn",
            "certeval.wsgi:application",
            "--bind", bind,
            "--workers", str(workers),
            "--preload",
            "--timeout", "60",
            "--graceful-timeout", "10",
            "--log-level", "warning",
        ]  # fmt: skip
        if threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(threads)]
        return command
    raise ValueError(f"unknown application server {server!r} (granian or gunicorn)")


def worker_command() -> list[str]:
    return [sys.executable, "-m", "certeval", "db_worker", "--no-reload", "--interval", "1"]


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 1.0
    restart_at: float | None = None
    history: list[int] = field(default_factory=list)  # exit codes, oldest first


class Supervisor:
    """Runs the children until :meth:`request_stop` (or a signal), restarting those that stop."""

    def __init__(
        self,
        children: list[Child],
        env: dict[str, str],
        *,
        say: Callable[[str], None] = print,
        max_backoff: float = MAX_BACKOFF,
        stop_timeout: float = STOP_TIMEOUT,
    ) -> None:
        self.children = children
        self.env = env
        self.say = say
        self.max_backoff = max_backoff
        self.stop_timeout = stop_timeout
        self.stopping = False

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.command,
            env=self.env,
            start_new_session=True,  # its own process group: stopped whole, workers included
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        child.started_at = time.monotonic()
        child.restart_at = None
        self.say(f"{child.name} started (pid {child.process.pid})")

    def request_stop(self, signum: int = signal.SIGTERM, frame: Any = None) -> None:
        self.stopping = True

    def poll_once(self, now: float | None = None) -> None:
        """Notice stopped children and restart those whose delay has passed."""
        now = time.monotonic() if now is None else now
        for child in self.children:
            process = child.process
            if process is not None and process.poll() is not None and child.restart_at is None:
                code = process.returncode
                child.history.append(code)
                _kill_group(process.pid, signal.SIGKILL)  # what it left behind, if anything
                if now - child.started_at >= STABLE_SECONDS:
                    child.backoff = 1.0
                child.restart_at = now + child.backoff
                self.say(f"{child.name} stopped (exit code {code}): restarted in {child.backoff:.0f} s")
                child.backoff = min(child.backoff * 2, self.max_backoff)
            if child.restart_at is not None and now >= child.restart_at and not self.stopping:
                child.restarts += 1
                self.start(child)

    def run(self, *, tick: float = 0.25) -> None:
        previous = {sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for child in self.children:
                self.start(child)
            while not self.stopping:
                self.poll_once()
                time.sleep(tick)
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop_all(self) -> None:
        """SIGTERM every group, wait, SIGKILL what remains, reap."""
        self.stopping = True
        running = [c.process for c in self.children if c.process is not None]
        for process in running:
            _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in running:  # the group's other members (granian's workers) too
            _wait_group_empty(process.pid, deadline)
        for process in running:
            _kill_group(process.pid, signal.SIGKILL)
            process.wait()
            _wait_group_empty(process.pid, time.monotonic() + 5)
        self.say("every process stopped")


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a process of another user took the id
        return False
    return True


def _wait_group_empty(pgid: int, deadline: float) -> None:
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
