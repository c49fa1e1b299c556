"""Shared pieces of the role-matrix tests (one ``test_role_matrix.py`` per app; the coverage test in
``certeval/core/tests/test_role_matrix_coverage.py`` checks that together they name every URL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client

from certeval.accounts.models import User


@dataclass
class World:
    """The users of every role and the ids the URL templates of a matrix are filled with."""

    users: dict[str, User]
    ids: dict[str, int]


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def fingerprint() -> dict[str, int]:
    """Row counts of every Certeval model, the audit log included: every business write adds or
    removes rows or writes an audit row, so a refused request leaves this unchanged."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("certeval.")
    }


def assert_get_matrix(world: World, roles: list[str], template: str, allowed: set[str]) -> None:
    """Allowed roles get 200 (``anonymous`` among them for public pages); otherwise anonymous
    visitors are sent to sign in (pages) or get 401 (API), and every other role gets 404, exactly
    as for an object that does not exist."""
    api = template.startswith("/api/")
    for role in roles:
        client = client_for(world, role)
        status = client.get(template.format(**world.ids)).status_code
        if role in allowed:
            assert status == 200, (role, status)
        elif role == "anonymous":
            assert status == (401 if api else 302), role
        else:
            assert status == 404, (role, status)
            assert client.get(template.format(**{k: 999999 for k in world.ids})).status_code == 404, role


def assert_refused(world: World, role: str, send: Any, url: str) -> None:
    """A refused write: sign-in (pages) or 401 (API) for anonymous visitors, 404 for every other role
    — and nothing changed."""
    before = fingerprint()
    response = send(client_for(world, role), url)
    if role == "anonymous":
        if url.startswith("/api/"):
            assert response.status_code == 401, (role, url)
        else:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], (role, url)
    else:
        assert response.status_code == 404, (role, url, response.status_code)
    assert fingerprint() == before, (role, url)


Send = Callable[[Client, str], Any]


def json_sender(method: str, body: dict[str, Any]) -> Send:
    """Sends ``body`` as JSON with ``method`` (``post``, ``put``, ``patch``, ``delete``)."""

    def send(client: Client, url: str) -> Any:
        return getattr(client, method)(url, body, content_type="application/json")

    return send


def assert_write(
    world: World, role: str, send: Send, template: str, answers: dict[str, int], *, unknown_ids: bool = False
) -> None:
    """A write row of a matrix: the roles named in ``answers`` get their status; every other role is
    refused with nothing changed (``assert_refused``). With ``unknown_ids``, every signed-in role is
    also refused, with nothing changed, when the ids do not exist."""
    url = template.format(**world.ids)
    if role in answers:
        response = send(client_for(world, role), url)
        assert response.status_code == answers[role], (role, response.status_code, response.content[:300])
    else:
        assert_refused(world, role, send, url)
    if unknown_ids and role != "anonymous":
        assert_refused(world, role, send, template.format(**{k: 999999 for k in world.ids}))


def assert_post_matrix(
    world: World, role: str, template: str, answers: dict[str, int], data: dict[str, Any] | None = None
) -> None:
    """A ``POSTS`` row: the form posted (empty unless ``data``) by ``role``."""
    body = data or {}
    assert_write(world, role, lambda client, url: client.post(url, body), template, answers)


def assert_api_write(
    world: World,
    role: str,
    method: str,
    template: str,
    body: dict[str, Any],
    answers: dict[str, int],
    *,
    unknown_ids: bool = False,
) -> None:
    """An ``API_WRITES`` row: ``body`` sent as JSON by ``role``."""
    assert_write(world, role, json_sender(method, body), template, answers, unknown_ids=unknown_ids)
