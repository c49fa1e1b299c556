"""The database part of ``certeval backup`` and ``certeval restore`` (docs/backup.md).

SQLite is copied with the online backup API of ``sqlite3`` (a consistent copy while the site keeps
running: WAL readers do not block writers) and loaded back the same way, page by page into the target
file, which is replaced whole. PostgreSQL is dumped with ``pg_dump --format=custom`` inside an
exported snapshot (the table counts and the applied migrations of the manifest are read in that same
snapshot) and loaded with ``pg_restore``. The client programs are looked for in
``CERTEVAL_BACKUP_PG_BIN_DIR``, then on the ``PATH``, then in Debian's ``/usr/lib/postgresql/<version>/bin``
(the highest version, since ``pg_dump`` must not be older than the server).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_MEMBERS = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
DEBIAN_PG_DIR = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """A refusal or failure with an English message for the command line."""


@dataclass(frozen=True)
class DumpInfo:
    engine: str
    tables: dict[str, int]
    migrations: list[list[str]]


def engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DUMP_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


# --- client programs ---------------------------------------------------------------------------


def pg_program(name: str) -> str:
    configured = getattr(settings, "CERTEVAL_BACKUP_PG_BIN_DIR", "")
    if configured:
        candidate = Path(configured) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupError(f"{name} was not found in CERTEVAL_BACKUP_PG_BIN_DIR={configured}.")
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        (p for p in DEBIAN_PG_DIR.glob(f"*/bin/{name}") if p.parent.parent.name.isdigit()),
        key=lambda p: int(p.parent.parent.name),
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"{name} was not found (PATH, {DEBIAN_PG_DIR}/<version>/bin): install the PostgreSQL client "
        "(Debian: apt-get install postgresql-client) or set CERTEVAL_BACKUP_PG_BIN_DIR."
    )


def pg_environment(using: str = "default") -> dict[str, str]:
    """libpq's variables for the client programs: the password never appears on a command line."""
    given = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if given.get(key):
            env[variable] = str(given[key])
    if given.get("PASSWORD"):
        env["PGPASSWORD"] = str(given["PASSWORD"])
    options = given.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()}")


# --- dump --------------------------------------------------------------------------------------


def dump(path: Path, using: str = "default") -> DumpInfo:
    """Write the database to ``path``; the counts and migrations describe exactly that copy."""
    kind = engine(using)
    if kind == SQLITE:
        return _sqlite_dump(path, using)
    return _pg_dump(path, using)


def _sqlite_dump(path: Path, using: str) -> DumpInfo:
    source_name = str(connections[using].settings_dict["NAME"])
    if not Path(source_name).is_file():
        raise BackupError(f"The SQLite database {source_name} does not exist.")
    source = sqlite3.connect(f"file:{source_name}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # all pages in one step: one consistent read transaction
    finally:
        source.close()
    try:
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        return DumpInfo(SQLITE, *_sqlite_describe(target))
    finally:
        target.close()


def _sqlite_describe(db: sqlite3.Connection) -> tuple[dict[str, int], list[list[str]]]:
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    tables = {name: int(db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]) for name in names}  # noqa: S608
    migrations = (
        [list(row) for row in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]
        if "django_migrations" in tables
        else []
    )
    return tables, migrations


def _pg_dump(path: Path, using: str) -> DumpInfo:
    program = pg_program("pg_dump")
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [program, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
            env=pg_environment(using),
        )
        tables, migrations = _pg_describe(cursor)
    return DumpInfo(POSTGRESQL, tables, migrations)


def _pg_describe(cursor: Any) -> tuple[dict[str, int], list[list[str]]]:
    cursor.execute(
        "SELECT quote_ident(table_name), table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables: dict[str, int] = {}
    for quoted, name in cursor.fetchall():
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - quoted by the server
        tables[name] = int(cursor.fetchone()[0])
    migrations: list[list[str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [list(row) for row in cursor.fetchall()]
    return tables, migrations


# --- the target of a restore -------------------------------------------------------------------


def existing_tables(using: str = "default") -> list[str]:
    """The tables already in the target database (none: it is empty). A SQLite file that does not
    exist yet is empty and is not created by this look."""
    connection = connections[using]
    if connection.vendor == SQLITE and not Path(str(connection.settings_dict["NAME"])).exists():
        return []
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def current_tables(using: str = "default") -> dict[str, int]:
    connection = connections[using]
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        counts: dict[str, int] = {}
        for name in sorted(names):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = int(cursor.fetchone()[0])
    return counts


def load(path: Path, kind: str, *, force: bool, using: str = "default") -> None:
    """Load a dump into the configured database (the caller checked it is empty, or ``force``)."""
    target = engine(using)
    if target != kind:
        raise BackupError(
            f"The archive holds a {kind} database but DATABASE_URL points at {target}: "
            "restore into the same engine."
        )
    connections[using].close()
    if kind == SQLITE:
        _sqlite_load(path, using)
    else:
        _pg_load(path, force=force, using=using)
    connections[using].close()


def _sqlite_load(path: Path, using: str) -> None:
    target_name = Path(str(connections[using].settings_dict["NAME"]))
    target_name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(target_name)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"The SQLite dump is damaged: {check}")
        source.backup(target)  # replaces every page of the target, under its write lock
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()


def _pg_load(path: Path, *, force: bool, using: str) -> None:
    env = pg_environment(using)
    command = [pg_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={env.get('PGDATABASE', '')}"]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, str(path)], env=env)
