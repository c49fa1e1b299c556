"""The production settings (DEBUG=0): ``certeval check --deploy`` is clean with a strong SECRET_KEY,
and a weak one is refused at start with a clear English message, each of Django's W009 criteria
and the demo key (docs/security-http.md). Each case starts a real ``certeval`` process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks.security import base as django_security

from certeval.core import secret_key
from certeval.settings import DEMO_SECRET_KEY

CERTEVAL = Path(sys.executable).parent / "certeval"


def production(tmp_path: Path, key: str, **extra: str) -> dict[str, str]:
    # Neither the suite's settings nor the browser tests' async-unsafe switch (refused by the deploy check).
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="certeval.example.fr",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        CERTEVAL_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="certeval.settings",
        **extra,
    )
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CERTEVAL), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_criteria_are_djangos() -> None:
    assert secret_key.MIN_LENGTH == django_security.SECRET_KEY_MIN_LENGTH
    assert secret_key.MIN_UNIQUE_CHARACTERS == django_security.SECRET_KEY_MIN_UNIQUE_CHARACTERS
    assert secret_key.INSECURE_PREFIX == django_security.SECRET_KEY_INSECURE_PREFIX


def test_check_deploy_is_clean_with_a_strong_key(tmp_path: Path) -> None:
    result = run(
        production(tmp_path, secrets.token_urlsafe(64)), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (DEMO_SECRET_KEY, "it is the demo key"),
        ("django-insecure-" + secrets.token_urlsafe(48), "starts with 'django-insecure-'"),
        (secrets.token_urlsafe(30), "fewer than 50"),
        ("abcd" * 20, "4 distinct characters, fewer than 5"),
    ],
    ids=["demo", "django-insecure", "short", "few-distinct"],
)
def test_a_weak_key_is_refused_at_start(tmp_path: Path, key: str, reason: str) -> None:
    result = run(production(tmp_path, key), "check", "--deploy")
    assert result.returncode != 0
    assert "DEBUG=0 with a weak SECRET_KEY" in result.stderr
    assert reason in result.stderr
    assert key not in result.stderr  # the message never prints the key


def test_production_settings_values(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "bool(s.SECURE_CSP), bool(s.SECURE_CSP_REPORT_ONLY))"
    )
    env = production(
        tmp_path, secrets.token_urlsafe(64), SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
    )
    result = run(env, "shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "False",
    ], result.stderr
    env = production(
        tmp_path, secrets.token_urlsafe(64), CERTEVAL_CSP_REPORT_ONLY="1", SECURE_HSTS_PRELOAD="0"
    )
    result = run(env, "shell", "-c", code)
    fields = result.stdout.strip().splitlines()[-1].split()
    assert fields[2] == "False" and fields[-2:] == ["False", "True"], result.stderr
