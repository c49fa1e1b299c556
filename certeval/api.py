"""The versioned REST API (django-ninja), served under /api/v1/ with its OpenAPI docs at /api/docs.

Each bounded context contributes a router from its ``api.py``; authentication is Django's
session (with CSRF) by default, and every endpoint asks the same permission rules as the views.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from certeval.audit.api import router as audit_router
from certeval.campaigns.api import router as campaigns_router
from certeval.dossiers.api import router as dossiers_router
from certeval.frameworks.api import router as frameworks_router
from certeval.juries.api import router as juries_router
from certeval.results.api import router as results_router
from certeval.testing.api import router as testing_router

api = NinjaAPI(
    title="Certeval API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url="/docs",
)
api.add_router("/v1/frameworks", frameworks_router)
api.add_router("/v1/campaigns", campaigns_router)
api.add_router("/v1/dossiers", dossiers_router)
api.add_router("/v1/testing", testing_router)
api.add_router("/v1/juries", juries_router)
api.add_router("/v1/results", results_router)
api.add_router("/v1/audit", audit_router)
