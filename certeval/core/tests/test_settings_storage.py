"""Uploaded files go to the filesystem by default and to an S3-compatible bucket by setting."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = (
    "import django; django.setup();"
    "from django.core.files.storage import storages;"
    "s = storages['default']; print(type(s).__module__, type(s).__name__,"
    " getattr(s, 'bucket_name', '-'), getattr(s, 'endpoint_url', '-'), getattr(s, 'default_acl', '-'))"
)


def run(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CERTEVAL_S")}
    base.update({"DJANGO_SETTINGS_MODULE": "certeval.settings", **env})
    return subprocess.run([sys.executable, "-c", PROBE], env=base, capture_output=True, text=True, timeout=60)


def test_filesystem_by_default() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


def test_s3_compatible_bucket_by_setting() -> None:
    result = run(
        CERTEVAL_STORAGE="s3",
        CERTEVAL_S3_BUCKET="certeval-dossiers",
        CERTEVAL_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        CERTEVAL_S3_ACCESS_KEY="minio",
        CERTEVAL_S3_SECRET_KEY="minio-secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "certeval-dossiers",
        "http://127.0.0.1:9000",
        "private",
    ]


def test_s3_without_a_bucket_refuses_to_start() -> None:
    result = run(CERTEVAL_STORAGE="s3")
    assert result.returncode != 0
    assert "CERTEVAL_S3_BUCKET" in result.stderr
    assert "must be 'filesystem' or 's3'" in run(CERTEVAL_STORAGE="ftp").stderr
