"""Bad input to the API gets a 4xx answer in JSON, declared in the OpenAPI schema, never a server
error (defect 12 of issue 9: what the fuzzer found)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from certeval.accounts.models import User
from certeval.api import api
from certeval.campaigns.models import Session
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory
from certeval.juries.models import Juror

pytestmark = pytest.mark.django_db

CSRF = "badinputbadinputbadinputbadinput"
BEYOND_64_BITS = "99999999999999999999"


def client_of(user: User | None) -> Client:
    """Like a browser: CSRF enforced (cookie and header), server errors answered, not raised."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True, headers={"X-CSRFToken": CSRF})
    client.cookies["csrftoken"] = CSRF
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser(email="admin@example.fr", password="x")


def assert_json_error(response: Any, status: int) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content
    assert response.json()["detail"]


def test_a_session_the_model_refuses_is_422_and_nothing_is_stored(admin: User) -> None:
    campaign = CampaignFactory()
    response = client_of(admin).post(
        f"/api/v1/campaigns/{campaign.pk}/sessions",
        {
            "label": "x" * 500,
            "starts_at": "2026-01-01T10:00:00Z",
            "ends_at": "2026-01-01T12:00:00Z",
            "capacity": 10,
        },
        content_type="application/json",
    )
    assert_json_error(response, 422)
    assert "200" in response.json()["detail"]  # the label's limit is named
    assert not Session.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("max_load", 0), ("max_load", 40000), ("halfdays", []), ("role", "chef")]
)
def test_a_juror_the_model_refuses_is_422_and_nobody_is_added(admin: User, field: str, value: Any) -> None:
    enrolment = EnrolmentFactory()
    payload = {
        "email": "nouveau-jure@example.fr",
        "role": "expert",
        "academy": enrolment.academy.code,
        "halfdays": ["2026-05-12-am"],
        "max_load": 5,
    }
    response = client_of(admin).post(
        f"/api/v1/juries/campaigns/{enrolment.campaign_id}/jurors",
        payload | {field: value},
        content_type="application/json",
    )
    assert_json_error(response, 422)
    assert not Juror.objects.exists()
    assert not User.objects.filter(email="nouveau-jure@example.fr").exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/campaigns/{BEYOND_64_BITS}/sessions",
        f"/api/v1/campaigns/{BEYOND_64_BITS}",
        f"/api/v1/juries/{BEYOND_64_BITS}",
        f"/api/v1/dossiers/files/{BEYOND_64_BITS}/content",
        f"/api/v1/frameworks/crcn?version={BEYOND_64_BITS}",
    ],
)
def test_an_integer_beyond_the_database_range_is_a_client_error(admin: User, path: str) -> None:
    response = client_of(admin).get(path)
    assert response.status_code in (404, 422), response.content
    assert response["Content-Type"].startswith("application/json")


def test_an_unreadable_multipart_body_is_400_before_the_permission_check(admin: User) -> None:
    enrolment = EnrolmentFactory()
    campaign = enrolment.campaign
    # Form data where JSON is expected: the CSRF check reads the form, the JSON body is gone.
    response = client_of(admin).post(
        f"/api/v1/campaigns/{campaign.pk}/transitions", b"xx", content_type="multipart/form-data; boundary=zz"
    )
    assert_json_error(response, 400)
    # No boundary at all, by the candidate (allowed) and by a stranger (not allowed).
    for user in (enrolment.candidate.user, User.objects.create_user(email="autre@example.fr")):
        response = client_of(user).post(
            f"/api/v1/dossiers/{enrolment.pk}/files", b"xx", content_type="multipart/form-data"
        )
        assert_json_error(response, 400)


def test_compose_refuses_a_time_limit_out_of_bounds(admin: User) -> None:
    campaign = CampaignFactory()
    for value in ("-1", "0", "1e9", "nan"):
        response = client_of(admin).post(f"/api/v1/juries/campaigns/{campaign.pk}/compose?time_limit={value}")
        assert_json_error(response, 422)


def test_every_operation_declares_its_error_statuses() -> None:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = {str(code) for code in operation["responses"]}
            assert {"400", "404", "422"} <= declared, (method, path)
            if operation.get("security"):
                assert "401" in declared, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"409", "413"} <= declared, (method, path)
