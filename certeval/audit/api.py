"""The audit log through the API: a campaign's log for its organisers (limited to their academy
scope for enrolments and dossiers, as the page), the whole log for administrators; the same
filters as the pages, paginated."""

# No `from __future__ import annotations` here: ninja resolves `Query[...]` under `paginate` at import.
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.audit.models import AuditEvent
from certeval.audit.permissions import can_read_global_audit_log
from certeval.audit.selectors import AuditFilter, audit_events_filtered

router = Router(tags=["journal d'audit"])

PER_PAGE = 50


class EventOut(Schema):
    id: int
    at: datetime
    action: str
    outcome: str
    actor: str | None
    target_type: str
    target_id: str
    message: str
    data: dict[str, Any]
    campaign_id: int | None
    person_id: int | None

    @staticmethod
    def resolve_actor(event: AuditEvent) -> str | None:
        return event.actor.email if event.actor else None


class FilterIn(Schema):
    action: str = ""
    actor: str = ""
    person: str = ""
    target_type: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def criteria(self) -> AuditFilter:
        return AuditFilter(
            action=self.action,
            actor=self.actor.strip(),
            person=self.person.strip(),
            target_type=self.target_type,
            target_id=self.target_id.strip(),
            date_from=self.date_from,
            date_to=self.date_to,
        )


@router.get("/", response=list[EventOut], summary="The whole audit log (administrators), newest first")
@paginate(PageNumberPagination, page_size=PER_PAGE)
def global_log(request: AuthenticatedHttpRequest, filters: Query[FilterIn]) -> QuerySet[AuditEvent]:
    if not can_read_global_audit_log(request.user):
        raise Http404("Not allowed.")
    return audit_events_filtered(AuditEvent.objects.select_related("actor"), filters.criteria())
