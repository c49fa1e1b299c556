"""Every operation of the candidate's proctored-test API, for every role. The API knows no account: only
the token from ``/sitting/join`` opens a sitting, so anonymous visitors and signed-in people (the
candidate's own account, organisers, administrators) all get 401 without it, and nothing changes; the
token of another candidate's sitting reaches none of this sitting's questions or files (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from certeval.accounts.tests.matrix import client_for, fingerprint
from certeval.campaigns.tests.factories import UserFactory
from certeval.testing.models import ItemVersion
from certeval.testing.sitting_api import token_for
from certeval.testing.tests.sitting_factories import proctored_session, seated

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "organiser", "administrator"]
API = "/api/v1/testing/sitting"


@pytest.fixture
def world() -> dict[str, Any]:
    ps = proctored_session(2)
    tokens, questions = [], []
    for index in range(2):
        sitting, tab, question = seated(ps, index)
        tokens.append(token_for(sitting.pk, tab))
        questions.append(question)
    ItemVersion.objects.filter(pk=questions[0].item_version_id).update(
        image=default_storage.save(
            "items/images/schema.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        ),
        attachment=default_storage.save("items/files/notes.csv", ContentFile(b"a;b\n1;2\n")),
    )
    users = {
        "candidate": ps.enrolments[0].candidate.user,
        "organiser": ps.organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    candidate = ps.enrolments[0].candidate
    return {
        "users": users,
        "token": tokens[0],
        "other_token": tokens[1],
        "question": questions[0],
        "ids": {"question": questions[0].pk},
        "join": {
            "access_code": ps.delivery.access_code,
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.isoformat(),
        },
    }


PAGES = [
    (f"{API}/state", 200),
    (API + "/questions/{question}/{which}", 200),  # which: image, then attachment
]
# (method, template, body, the answer with the sitting's own token); joining needs no token (tested
# on its own below).
JOIN = ("post", f"{API}/join", {}, 200)
API_WRITES = [
    JOIN,
    ("post", f"{API}/start", {}, 200),
    ("post", f"{API}/answer", {"question_id": 0, "key": "stale", "choices": ["a"]}, 404),
    ("post", f"{API}/heartbeat", {}, 200),
    ("post", f"{API}/report-problem", {"message": "Écran figé"}, 200),
    ("post", f"{API}/abandon", {}, 200),
]


class _World:
    def __init__(self, data: dict[str, Any]) -> None:
        self.users = data["users"]


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, body or {}, content_type="application/json", **headers)


@pytest.mark.parametrize(("template", "status"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(world: dict[str, Any], template: str, status: int, role: str) -> None:
    client = client_for(_World(world), role)  # type: ignore[arg-type]
    for which in ("image", "attachment"):
        url = template.format(**world["ids"], which=which)
        assert _send(client, "get", url, None, None).status_code == 401, role
        if role == "anonymous":
            assert _send(client, "get", url, None, world["token"]).status_code == status
            if "{question}" in template:
                assert _send(client, "get", url, None, world["other_token"]).status_code == 404
                unknown = template.format(question=999999, which=which)
                assert _send(client, "get", unknown, None, world["token"]).status_code == 404


TOKEN_WRITES = [w for w in API_WRITES if w is not JOIN]


@pytest.mark.parametrize(
    ("method", "template", "body", "status"), TOKEN_WRITES, ids=[w[1] for w in TOKEN_WRITES]
)
@pytest.mark.parametrize("role", ROLES)
def test_api_write_matrix(
    world: dict[str, Any], method: str, template: str, body: dict[str, Any], status: int, role: str
) -> None:
    client = client_for(_World(world), role)  # type: ignore[arg-type]
    before = fingerprint()
    response = _send(client, method, template, body, None)
    assert response.status_code == 401 and "token" in response.json()["detail"], role
    assert fingerprint() == before
    if role == "anonymous":
        assert _send(client, method, template, body, world["token"]).status_code == status


def test_join_is_open_to_anyone_with_the_code_and_the_identity(world: dict[str, Any]) -> None:
    for role in ROLES:
        client = client_for(_World(world), role)  # type: ignore[arg-type]
        response = client.post(f"{API}/join", world["join"], content_type="application/json")
        assert response.status_code == 200, role
    refused = Client().post(f"{API}/join", {**world["join"], "name": "X"}, content_type="application/json")
    assert refused.status_code == 403


def test_another_sittings_token_reaches_none_of_its_questions(world: dict[str, Any]) -> None:
    question = world["question"]
    before = fingerprint()
    response = _send(
        Client(),
        "post",
        f"{API}/answer",
        {"question_id": question.pk, "key": question.idempotency_key, "choices": ["a"]},
        world["other_token"],
    )
    assert response.status_code == 404
    assert fingerprint() == before
