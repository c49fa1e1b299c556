"""The restore test of docs/backup.md: an instance is backed up, restored into a fresh database and a
fresh media directory by another process (its own DATABASE_URL and CERTEVAL_VAR_DIR), and the restored
instance is checked: every file's SHA-256 against the database, the candidate's dossier page and
receipt, the row counts of every model. A flipped byte is found before anything is
restored. The same round trip on PostgreSQL when one answers on 127.0.0.1:5432."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from certeval.core.tests import backup_instance

REPO = Path(__file__).resolve().parents[3]
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


def child_env(database_url: str, var_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "certeval.settings",
        "DATABASE_URL": database_url,
        "CERTEVAL_VAR_DIR": str(var_dir),
        "CERTEVAL_STORAGE": "filesystem",
        "ALLOWED_HOSTS": "testserver",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def run(env: dict[str, str], module: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == expect, f"rc={done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def certeval(env: dict[str, str], *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    return run(env, "certeval", *args, expect=expect)


def instance(env: dict[str, str], *args: str) -> Any:
    """Run backup_instance in the instance of ``env``; its JSON answer."""
    done = run(env, "certeval.core.tests.backup_instance", *args)
    return json.loads(done.stdout.strip().splitlines()[-1])


def tree_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_restored(env: dict[str, str], built: dict[str, Any], source_counts: dict[str, int]) -> None:
    shown = instance(env, "inspect", str(built["enrolment"]))
    assert shown["missing"] == [] and shown["mismatched"] == []
    # 3 dossier files (a replaced version, the deposited one, a trace), the receipt, the attestation.
    assert shown["checked"] == 5, shown["per_model"]
    assert shown["per_model"] == {
        "dossiers.DossierFile.storage_name": 3,
        "dossiers.Receipt.storage_name": 1,
        "campaigns.Enrolment.trainer_attestation_storage": 1,
    }
    assert shown["counts"] == source_counts
    assert shown["page_status"] == 200
    assert sorted(shown["page_shows"]) == ["Capture de la séance", "Mon dossier", "Mon dossier"]
    assert shown["receipt_status"] == 200 and shown["receipt_matches"]


def use_media(settings: Any, root: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }


def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip backs up the suite's SQLite database; see the PostgreSQL test")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_instance_that_matches_it(tmp_path: Path, settings: Any) -> None:
    sqlite_only()
    use_media(settings, tmp_path / "source-media")
    built = backup_instance.build()
    source_counts = backup_instance.counts()
    archives = tmp_path / "archives"
    archives.mkdir()
    out = io.StringIO()
    call_command("backup", str(archives), stdout=out)
    assert "Backup written" in out.getvalue() and "5 file(s)" in out.getvalue()
    [archive] = archives.iterdir()
    assert archive.name.startswith("certeval-backup-") and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the service user's only

    manifest = json.loads(_member(archive, "manifest.json"))
    assert manifest["database"]["engine"] == "sqlite"
    assert ["dossiers", "0001_initial"] in manifest["database"]["migrations"]
    assert {e["path"]: e["sha256"] for e in manifest["files"]} == {
        name: digest for name, digest in tree_hashes(tmp_path / "source-media").items()
    }

    target = tmp_path / "restored"
    env = child_env(f"sqlite:///{target / 'fresh.sqlite3'}", target)
    done = certeval(env, "restore", str(archive))
    assert "Files checked against the database: 5" in done.stdout
    assert "Restore verified" in done.stdout
    assert tree_hashes(target / "media") == tree_hashes(tmp_path / "source-media")
    assert_restored(env, built, source_counts)

    refused = certeval(env, "restore", str(archive), expect=2)
    assert "Restore refused: the database already holds" in refused.stderr
    assert "--force" in refused.stderr
    again = certeval(env, "restore", "--force", str(archive))
    assert "Restore verified" in again.stdout


def _member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        member = tar.extractfile(name)
        assert member is not None
        return member.read()


@pytest.mark.django_db(transaction=True)
def test_a_flipped_byte_is_detected_and_nothing_is_restored(tmp_path: Path, settings: Any) -> None:
    sqlite_only()
    use_media(settings, tmp_path / "source-media")
    backup_instance.build()
    archive = tmp_path / "plain.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("backup", "--verify", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("files/dossiers/"))
    data = bytearray(archive.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0x01
    archive.write_bytes(bytes(data))

    errors = io.StringIO()
    with pytest.raises(CommandError, match="is damaged") as raised:
        call_command("backup", "--verify", str(archive), stdout=io.StringIO(), stderr=errors)
    assert raised.value.returncode == 1
    assert f"{member.name}: its content does not match the manifest" in errors.getvalue()

    target = tmp_path / "restored"
    env = child_env(f"sqlite:///{target / 'fresh.sqlite3'}", target)
    refused = certeval(env, "restore", str(archive), expect=1)
    assert member.name in refused.stderr and "nothing was restored" in refused.stderr
    restored = target / "fresh.sqlite3"
    if restored.exists():  # Django's start-up may create the file, never a table in it
        with closing(sqlite3.connect(restored)) as db:
            assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    assert not (target / "media").exists() or tree_hashes(target / "media") == {}


def test_postgresql_round_trip_between_scratch_databases(tmp_path: Path) -> None:
    import psycopg

    from certeval.core.backup_database import BackupError, pg_program

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip runs when the suite itself runs on PostgreSQL (DATABASE_URL)")
    try:
        pg_program("pg_dump")
        pg_program("pg_restore")
    except BackupError as error:
        pytest.skip(f"PostgreSQL round trip skipped: {error}")
    suffix = uuid.uuid4().hex[:8]
    source, target = f"certeval_backup_src_{suffix}", f"certeval_backup_dst_{suffix}"
    try:
        admin = psycopg.connect(**PG_ADMIN, autocommit=True, connect_timeout=5)  # type: ignore[arg-type]
    except psycopg.OperationalError as error:
        pytest.skip(
            f"PostgreSQL round trip skipped: no server answers as postgres on 127.0.0.1:5432 ({error})"
        )
    try:
        admin.execute(f'CREATE DATABASE "{source}"')
        admin.execute(f'CREATE DATABASE "{target}"')
        source_env = child_env(f"postgres://postgres@127.0.0.1:5432/{source}", tmp_path / "source")
        certeval(source_env, "migrate", "--noinput")
        built = instance(source_env, "build")
        source_counts = instance(source_env, "counts")
        archive = tmp_path / "pg.tar.zst"
        made = certeval(source_env, "backup", str(archive))
        assert "postgresql database, 5 file(s)" in made.stdout
        assert archive.read_bytes()[:4] == b"\x28\xb5\x2f\xfd"  # zstd

        target_env = child_env(f"postgres://postgres@127.0.0.1:5432/{target}", tmp_path / "target")
        done = certeval(target_env, "restore", str(archive))
        assert "Files checked against the database: 5" in done.stdout
        assert tree_hashes(tmp_path / "target" / "media") == tree_hashes(tmp_path / "source" / "media")
        assert_restored(target_env, built, source_counts)
        refused = certeval(target_env, "restore", str(archive), expect=2)
        assert "Restore refused" in refused.stderr
    finally:
        for name in (source, target):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
