"""A campaign's audit log through the API, with the campaign's permission. (No postponed
annotations here: django-ninja's pagination reads the endpoint's annotations as objects.)"""

from django.db.models import QuerySet
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.audit.api import PER_PAGE, EventOut, FilterIn
from certeval.audit.models import AuditEvent
from certeval.audit.selectors import audit_events_filtered, audit_events_of_campaign
from certeval.campaigns import permissions

router = Router(tags=["campagnes"])


@router.get(
    "/{campaign_id}/audit",
    response=list[EventOut],
    summary="A campaign's audit log (its organisers, within their academy scope), newest first",
)
@paginate(PageNumberPagination, page_size=PER_PAGE)
def campaign_log(
    request: AuthenticatedHttpRequest, campaign_id: int, filters: Query[FilterIn]
) -> QuerySet[AuditEvent]:
    campaign = get_visible_or_404(permissions.campaigns_managed(request.user), pk=campaign_id)
    people = permissions.people_in_scope(request.user, campaign)
    return audit_events_filtered(
        audit_events_of_campaign(campaign=campaign, people=people), filters.criteria()
    )
