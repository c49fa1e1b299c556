"""Audit log pages: one per campaign for its organisers, a global one for administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.audit.details import describe
from certeval.audit.forms import AuditFilterForm
from certeval.audit.labels import action_label
from certeval.audit.models import AuditEvent
from certeval.audit.permissions import can_read_global_audit_log
from certeval.audit.selectors import (
    audit_actions,
    audit_events_filtered,
    audit_target_types,
)
from certeval.core.dates import paris_text

PER_PAGE = 50


def render_log(
    request: HttpRequest, events: QuerySet[AuditEvent], *, title: str, crumbs: list[tuple[str, str]]
) -> HttpResponse:
    form = AuditFilterForm(
        request.GET or None, actions=audit_actions(events), target_types=audit_target_types(events)
    )
    filtered = audit_events_filtered(events, form.criteria())
    page = Paginator(filtered, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        [
            paris_text(view.event.at),
            action_label(view.event.action),
            view.event.get_outcome_display(),
            view.event.actor.email if view.event.actor else _("Certeval (automatique)"),
            view.target,
            view.message,
            _details_html(view.details),
        ]
        for view in describe(page)
    ]
    return render(
        request,
        "audit/log.html",
        {
            "title": title,
            "crumbs": crumbs,
            "form": form,
            "rows": rows,
            "headers": [
                _("Date"),
                _("Action"),
                _("Résultat"),
                _("Auteur"),
                _("Objet"),
                _("Message"),
                _("Données"),
            ],
            "page_obj": page,
            "query": query.urlencode(),
            "count": page.paginator.count,
        },
    )


def _details_html(details: list[tuple[str, str]]) -> SafeString | str:
    """The row's data as French label/value pairs."""
    if not details:
        return "—"
    return format_html(
        '<dl class="audit-details">{}</dl>',
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", details),
    )


@login_required
@require_GET
def global_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_read_global_audit_log(request.user):
        raise Http404("Not allowed.")
    return render_log(
        request,
        AuditEvent.objects.select_related("actor"),
        title=_("Journal d'audit"),
        crumbs=[(_("Journal d'audit"), "")],
    )
