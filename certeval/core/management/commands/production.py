"""``certeval production``: the production stack on one machine (docs/deployment.md).

In order: checks the deployment settings (``DEBUG=0``, Django's ``check --deploy``), starts its own
PostgreSQL cluster with ``--local-postgres`` (otherwise ``DATABASE_URL`` is used), migrates, collects
the static files, then starts and supervises the application server (granian with the WSGI
interface, or gunicorn) and the task worker (``db_worker`` of django-tasks-db): a child that stops is
started again after a growing delay; SIGTERM or SIGINT (Ctrl+C) stops every process it started, the
local PostgreSQL included. ``--check`` validates and prints what would be started, starting nothing.

Every child gets ``PROMETHEUS_MULTIPROC_DIR`` (an emptied ``<CERTEVAL_VAR_DIR>/prometheus``), so that
``/metrics`` adds up the counts of every application server process.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from certeval.core import production_stack as stack
from certeval.core.local_postgres import LocalPostgres, LocalPostgresError, find_bin_dir


def _masked(url: str) -> str:
    """A database URL without its password."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _sep, user_password = head.partition("//")
    return f"{scheme}//{user_password.split(':', 1)[0]}:***@{tail}"


class Command(BaseCommand):
    help = (
        "Start the production stack: checks, migrations, static files, the application server "
        "(granian or gunicorn) and the task worker, supervised; --check only validates."
    )
    requires_system_checks: list[str] = []  # run below with the deployment checks

    def add_arguments(self, parser: Any) -> None:
        env = os.environ.get
        parser.add_argument(
            "--bind",
            default=env("CERTEVAL_BIND", "127.0.0.1:8000"),
            help="address:port of the application server (CERTEVAL_BIND, default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(env("CERTEVAL_WORKERS", "0")) or stack.default_workers(),
            help="application server processes (CERTEVAL_WORKERS, default two per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(env("CERTEVAL_THREADS", "4")),
            help="threads per process, each with its database connection (CERTEVAL_THREADS, default 4)",
        )
        parser.add_argument(
            "--server",
            choices=stack.SERVERS,
            default=env("CERTEVAL_APP_SERVER", "granian"),
            help="application server (CERTEVAL_APP_SERVER, default granian)",
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")
        parser.add_argument(
            "--local-postgres",
            action="store_true",
            help="create and start a PostgreSQL cluster under CERTEVAL_VAR_DIR/postgres",
        )
        parser.add_argument(
            "--postgres-port",
            type=int,
            default=int(env("CERTEVAL_LOCAL_POSTGRES_PORT", "5433")),
            help="loopback port of the local cluster (CERTEVAL_LOCAL_POSTGRES_PORT, default 5433)",
        )
        parser.add_argument(
            "--check", action="store_true", help="validate and print what would start, start nothing"
        )
        parser.add_argument(
            "--setup-only", action="store_true", help="only the checks, migrations and static files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("DEBUG must be 0 in production (set DEBUG=0 and a long random SECRET_KEY).")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        try:
            stack.split_bind(options["bind"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        var_dir = Path(settings.VAR_DIR)
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE", "certeval.settings")
        env.setdefault("CONN_MAX_AGE", "600")
        metrics_dir = var_dir / "prometheus"
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)

        postgres = None
        if options["local_postgres"]:
            try:
                postgres = LocalPostgres(var_dir / "postgres", options["postgres_port"], find_bin_dir())
            except LocalPostgresError as exc:
                raise CommandError(str(exc)) from exc
            env["DATABASE_URL"] = postgres.url
        server = stack.Child(
            "application server",
            stack.server_command(options["server"], options["bind"], options["workers"], options["threads"]),
        )
        children = (
            [server] if options["no_worker"] else [server, stack.Child("task worker", stack.worker_command())]
        )

        if options["setup_only"]:
            self._setup()
            return
        self._describe(options, env, postgres, children)
        if options["check"]:
            call_command("check", deploy=True, fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)
            self.stdout.write(self.style.SUCCESS("Configuration valid: nothing was started (--check)."))
            return

        previous = {sig: signal.signal(sig, _stop_now) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if postgres is not None:
                postgres.start()
                self.stdout.write(f"PostgreSQL started on 127.0.0.1:{postgres.port} ({postgres.data_dir})")
                # This process's settings name another database: the setup runs with the cluster's.
                self._step(env, "production", "--setup-only")
            else:
                self._setup()
            connections.close_all()
            shutil.rmtree(metrics_dir, ignore_errors=True)
            metrics_dir.mkdir(parents=True)
            stack.Supervisor(children, env, say=self._say).run()
        except LocalPostgresError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if postgres is not None:
                postgres.stop()
                self.stdout.write("PostgreSQL stopped.")
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _setup(self) -> None:
        """Deployment checks (an error stops here, warnings are printed), migrations, static files."""
        for name, kwargs in (
            ("check", {"deploy": True, "fail_level": "ERROR"}),
            ("migrate", {"interactive": False}),
            ("collectstatic", {"interactive": False, "verbosity": 0}),
        ):
            self._say(f"certeval {name}")
            call_command(name, stdout=self.stdout, stderr=self.stderr, **kwargs)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _describe(
        self, options: dict[str, Any], env: dict[str, str], postgres: Any, children: list[Any]
    ) -> None:
        database = env.get("DATABASE_URL") or str(settings.DATABASES["default"].get("NAME", ""))
        lines = [
            f"database: {_masked(database)}",
            f"storage: {getattr(settings, 'CERTEVAL_STORAGE', 'filesystem')}",
            f"PROMETHEUS_MULTIPROC_DIR={env['PROMETHEUS_MULTIPROC_DIR']}",
            f"log format: {getattr(settings, 'LOG_FORMAT', 'text')}",
        ]
        if postgres is not None:
            lines += [f"local PostgreSQL: {step}" for step in postgres.describe()]
        lines += ["run: certeval check --deploy, migrate, collectstatic"]
        lines += [f"start {child.name}: {shlex.join(child.command)}" for child in children]
        for line in lines:
            self.stdout.write(line)

    def _step(self, env: dict[str, str], *command: str) -> None:
        """``certeval <command>`` in a child process with ``env``, stopped with this one."""
        self._say(f"certeval {' '.join(command)}")
        child = subprocess.Popen([sys.executable, "-m", "certeval", *command], env=env)
        try:
            code = child.wait()
        except BaseException:
            child.terminate()
            child.wait()
            raise
        if code != 0:
            raise CommandError(f"certeval {command[0]} failed (exit code {code}).")


def _stop_now(signum: int, frame: Any) -> None:
    """SIGTERM or SIGINT before the supervision starts: unwind, so that what was started stops."""
    raise SystemExit(128 + signum)
