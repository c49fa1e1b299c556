"""A PostgreSQL cluster of its own for a one-machine install (``certeval production --local-postgres``).

The cluster lives in ``<CERTEVAL_VAR_DIR>/postgres`` (created with Debian's ``initdb`` the first time,
owned by the user running Certeval, trust authentication on loopback only), listens on 127.0.0.1 at
``port`` with its socket in the same directory, and is started and stopped with ``pg_ctl``. The
binaries are looked up under ``/usr/lib/postgresql/<version>/bin`` (the newest version) unless
``CERTEVAL_PG_BIN`` names their directory. PostgreSQL refuses to run as root: run Certeval as a
service user (docs/deployment.md); started as root, the cluster is owned and run by the system user
``postgres`` (``runuser``).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASE = "certeval"


class LocalPostgresError(RuntimeError):
    pass


def find_bin_dir() -> Path:
    given = os.environ.get("CERTEVAL_PG_BIN")
    candidates = [Path(given)] if given else []
    if not given:
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0],
            reverse=True,
        )
        candidates += versions
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    raise LocalPostgresError(
        "initdb and pg_ctl were not found under /usr/lib/postgresql/*/bin: install the postgresql "
        "package or set CERTEVAL_PG_BIN."
    )


@dataclass
class LocalPostgres:
    data_dir: Path
    port: int
    bin_dir: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _as_owner(self) -> list[str]:
        """``runuser -u postgres --`` when running as root (PostgreSQL refuses root)."""
        if os.geteuid() != 0:
            return []
        runuser = shutil.which("runuser")
        if runuser is None:
            raise LocalPostgresError("running as root needs runuser to start PostgreSQL as 'postgres'")
        return [runuser, "-u", "postgres", "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*self._as_owner(), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def describe(self) -> list[str]:
        steps = []
        if not (self.data_dir / "PG_VERSION").exists():
            steps.append(f"{self.bin_dir / 'initdb'} -D {self.data_dir} -U postgres --auth=trust")
        steps.append(f"{self.bin_dir / 'pg_ctl'} -D {self.data_dir} -o '-p {self.port} -h 127.0.0.1' start")
        steps.append(f"create the database {DATABASE} if absent")
        return steps

    def start(self) -> None:
        if not (self.data_dir / "PG_VERSION").exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.data_dir.chmod(0o700)
            if os.geteuid() == 0:
                owner = pwd.getpwnam("postgres")
                os.chown(self.data_dir, owner.pw_uid, owner.pw_gid)
            done = self._run(
                str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
            if done.returncode != 0:
                raise LocalPostgresError(f"initdb failed: {done.stderr.strip()}")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.data_dir}"
        done = self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-o", options,
            "-l", str(self.data_dir / "server.log"), "-w", "start",
        )  # fmt: skip
        if done.returncode != 0:
            raise LocalPostgresError(f"pg_ctl start failed: {done.stderr.strip() or done.stdout.strip()}")
        self._create_database()

    def _create_database(self) -> None:
        import psycopg

        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
