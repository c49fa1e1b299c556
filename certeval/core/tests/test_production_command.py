"""``certeval production``: the dry mode, the supervision, and one bounded run of the real stack
(granian with one worker, SQLite in a temporary directory, a random loopback port)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from certeval.core import production_stack as stack


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CERTEVAL_", "PROMETHEUS_"))}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; the deploy check refuses it
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "certeval.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CERTEVAL_VAR_DIR": str(var_dir),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            **extra,
        }
    )
    return env


def certeval(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "certeval", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def test_check_validates_and_prints_what_it_would_start(tmp_path: Path) -> None:
    done = certeval(
        "production", "--check", "--workers", "3", "--bind", "127.0.0.1:8123", env=production_env(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "--interface wsgi" in out and "--workers 3" in out and "--port 8123" in out
    assert "certeval.wsgi:application" in out
    assert "db_worker" in out
    assert f"PROMETHEUS_MULTIPROC_DIR={tmp_path / 'prometheus'}" in out
    assert "nothing was started" in out
    assert not (tmp_path / "prometheus").exists()
    database = tmp_path / "certeval.sqlite3"
    if database.exists():  # opened by the checks, never migrated
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (0,)


def test_check_refuses_debug_and_a_development_mail_backend(tmp_path: Path) -> None:
    debug = certeval("production", "--check", env=production_env(tmp_path, DEBUG="1"))
    assert debug.returncode != 0
    assert "DEBUG must be 0" in debug.stderr
    console = "django.core.mail.backends.console.EmailBackend"
    mail = certeval("production", "--check", env=production_env(tmp_path, EMAIL_BACKEND=console))
    assert mail.returncode != 0
    assert "mail.E001" in mail.stderr


def test_gunicorn_is_the_documented_alternative() -> None:
    command = stack.server_command("gunicorn", "127.0.0.1:9000", workers=2, threads=4)
    assert command[1:4] == ["-m", "gunicorn", "certeval.wsgi:application"]
    assert "--preload" in command and command[command.index("--threads") + 1] == "4"
    with pytest.raises(ValueError):
        stack.server_command("uwsgi", "127.0.0.1:9000", workers=1, threads=1)
    with pytest.raises(ValueError):
        stack.split_bind("9000")


def test_a_stopped_child_is_restarted_with_a_growing_delay() -> None:
    crashing = stack.Child("crashing", [sys.executable, "-c", "raise SystemExit(3)"])
    messages: list[str] = []
    supervisor = stack.Supervisor([crashing], dict(os.environ), say=messages.append, max_backoff=4)
    supervisor.start(crashing)
    assert crashing.process is not None
    crashing.process.wait(timeout=30)
    now = time.monotonic()
    supervisor.poll_once(now)
    assert crashing.history == [3] and crashing.restart_at == pytest.approx(now + 1)
    supervisor.poll_once(now + 0.5)
    assert crashing.restarts == 0  # not before its delay
    supervisor.poll_once(now + 1.01)
    assert crashing.restarts == 1
    crashing.process.wait(timeout=30)
    supervisor.poll_once(now + 1.02)
    assert crashing.restart_at == pytest.approx(now + 1.02 + 2)  # twice the previous delay
    supervisor.stop_all()
    assert any("exit code 3" in m for m in messages)


def test_stopping_kills_the_whole_process_group() -> None:
    child = stack.Child("shell", ["bash", "-c", "sleep 300 & sleep 300 & wait"])
    supervisor = stack.Supervisor([child], dict(os.environ), say=lambda _m: None, stop_timeout=5)
    supervisor.start(child)
    assert child.process is not None
    time.sleep(0.3)
    assert stack.group_alive(child.process.pid)
    supervisor.stop_all()
    assert not stack.group_alive(child.process.pid)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http on loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _members(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[2]) == pgid and " Z " not in stat:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


@pytest.mark.stack
@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("bash") is None or not Path("/proc").exists(), reason="Linux only")
def test_the_stack_starts_answers_and_stops_without_leaving_a_process(tmp_path: Path) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("copies the migrated SQLite test database")
    # The test database is migrated already: a copy saves the migrations' minutes on a busy machine.
    with (
        sqlite3.connect(connection.settings_dict["TEST"]["NAME"]) as source,
        sqlite3.connect(tmp_path / "certeval.sqlite3") as target,
    ):
        source.backup(target)
    port = _free_port()
    env = production_env(tmp_path)
    command = [sys.executable, "-m", "certeval", "production", "--workers", "1", "--threads", "2"]
    main = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pids: list[int] = []
    try:
        deadline = time.monotonic() + 120
        status = 0
        while time.monotonic() < deadline and main.poll() is None:
            try:
                status, _body = _get(f"http://127.0.0.1:{port}/sante/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, main.poll()
        status, body = _get(f"http://127.0.0.1:{port}/pret/")
        assert status == 200, body
        assert b'"failing": []' in body
        pids = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-P", str(main.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        assert len(pids) == 2  # the application server and the task worker
        groups = {os.getpgid(pid) for pid in pids}
        main.send_signal(signal.SIGTERM)
        output, _ = main.communicate(timeout=60)
        assert main.returncode == 0, output
        assert b"every process stopped" in output
        time.sleep(0.5)
        assert not [pid for group in groups for pid in _members(group)], "a child survived"
    finally:
        if main.poll() is None:
            os.killpg(main.pid, signal.SIGKILL)
            main.wait()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
