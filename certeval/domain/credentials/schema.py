"""Validation against the official OB 3.0 ``AchievementCredential`` JSON schema (pinned copy), with
format checks (``uri`` needs ``rfc3987``, ``date-time``…)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from certeval.domain.credentials.contexts import SCHEMA_FILE, load_pinned


@cache
def _validator() -> Draft201909Validator:
    return Draft201909Validator(load_pinned(*SCHEMA_FILE), format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(document: Any) -> list[str]:
    """Every schema violation, as ``path: message`` (empty when valid)."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]
