"""Schema-driven fuzzing of the candidate's proctored-test API with a real token (the whole API's fuzz
run, ``certeval/tests/test_api_fuzz.py``, has none and so only reaches the 401s): every operation under
``/sitting/`` called with generated valid and invalid input by a candidate whose test is in progress
answers no server error and only statuses its schema declares. Bounded and derandomised like the
whole API's run (``CERTEVAL_FUZZ_EXAMPLES``)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from certeval.testing.sitting_api import token_for
from certeval.testing.tests.sitting_factories import proctored_session, seated
from certeval.tests.fuzzing import FUZZ

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).include(
    path_regex="/sitting/"
)


@pytest.fixture
def sitting(db: Any) -> dict[str, Any]:
    """A candidate whose test is in progress, their token and the real values of their question."""
    ps = proctored_session(1)
    enrolment = ps.enrolments[0]
    sitting, tab, question = seated(ps)
    return {
        "token": token_for(sitting.pk, tab),
        "real": {
            "question_id": question.pk,
            "key": question.idempotency_key,
            "access_code": ps.delivery.access_code,
            "name": enrolment.candidate.birth_name,
            "birth_date": enrolment.candidate.birth_date.isoformat(),
        },
    }


@schema.parametrize()
@FUZZ
def test_the_sitting_api_answers_no_server_error_with_a_real_token(
    case: Any, sitting: dict[str, Any], in_process_requests: None
) -> None:
    if isinstance(case.body, dict):
        for name, value in list(case.body.items()):
            if name in sitting["real"] and len(repr(value)) % 2 == 0:  # real values half the time
                case.body[name] = sitting["real"][name]
    if case.path_parameters and "question_id" in case.path_parameters:
        case.path_parameters["question_id"] = sitting["real"]["question_id"]
    response = case.call(headers={"Authorization": f"Bearer {sitting['token']}"})
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
