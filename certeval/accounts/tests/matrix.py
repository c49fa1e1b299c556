"""Shared pieces of the role-matrix tests (campaigns and dossiers here, juries in its own app)."""

from __future__ import annotations

from dataclasses import dataclass

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


def assert_get_matrix(world: World, roles: list[str], template: str, allowed: set[str]) -> None:
    """Anonymous visitors are sent to sign in (pages) or get 401 (API); allowed roles get 200;
    every other role gets 404, exactly as for an object that does not exist."""
    api = template.startswith("/api/")
    for role in roles:
        client = client_for(world, role)
        status = client.get(template.format(**world.ids)).status_code
        if role == "anonymous":
            assert status == (401 if api else 302), role
        elif role in allowed:
            assert status == 200, role
        else:
            assert status == 404, role
            assert client.get(template.format(**{k: 999999 for k in world.ids})).status_code == 404, role
