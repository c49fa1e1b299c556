"""The role matrices cover every URL and every API operation: adding a page or an endpoint without
a row in a matrix (``certeval/<app>/tests/test_role_matrix.py``, or a topic's own
``test_<topic>_role_matrix.py``) fails here.

Each matrix module lists ``PAGES`` (GET), ``POSTS`` (POST) and, for the API, ``API_WRITES`` rows
whose first item is the method; templates name their ids in braces (``/jurys/{jury}/``)."""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from certeval.api import api

# Django's own machinery and flows whose access rules are Django's, each with where it is tested.
EXEMPT = {
    "/admin/": "Django admin (staff only, Django's permissions; see dossiers/tests/test_scheduled_and_audit.py)",
    "/i18n/setlang/": "Django's language switch, public (core/tests/test_i18n.py)",
    "/api/": "django-ninja's API root",
}


def _normalise(template: str) -> str:
    """One spelling for Django patterns, OpenAPI paths and matrix templates: ids become ``{}``."""
    template = re.sub(r"<(?:\w+:)?\w+>", "{}", template)
    template = re.sub(r"\{\w*\}", "{}", template)
    return template if template.startswith("/") else "/" + template


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _site_pages() -> set[str]:
    pages = {_normalise(p) for p in _patterns(get_resolver().url_patterns)}
    return {
        p
        for p in pages
        if not p.startswith("/api/v1/")
        and not any(p.startswith(e) for e in EXEMPT if e != "/api/")
        and p not in EXEMPT
    }


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method, _normalise(path)) for path, ops in schema["paths"].items() for method in ops}


def _matrices() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        package = f"{config.name}.tests"
        if not config.name.startswith("certeval.") or find_spec(package) is None:
            continue
        for module in pkgutil.iter_modules(import_module(package).__path__):
            if module.name == "test_role_matrix" or module.name.endswith("_role_matrix"):
                found.append(import_module(f"{package}.{module.name}"))
    return found


def _covered() -> tuple[set[str], set[tuple[str, str]]]:
    pages: set[str] = set()
    operations: set[tuple[str, str]] = set()
    for module in _matrices():
        for row in getattr(module, "PAGES", []):
            pages.add(_normalise(row[0]))
            operations.add(("get", _normalise(row[0])))
        for row in getattr(module, "POSTS", []):
            pages.add(_normalise(row[0]))
            operations.add(("post", _normalise(row[0])))
        for row in getattr(module, "API_WRITES", []):
            operations.add((row[0], _normalise(row[1])))
    return pages, operations


def test_every_page_has_a_row_in_a_role_matrix() -> None:
    pages, _operations = _covered()
    missing = sorted(_site_pages() - pages)
    assert not missing, f"pages without a role-matrix row: {missing}"


def test_every_api_operation_has_a_row_in_a_role_matrix() -> None:
    _pages, operations = _covered()
    missing = sorted(_api_operations() - operations)
    assert not missing, f"API operations without a role-matrix row: {missing}"


def test_matrix_rows_name_existing_urls() -> None:
    pages, operations = _covered()
    site = _site_pages() | {p for _m, p in _api_operations()}
    stale = sorted(p for p in pages | {p for _m, p in operations} if p not in site)
    assert not stale, f"role-matrix rows for URLs that do not exist: {stale}"
