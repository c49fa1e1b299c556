"""The invigilator console (« espace surveillant »; docs/testing.md, « Invigilator console »), opened
with an account that invigilates the session or with this browser's grant (``console_open_views``).

- ``/surveillance/<n>/``: every candidate live (htmx polls the table every 3 s, and the pending live
  alerts separately, redrawn only when they change so that they are announced once); the actions on a
  candidate, each a small form that works without JavaScript; incidents; then the finalisation.

Without an account or a grant an anonymous visitor is sent to the opening form; a signed-in person
without either gets 404, as for a session that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certeval.campaigns.consult import consult_enrolment
from certeval.testing import console_selectors as selectors
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate_side
from certeval.testing.console_forms import (
    AddTimeForm,
    EndForm,
    FinaliseForm,
    IdentityForm,
    IncidentForm,
    MessageForm,
)
from certeval.testing.errors import TestingError
from certeval.testing.models import SessionDelivery, Sitting

# The browser session's key: delivery id → the name typed when the console was opened there.
GRANTS = "console_grants"


@dataclass(frozen=True)
class Access:
    delivery: SessionDelivery
    who: console.Invigilator
    by_account: bool

    @property
    def read_only(self) -> bool:
        return self.delivery.finalised_at is not None


class _NotGranted(Exception):
    pass


def _access(request: HttpRequest, delivery_id: int) -> Access:
    delivery = selectors.delivery_or_none(delivery_id)
    user = request.user
    if delivery is not None:
        if user.is_authenticated and selectors.may_invigilate(user, delivery):
            return Access(delivery, console.Invigilator(user, user.get_full_name() or user.email), True)
        name = (request.session.get(GRANTS) or {}).get(str(delivery.pk))
        if name:
            return Access(delivery, console.Invigilator(None, str(name)), False)
    if not user.is_authenticated:
        raise _NotGranted
    raise Http404("No such console.")


ConsoleView = Callable[Concatenate[HttpRequest, Access, ...], HttpResponse]


def console_view(view: ConsoleView) -> Callable[..., HttpResponse]:
    """The console's pages: an account that invigilates the session, or this browser's grant."""

    @wraps(view)
    def wrapper(request: HttpRequest, delivery_id: int, **kwargs: Any) -> HttpResponse:
        try:
            access = _access(request, delivery_id)
        except _NotGranted:
            return redirect(f"{reverse('console:index')}?session={delivery_id}")
        return view(request, access, **kwargs)

    return wrapper


# --- the console ---------------------------------------------------------------------------------------

ROW_FORMS: dict[str, type[forms.Form]] = {
    "identite": IdentityForm,
    "temps": AddTimeForm,
    "arret": EndForm,
    "message": MessageForm,
}


@dataclass(frozen=True)
class Bound:
    """A form sent back with its errors (and what was typed)."""

    sitting_id: int
    action: str
    form: forms.Form


def _row_forms(row: selectors.Row, bound: Bound | None) -> dict[str, forms.Form]:
    made = {}
    for action, form_class in ROW_FORMS.items():
        if bound is not None and bound.sitting_id == row.sitting.pk and bound.action == action:
            made[action] = bound.form
        else:
            made[action] = form_class(prefix=f"{action}-{row.sitting.pk}")
    return made


def _live_context(access: Access, bound: Bound | None = None) -> dict[str, Any]:
    delivery = access.delivery
    candidate_side.expire_due(delivery)
    alerts = selectors.pending_alerts(delivery)
    lines = [
        {
            "row": row,
            "forms": _row_forms(row, bound),
            "open": bound is not None and bound.sitting_id == row.sitting.pk and bound.action != "identite",
        }
        for row in selectors.rows(delivery, alerts)
    ]
    return {
        "delivery": delivery,
        "access": access,
        "read_only": access.read_only,
        "remote": selectors.is_remote(delivery),
        "alerts": alerts,
        "signature": selectors.alerts_signature(alerts),
        "lines": lines,
    }


def _incident_form(access: Access, data: Any = None) -> IncidentForm:
    candidates = [(s.pk, s.enrolment.candidate.display_name) for s in selectors.sittings_of(access.delivery)]
    return IncidentForm(data, candidates=candidates)


def _page(
    request: HttpRequest,
    access: Access,
    *,
    bound: Bound | None = None,
    incident_form: IncidentForm | None = None,
    feedback: str = "",
) -> HttpResponse:
    delivery = access.delivery
    context = _live_context(access, bound)
    context.update(
        {
            "who": access.who,
            "incident_form": incident_form or _incident_form(access),
            "incidents": selectors.incidents_of(delivery),
            "results": selectors.results_state(delivery),
            "feedback": feedback,
            "crumbs": [(_("Espace surveillant"), reverse("console:index")), (delivery.session.label, "")],
        }
    )
    return render(request, "testing/console/console.html", context)


@require_GET
@console_view
def detail(request: HttpRequest, access: Access) -> HttpResponse:
    if not access.read_only:
        console.ensure_sittings(access.delivery)
    return _page(request, access)


@require_GET
@console_view
def live(request: HttpRequest, access: Access) -> HttpResponse:
    """The candidates' table alone (htmx polls it)."""
    return render(request, "testing/console/_live.html", _live_context(access))


@require_GET
@console_view
def alerts(request: HttpRequest, access: Access) -> HttpResponse:
    """The pending alerts alone (htmx polls them): nothing (204) while they are those the page shows,
    so that a screen reader announces each new alert once."""
    pending = selectors.pending_alerts(access.delivery)
    if str(request.GET.get("vus", "")) == selectors.alerts_signature(pending):
        return HttpResponse(status=204)
    return render(
        request,
        "testing/console/_alerts.html",
        {
            "delivery": access.delivery,
            "alerts": pending,
            "signature": selectors.alerts_signature(pending),
            "read_only": access.read_only,
        },
    )


@require_GET
@console_view
def conversation(request: HttpRequest, access: Access, sitting_id: int) -> HttpResponse:
    sitting = selectors.sitting_of(access.delivery, sitting_id)
    if sitting is None:
        raise Http404("No such candidate in this session.")
    consult_enrolment(access.who.user, sitting.enrolment, "console_candidate", name=access.who.name)
    return render(
        request,
        "testing/console/_conversation.html",
        {"delivery": access.delivery, "sitting": sitting, "messages_": selectors.conversation(sitting)},
    )


def _answer(
    request: HttpRequest,
    access: Access,
    *,
    ok: str = "",
    error: str = "",
    bound: Bound | None = None,
    anchor: str = "",
    alerts_changed: bool = False,
) -> HttpResponse:
    """After an action: with htmx, the table again with the message (and the alerts when they
    changed); without, back to the page (post/redirect/get), or the page with the form in error."""
    if request.htmx:  # type: ignore[attr-defined]
        context = _live_context(access, bound)
        context.update({"ok": ok, "error": error, "alerts_changed": alerts_changed})
        return render(request, "testing/console/_action.html", context)
    if error and bound is not None:
        return _page(request, access, bound=bound, feedback=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, ok)
    url = reverse("console:detail", args=[access.delivery.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@dataclass(frozen=True)
class Action:
    form: type[forms.Form] | None
    run: Callable[[SessionDelivery, int, console.Invigilator, dict[str, Any]], object]


ACTIONS: dict[str, Action] = {
    "presence": Action(
        None,
        lambda d, s, w, _data: console.mark_present(delivery=d, sitting_id=s, who=w),
    ),
    "identite": Action(
        IdentityForm,
        lambda d, s, w, data: console.check_identity(
            delivery=d, sitting_id=s, document=data["document"], who=w
        ),
    ),
    "autorisation": Action(
        None,
        lambda d, s, w, _data: console.authorise(delivery=d, sitting_id=s, who=w),
    ),
    "pause": Action(None, lambda d, s, w, _data: console.pause(delivery=d, sitting_id=s, who=w)),
    "reprise": Action(None, lambda d, s, w, _data: console.resume(delivery=d, sitting_id=s, who=w)),
    "temps": Action(
        AddTimeForm,
        lambda d, s, w, data: console.add_time(
            delivery=d, sitting_id=s, minutes=data["minutes"], reason=data["reason"], who=w
        ),
    ),
    "arret": Action(
        EndForm,
        lambda d, s, w, data: console.end(delivery=d, sitting_id=s, reason=data["reason"], who=w),
    ),
    "message": Action(
        MessageForm,
        lambda d, s, w, data: console.send_message(delivery=d, sitting_id=s, text=data["text"], who=w),
    ),
}
# What each action says once done (translated when the request is answered).
DONE = {
    "presence": lambda: _("Présence constatée : %(name)s."),
    "identite": lambda: _("Identité vérifiée : %(name)s."),
    "autorisation": lambda: _("Début d'épreuve autorisé : %(name)s."),
    "pause": lambda: _("Épreuve en pause : %(name)s."),
    "reprise": lambda: _("Épreuve reprise : %(name)s."),
    "temps": lambda: _("%(minutes)s minute(s) ajoutée(s) pour %(name)s."),
    "arret": lambda: _("Épreuve arrêtée : %(name)s."),
    "message": lambda: _("Message envoyé à %(name)s."),
}


@require_POST
@console_view
def act(request: HttpRequest, access: Access, sitting_id: int, action: str) -> HttpResponse:
    """One action on one candidate of the session."""
    spec = ACTIONS[action]
    anchor = f"row-{sitting_id}"
    if access.read_only:
        return _answer(request, access, error=_("La session est finalisée : elle ne peut plus changer."))
    sitting = selectors.sitting_of(access.delivery, sitting_id)
    if sitting is None:
        return _answer(request, access, error=_("Candidat introuvable dans cette session."))
    data: dict[str, Any] = {}
    bound = None
    if spec.form is not None:
        form = spec.form(request.POST, prefix=f"{action}-{sitting_id}")
        bound = Bound(sitting_id, action, form)
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            return _answer(request, access, error=str(first), bound=bound, anchor=anchor)
        data = form.cleaned_data
    try:
        spec.run(access.delivery, sitting_id, access.who, data)
    except TestingError as error:
        return _answer(request, access, error=str(error), bound=bound, anchor=anchor)
    if action == "identite":
        consult_enrolment(access.who.user, sitting.enrolment, "identity_check", name=access.who.name)
    name = sitting.enrolment.candidate.display_name
    return _answer(request, access, ok=DONE[action]() % {**data, "name": name}, anchor=anchor)


@require_POST
@console_view
def handle_alert(request: HttpRequest, access: Access, alert_id: int) -> HttpResponse:
    decision = str(request.POST.get("decision", ""))
    if decision not in ("valider", "rejeter"):
        return _answer(request, access, error=_("Choisissez : valider le signalement ou le rejeter."))
    try:
        alert = console.handle_alert(
            delivery=access.delivery, alert_id=alert_id, validate=decision == "valider", who=access.who
        )
    except TestingError as error:
        return _answer(request, access, error=str(error), alerts_changed=True)
    name = alert.sitting.enrolment.candidate.display_name
    if decision == "valider":
        ok = _("Signalement validé : la question de %(name)s est remplacée et ne compte pas.") % {
            "name": name
        }
    else:
        ok = _("Signalement rejeté : %(name)s reprend la même question.") % {"name": name}
    return _answer(request, access, ok=ok, anchor=f"row-{alert.sitting_id}", alerts_changed=True)


@require_POST
@console_view
def report_incident(request: HttpRequest, access: Access) -> HttpResponse:
    form = _incident_form(access, request.POST)
    if not form.is_valid():
        return _page(
            request,
            access,
            incident_form=form,
            feedback=_("L'incident n'est pas enregistré : voir ci-dessous."),
        )
    data = form.cleaned_data
    try:
        console.report_incident(
            delivery=access.delivery,
            category=data["category"],
            description=data["description"],
            sitting_id=data["sitting"],
            question_number=data["question_number"],
            who=access.who,
        )
    except TestingError as error:
        form.add_error(None, str(error))
        return _page(request, access, incident_form=form, feedback=str(error))
    messages.success(request, _("Incident enregistré : l'organisateur le décidera après la finalisation."))
    return redirect(reverse("console:detail", args=[access.delivery.pk]) + "#incidents")


@require_http_methods(["GET", "HEAD", "POST"])
@console_view
def finalise(request: HttpRequest, access: Access) -> HttpResponse:
    delivery = access.delivery
    summary = selectors.finalisation(delivery)
    form = FinaliseForm(
        request.POST if request.method == "POST" else None,
        absentees=len([r for r in summary.absentees if r.status != Sitting.Status.ABSENT]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            console.finalise(
                delivery=delivery,
                comment=form.cleaned_data["comment"],
                absentees_confirmed=form.cleaned_data["absentees_confirmed"] or not form.absentees,
                who=access.who,
            )
        except TestingError as error:
            form.add_error(None, str(error))
        else:
            delivery.refresh_from_db()
            messages.success(
                request,
                _("Session finalisée. %(results)s") % {"results": selectors.results_state(delivery).text},
            )
            return redirect("console:detail", delivery.pk)
    return render(
        request,
        "testing/console/finalisation.html",
        {
            "delivery": delivery,
            "access": access,
            "summary": summary,
            "form": form,
            "results": selectors.results_state(delivery),
            "crumbs": [
                (_("Espace surveillant"), reverse("console:index")),
                (delivery.session.label, reverse("console:detail", args=[delivery.pk])),
                (_("Finalisation"), ""),
            ],
        },
    )
