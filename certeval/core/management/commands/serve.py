"""``certeval serve``: the development server with the background task worker beside it.

E-mails (enrolment, roles, receipts) and receipts are background tasks (django-tasks-db): without a
worker they wait in the database forever. ``serve`` starts ``certeval db_worker`` in a child
process, runs the development server, and stops the worker when the server stops (Ctrl+C, SIGTERM,
or an error). On Linux the worker is also told to stop if this process dies abruptly, so no worker
outlives the server. With the console e-mail backend (the default), the worker prints every e-mail
in the terminal.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

STOP_TIMEOUT_SECONDS = 10
PR_SET_PDEATHSIG = 1


def worker_command() -> list[str]:
    """The task worker, run with this interpreter and this code (no reloader of its own: it is
    stopped with the server)."""
    return [sys.executable, "-m", "certeval", "db_worker", "--no-reload", "--interval", "1"]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to send SIGTERM to the worker when the server process dies, even if it is killed."""
    libc_name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and libc_name:
        ctypes.CDLL(libc_name, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_worker(command: list[str] | None = None) -> subprocess.Popen[bytes]:
    """Start the worker; its output (the e-mails of the console backend) goes to this terminal."""
    return subprocess.Popen(
        command or worker_command(),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> int:
    """Stop the worker (SIGTERM, then SIGKILL after a grace period) and reap it."""
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return worker.returncode


def run_server(addrport: str, *, use_reloader: bool) -> None:
    call_command("runserver", addrport, use_reloader=use_reloader)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Run the development server and the background task worker (e-mails, receipts) beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="address:port to serve")
        parser.add_argument(
            "--noreload", action="store_true", help="do not restart the server on code changes"
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        # The autoreloader runs this command again in a child process (RUN_MAIN=true): only the
        # outer process starts the worker, once.
        reloaded_child = os.environ.get("RUN_MAIN") == "true"
        worker = None
        previous = signal.getsignal(signal.SIGTERM)
        if not options["no_worker"] and not reloaded_child:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            worker = start_worker()
            self.stdout.write(f"Task worker started (pid {worker.pid}): e-mails are printed below.")
        try:
            run_server(options["addrport"], use_reloader=not options["noreload"])
        finally:
            if worker is not None:
                stop_worker(worker)
                signal.signal(signal.SIGTERM, previous)
                self.stdout.write("Task worker stopped.")
