"""Request bodies are capped per route before anything reads them (certeval/core/body_limits.py):
a declared, a chunked or a lying body over the cap is answered 413 in French (JSON under /api/),
the view is not called and the body is not read past the cap."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from certeval.core.body_limits import MEDIA, UPLOAD, cap_bytes, route_cap
from certeval.core.tests import body_limit_urls
from certeval.core.tests.body_limit_urls import CALLS

pytestmark = pytest.mark.django_db

DEFAULT = 2_621_440


class Untouchable(io.RawIOBase):
    """A body that must not be read at all."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read  # type: ignore[assignment]


class Counting(io.BytesIO):
    """A body that counts what was read from it."""

    def __init__(self, size: int) -> None:
        super().__init__(b"x" * size)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


@pytest.fixture(autouse=True)
def spy_urls(settings: Any) -> Any:
    settings.ROOT_URLCONF = "certeval.core.tests.body_limit_urls"
    CALLS.clear()
    yield
    CALLS.clear()


def declared(client: Client, path: str, length: int, **extra: Any) -> Any:
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Untouchable()},
        **extra,
    )


def assert_french_refusal(response: Any, megabytes: str) -> None:
    assert response.status_code == 413
    text = response.content.decode()
    assert "Envoi trop volumineux" in text
    assert f"taille maximale acceptée à cette adresse ({megabytes} Mo)" in text


def test_the_settings_state_the_caps() -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == DEFAULT
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 10
    assert cap_bytes(None) == DEFAULT
    assert cap_bytes(UPLOAD) == settings.CERTEVAL_UPLOAD_MAX_BYTES + DEFAULT
    assert cap_bytes(MEDIA) == settings.CERTEVAL_UPLOAD_MEDIA_MAX_BYTES + DEFAULT
    assert cap_bytes(1234) == 1234


@pytest.mark.parametrize(
    ("name", "kwargs", "limit"),
    [
        ("dossiers:deposit", {"enrolment_id": 1}, MEDIA),
        ("items:create", {"bank": "b"}, UPLOAD),
        ("items:edit", {"bank": "b", "item_id": 1}, UPLOAD),
        ("items:exchange", {"bank": "b"}, UPLOAD),
        ("testing:automated", {"campaign_id": 1}, UPLOAD),
        ("campaigns:import", {"campaign_id": 1}, UPLOAD),
        ("campaigns:prerequisites", {"enrolment_id": 1}, UPLOAD),
        ("cdc:acknowledgement", {"campaign_id": 1}, UPLOAD),
        ("privacy:rectification", {}, UPLOAD),
        ("accounts:login", {}, None),
        ("home", {}, None),
    ],
)
def test_every_upload_route_declares_its_cap(name: str, kwargs: dict[str, Any], limit: str | None) -> None:
    assert route_cap(reverse(name, kwargs=kwargs)) == cap_bytes(limit)


def test_the_api_upload_operations_declare_theirs_and_the_others_keep_the_default() -> None:
    assert route_cap("/api/v1/dossiers/1/files") == cap_bytes(MEDIA)
    assert route_cap("/api/v1/campaigns/enrolments/1/prerequisites/trainer-experience") == cap_bytes(UPLOAD)
    assert route_cap("/api/v1/campaigns/") == DEFAULT
    assert route_cap("/nulle-part/") == DEFAULT


@pytest.mark.parametrize(
    ("path", "length", "megabytes"),
    [("/essai/formulaire/", DEFAULT + 1, "2,5"), ("/essai/depot/", 20 * 1024 * 1024 + DEFAULT + 1, "22,5")],
)
def test_a_declared_oversized_body_is_refused_unread_without_calling_the_view(
    client: Client, path: str, length: int, megabytes: str
) -> None:
    assert_french_refusal(declared(client, path, length), megabytes)
    assert CALLS == []
    # The site's own routes: the sign-in form, the dossier deposit.
    assert_french_refusal(declared(client, reverse("accounts:login"), DEFAULT + 1), "2,5")
    deposit = reverse("dossiers:deposit", kwargs={"enrolment_id": 1})
    media_cap = settings.CERTEVAL_UPLOAD_MEDIA_MAX_BYTES + DEFAULT
    assert declared(client, deposit, media_cap + 1).status_code == 413


def test_a_body_within_the_cap_reaches_the_view(client: Client) -> None:
    response = client.post("/essai/formulaire/", {"text": "y" * 1000})
    assert response.status_code == 200 and response.content == b"1000"
    big = io.BytesIO(b"z" * (DEFAULT + 10))
    big.name = "gros.pdf"
    response = client.post("/essai/depot/", {"file": big})
    assert response.status_code == 200 and int(response.content) == DEFAULT + 10
    assert CALLS == ["form", "upload"]


@override_settings(CERTEVAL_UPLOAD_MAX_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_caps_follow_the_settings(client: Client) -> None:
    assert route_cap("/essai/depot/") == 2000
    assert declared(client, "/essai/depot/", 2001).status_code == 413


def test_the_api_answers_a_french_json_message(client: Client) -> None:
    cap = settings.CERTEVAL_UPLOAD_MAX_BYTES + DEFAULT
    response = declared(client, "/api/essai/files", cap + 1)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "dépasse la taille maximale acceptée" in json.loads(response.content)["detail"]
    response = declared(client, "/api/essai/echo", DEFAULT + 1)
    assert response.status_code == 413
    media_cap = settings.CERTEVAL_UPLOAD_MEDIA_MAX_BYTES + DEFAULT
    assert declared(client, "/api/v1/dossiers/1/files", media_cap + 1).status_code == 413
    assert CALLS == []


def chunked(client: Client, path: str, body: io.BytesIO, content_type: str) -> Any:
    return client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE=content_type,  # the test client sets it only with a body of its own
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body, "wsgi.input_terminated": True},
    )


def test_a_chunked_body_is_cut_at_the_cap(client: Client) -> None:
    body = Counting(DEFAULT + 5_000_000)
    response = chunked(client, "/essai/formulaire/", body, "application/x-www-form-urlencoded")
    assert_french_refusal(response, "2,5")
    assert body.taken <= DEFAULT + 1
    assert CALLS == []
    body = Counting(DEFAULT + 5_000_000)
    assert chunked(client, "/api/essai/echo", body, "application/json").status_code == 413
    assert body.taken <= DEFAULT + 1 and CALLS == []


def test_a_chunked_body_within_the_cap_is_read_like_any_other(client: Client) -> None:
    body = io.BytesIO(b"text=" + b"y" * 5000)
    response = chunked(client, "/essai/formulaire/", body, "application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.content == b"5000"


def test_a_lying_length_does_not_let_a_reader_past_the_cap(client: Client) -> None:
    """The body says 10 bytes but brings 7 MB; a view reading the raw input is stopped at the cap,
    Django's own stream at the declared length."""
    for path, reach in (("/essai/brut/", DEFAULT + 1), ("/essai/formulaire/", 10)):
        body = Counting(7 * 1024 * 1024)
        response = client.generic(
            "POST",
            path,
            b"",
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH="10",
            **{"wsgi.input": body},
        )
        assert body.taken <= reach
        if path == "/essai/brut/":
            assert_french_refusal(response, "2,5")
        else:
            assert response.status_code == 200


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_the_refusal_page_carries_the_security_headers(client: Client, settings: Any, theme: str) -> None:
    settings.CERTEVAL_THEME = theme
    response = declared(client, "/essai/formulaire/", DEFAULT + 1)
    assert_french_refusal(response, "2,5")
    assert f"core/themes/{theme}/base.html" in [t.name for t in response.templates]
    assert "Content-Security-Policy" in response
    assert "camera=()" in response["Permissions-Policy"]
    assert body_limit_urls.test_api is not None
