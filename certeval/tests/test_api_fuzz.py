"""Schema-driven fuzzing of the whole API (schemathesis), in-process through the WSGI application.

Every operation of the OpenAPI schema is called with generated valid and invalid input, as an
administrator and as a candidate (both logged in, with a CSRF token), and every answer must be
no server error (HTTP 5xx) and a status that the schema declares for that operation.

Half of the generated integer (and string) path parameters are replaced by the id of a real object
of the seeded campaign, so that the calls reach the code behind the permission checks. The number
of examples per operation is bounded (``CERTEVAL_FUZZ_EXAMPLES``, 12 by default) and the run is
derandomised, so that CI sees the same cases every time.
"""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import status_code_conformance

from certeval.accounts.models import User
from certeval.campaigns.tests.factories import (
    CampaignFactory,
    EnrolmentFactory,
    SessionFactory,
    organiser_of,
    pdf_bytes,
)
from certeval.dossiers.services import dossier_file_upload
from certeval.juries.tests.factories import JurorFactory
from certeval.tests.fuzzing import FUZZ

CSRF_SECRET = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"

# The coverage phase (every boundary and type of every parameter: about 100 requests an operation)
# is for a deeper run by hand: CERTEVAL_FUZZ_COVERAGE=1 CERTEVAL_FUZZ_EXAMPLES=50.
COVERAGE = os.environ.get("CERTEVAL_FUZZ_COVERAGE", "0") == "1"
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """A campaign with a session, an organiser, a juror and a candidate who deposited one file."""
    campaign = CampaignFactory()
    session = SessionFactory(campaign=campaign)
    enrolment = EnrolmentFactory(campaign=campaign, session=session)
    grant = campaign.roles.get(user=organiser_of(campaign))
    juror = JurorFactory(campaign=campaign)
    content = pdf_bytes(pages=2)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(content),
        original_name="synthese.pdf",
        size=len(content),
        kind="document",
        title="Synthèse",
        link_url="",
        replaces=None,
    )
    administrator = User.objects.create_superuser(email="admin-fuzz@example.fr", password="x")
    return {
        "headers": {
            "administrator": _headers_of(administrator),
            "candidate": _headers_of(enrolment.candidate.user),
        },
        "ids": {
            "campaign_id": campaign.pk,
            "enrolment_id": enrolment.pk,
            "role_id": grant.pk,
            "file_id": stored.pk,
            "juror_id": juror.pk,
            "framework_id": campaign.framework_version.framework_id,
        },
        # Real values for body fields, so that generated requests get past the first checks.
        "body": {
            "academy": enrolment.academy.code,
            "email": "nouvelle-personne@example.fr",
            "role": "organiser",
            "session_id": session.pk,
            "enrolment": enrolment.pk,
            "level": "confirme",
            "to_state": "deposit_closed",
            "birth_date": "1980-02-29",
        },
        "juror_body": {
            "academy": juror.academy.code,
            "email": "nouveau-jure@example.fr",
            "role": "expert",
            "halfdays": ["2026-05-12-am", "2026-05-12-pm"],
            "conflict_enrolments": [enrolment.pk],
        },
    }


def _headers_of(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET}


def _half_the_time(value: Any) -> bool:
    """A deterministic coin: generated values are replaced by real ones about half the time."""
    return len(repr(value)) % 2 == 0


def _aim_at_real_objects(case: Any, world: dict[str, Any]) -> None:
    for name, value in list((case.path_parameters or {}).items()):
        if name in world["ids"] and _half_the_time(value):
            case.path_parameters[name] = world["ids"][name]
    if isinstance(case.body, dict):
        juror_api = "/jurors" in case.operation.path
        for name, value in list(case.body.items()):
            real = world["juror_body" if juror_api else "body"].get(name)
            if real is not None and _half_the_time(value):
                case.body[name] = real


@pytest.mark.parametrize("role", ["administrator", "candidate"])
@schema.parametrize()
@FUZZ
def test_api_answers_no_server_error_and_only_declared_statuses(
    case: Any, role: str, world: dict[str, Any], in_process_requests: None
) -> None:
    _aim_at_real_objects(case, world)
    response = case.call(headers=world["headers"][role])
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
