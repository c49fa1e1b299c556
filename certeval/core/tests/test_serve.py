"""``certeval serve`` (what ``make demo`` runs): the task worker runs beside the server, is stopped
with it, and really delivers the queued e-mails (printed by the console back-end)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from certeval import cli
from certeval.campaigns.notifications import send_candidate_email
from certeval.campaigns.tests.factories import EnrolmentFactory
from certeval.core.management.commands import serve

REPO = Path(__file__).resolve().parents[3]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class Recorder:
    def __init__(self) -> None:
        self.workers: list[subprocess.Popen[bytes]] = []
        self.alive_while_serving: list[bool] = []

    def start(self, command: list[str] | None = None) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(SLEEPER)
        self.workers.append(worker)
        return worker

    def run(self, addrport: str, *, use_reloader: bool) -> None:
        self.alive_while_serving = [w.poll() is None for w in self.workers]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Any:
    found = Recorder()
    monkeypatch.setattr(serve, "start_worker", found.start)
    monkeypatch.setattr(serve, "run_server", found.run)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    yield found
    for worker in found.workers:  # never leave a process behind, even when a test fails
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_serve_runs_one_worker_beside_the_server_and_stops_it_with_the_server(recorder: Recorder) -> None:
    call_command("serve", "--noreload")
    assert recorder.alive_while_serving == [True]
    [worker] = recorder.workers
    assert worker.poll() is not None  # stopped and reaped: no orphan


def test_the_worker_is_stopped_when_the_server_fails(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(addrport: str, *, use_reloader: bool) -> None:
        raise OSError("address already in use")

    monkeypatch.setattr(serve, "run_server", crash)
    with pytest.raises(OSError):
        call_command("serve", "--noreload")
    [worker] = recorder.workers
    assert worker.poll() is not None


def test_the_reloaded_server_process_starts_no_second_worker(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUN_MAIN", "true")
    call_command("serve")
    assert recorder.workers == []


@pytest.mark.django_db  # the command's system checks may ask the database about its features
def test_the_cli_serve_is_the_serve_command_not_a_bare_runserver(recorder: Recorder) -> None:
    assert cli.main(["serve", "--noreload"]) == 0
    assert len(recorder.workers) == 1 and recorder.workers[0].poll() is not None


def test_the_worker_is_the_database_task_worker_without_a_reloader_of_its_own() -> None:
    command = serve.worker_command()
    assert command[:4] == [sys.executable, "-m", "certeval", "db_worker"]
    assert "--no-reload" in command


def test_a_killed_server_takes_its_worker_with_it(tmp_path: Path) -> None:
    """The worker dies with the server even when the server is killed (SIGKILL, no clean-up)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux only")
    pid_file = tmp_path / "worker.pid"
    script = (
        "import time\n"
        "from certeval.core.management.commands import serve\n"
        f"w = serve.start_worker({SLEEPER!r})\n"
        f"open({str(pid_file)!r}, 'w').write(str(w.pid))\n"
        "time.sleep(120)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text():
                break
            subprocess.run(["sleep", "0.1"], check=True)
        worker_pid = int(pid_file.read_text())
        server.kill()
        server.wait()
        for _ in range(100):
            try:
                os.kill(worker_pid, 0)
            except ProcessLookupError:
                break
            # A dead child not yet reaped by init still answers; read its state.
            state = (
                Path(f"/proc/{worker_pid}/stat").read_text().split()[2]
                if Path(f"/proc/{worker_pid}").exists()
                else "X"
            )
            if state in {"Z", "X"}:
                break
            subprocess.run(["sleep", "0.1"], check=True)
        else:
            os.kill(worker_pid, 9)
            pytest.fail("the worker outlived the killed server")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _test_database_url() -> str:
    """The test database, for a process started by the test (SQLite file or PostgreSQL)."""
    given = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{given['NAME']}"
    auth = given["USER"] + (f":{given['PASSWORD']}" if given["PASSWORD"] else "")
    return f"postgres://{auth}@{given['HOST'] or 'localhost'}:{given['PORT'] or 5432}/{given['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_queued_enrolment_email_to_the_console(settings: Any) -> None:
    """As in the demo: the enrolment e-mail waits in the database until the worker sends it; the
    console back-end prints it, with the link to choose a password."""
    enrolment = EnrolmentFactory()
    user = enrolment.candidate.user
    user.set_unusable_password()
    user.save()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = send_candidate_email.enqueue("enrolment", enrolment.pk)
    assert result.status == "READY"

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "certeval.settings",
        "DATABASE_URL": _test_database_url(),
        "EMAIL_BACKEND": "certeval.core.console_mail.ReadableConsoleBackend",  # as make demo
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    done = subprocess.run(
        [*serve.worker_command(), "--batch", "--no-startup-delay"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"To: {user.email}" in done.stdout
    assert re.search(r"\nhttp://[^\s]+/comptes/mot-de-passe/[^/\s]+/[^/\s]+/\n", done.stdout), done.stdout
    result.refresh()
    assert result.status == "SUCCESSFUL"


def test_the_demo_console_prints_the_email_as_written_with_whole_links() -> None:
    import io

    from django.core.mail import EmailMessage

    from certeval.core.console_mail import ReadableConsoleBackend

    link = "http://127.0.0.1:8000/comptes/mot-de-passe/Mjk/dj7b38-74bb6911bf32f5c590e9eb1727a5d81c/"
    stream = io.StringIO()
    message = EmailMessage(
        "Votre inscription : Pix+ Édu", f"Déposer votre dossier.\n{link}\n", to=["a@example.fr"]
    )
    message.attach("recepisse.pdf", b"%PDF", "application/pdf")
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Votre inscription : Pix+ Édu" in printed and "To: a@example.fr" in printed
    assert f"\n{link}\n" in printed and "Déposer" in printed and "=C3" not in printed
    assert "Attachments: recepisse.pdf" in printed
    with open(REPO / "Makefile", encoding="utf-8") as makefile:
        assert "EMAIL_BACKEND=certeval.core.console_mail.ReadableConsoleBackend" in makefile.read()
