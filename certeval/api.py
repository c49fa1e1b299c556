"""The versioned REST API (django-ninja), served under /api/v1/ with its OpenAPI docs at /api/docs.

Each bounded context contributes a router from its ``api.py``; authentication is Django's
session (with CSRF) by default, and every endpoint asks the same permission rules as the views.

Bad input never gets a server error: the errors that any endpoint may answer are handled here
once (a model's validation error and a number beyond the database's range are 422, a request body
that cannot be parsed is 400) and declared in the OpenAPI schema of every operation
(:func:`declare_error_responses`), so that a client knows every status it can receive.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.security import django_auth

from certeval.audit.api import router as audit_router
from certeval.campaigns.api import router as campaigns_router
from certeval.campaigns.audit_api import router as campaign_audit_router
from certeval.core.api_schemas import ErrorOut
from certeval.dossiers.api import router as dossiers_router
from certeval.frameworks.api import router as frameworks_router
from certeval.juries.api import router as juries_router
from certeval.results.api import router as results_router
from certeval.results.award_api import router as award_router
from certeval.results.dashboard_api import router as dashboard_router
from certeval.results.files_api import router as results_files_router
from certeval.testing.api import router as testing_router
from certeval.testing.calibration_api import router as calibration_router
from certeval.testing.item_api import router as item_router
from certeval.testing.run_api import router as run_router
from certeval.testing.sitting_api import router as sitting_router
from certeval.testing.training_api import router as training_router

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


api = NinjaAPI(
    title="Certeval API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)
api.add_router("/v1/frameworks", frameworks_router)
api.add_router("/v1/campaigns", campaigns_router)
api.add_router("/v1/campaigns", campaign_audit_router)
api.add_router("/v1/dossiers", dossiers_router)
api.add_router("/v1/testing", testing_router)
api.add_router("/v1/testing", calibration_router)
api.add_router("/v1/testing", training_router)
api.add_router("/v1/testing", item_router)
api.add_router("/v1/testing", run_router)
api.add_router("/v1/testing", sitting_router)
api.add_router("/v1/juries", juries_router)
api.add_router("/v1/results", dashboard_router)
api.add_router("/v1/results", results_files_router)
api.add_router("/v1/results", results_router)
api.add_router("/v1/verification", award_router)
api.add_router("/v1/audit", audit_router)


@api.exception_handler(ValidationError)
def model_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A model's ``full_clean`` refused the input: the messages, field by field."""
    if hasattr(error, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in error.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(OverflowError)
def number_out_of_range(request: HttpRequest, error: OverflowError) -> HttpResponse:
    """SQLite cannot compare or store an integer beyond 64 bits (an id such as 99999999999999999999)."""
    return api.create_response(request, {"detail": "A number is out of range."}, status=422)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RawPostDataException)
def unreadable_body(request: HttpRequest, error: Exception) -> HttpResponse:
    """A multipart body that cannot be parsed (no boundary, malformed), or one sent to an endpoint
    that reads JSON: the session authentication's CSRF check reads the form data of every unsafe
    request first, after which the raw body is gone."""
    message = "expected JSON, got form data" if isinstance(error, RawPostDataException) else str(error)
    return api.create_response(request, {"detail": f"Unreadable request body: {message}"}, status=400)


def declare_error_responses(ninja_api: NinjaAPI) -> None:
    """Declare, on every operation, the error statuses that the API's common machinery answers:
    400 (unreadable body), 404 (absent or not visible: the same answer), 422 (invalid input);
    with authentication also 401, and 403 on writes (CSRF); on writes 409 (refused in the
    object's current state) and 413 (a body over the path's cap, certeval/core/body_limits.py). An
    operation's own declaration of one of them is kept. It runs on the routers' operations before
    the API builds its URLs (which copy them)."""
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                codes = {400, 404, 422}
                writes = bool(UNSAFE_METHODS & set(operation.methods))
                if operation.auth_param is not None:  # NOT_SET: the API's session authentication
                    codes |= {401, 403} if writes else {401}
                if writes:
                    codes |= {409, 413}
                for code in sorted(codes):
                    operation.response_models.setdefault(code, operation._create_response_model(ErrorOut))


declare_error_responses(api)
