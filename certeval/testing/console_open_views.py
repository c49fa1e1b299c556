"""Opening the invigilator console (``/surveillance/``; docs/testing.md, « Invigilator console »): the
proctored sessions the signed-in person invigilates, and — for anyone, e.g. on a room computer — a
console opened with the session's number, its invigilator password and the invigilator's name. The
grant is kept in the browser's session for that session only (and forgotten with « Quitter »); wrong
passwords are throttled per computer (its address), in the cache.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.campaigns.permissions import campaigns_run
from certeval.testing import console_selectors as selectors
from certeval.testing.console_forms import OpenConsoleForm
from certeval.testing.console_setup_services import console_open
from certeval.testing.console_views import GRANTS, Access, console_view
from certeval.testing.errors import TestingError
from certeval.testing.models import SessionDelivery
from certeval.testing.permissions import incidents_decidable
from certeval.testing.sitting_engine import delivery_settings

# Wrong invigilator passwords tolerated per computer before a pause (CERTEVAL_DELIVERY may set both).
ATTEMPTS = 5
LOCKOUT_MINUTES = 10


def _throttle_key(request: HttpRequest) -> str:
    address = str(request.META.get("REMOTE_ADDR", ""))
    return "console-open:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _limits() -> tuple[int, int]:
    config = delivery_settings()
    return int(config.get("console_attempts", ATTEMPTS)), int(
        config.get("console_lockout_minutes", LOCKOUT_MINUTES)
    )


def _index(request: HttpRequest, form: OpenConsoleForm, status: int = 200) -> HttpResponse:
    user = request.user
    grants = request.session.get(GRANTS) or {}
    granted = SessionDelivery.objects.filter(pk__in=[int(k) for k in grants]).select_related(
        "session__campaign"
    )
    sessions: list[SessionDelivery] = []
    campaigns = []
    decides = False
    if user.is_authenticated:
        sessions = selectors.console_sessions(user)
        campaigns = [
            c
            for c in campaigns_run(user).select_related("framework_version")
            if selectors.has_automated_test(c)
        ]
        decides = incidents_decidable(user).exists()
    return render(
        request,
        "testing/console/index.html",
        {
            "sessions": sessions,
            "granted": [(d, grants[str(d.pk)]) for d in granted],
            "form": form,
            "campaigns": campaigns,
            "decides": decides,
            "crumbs": [(_("Espace surveillant"), "")],
        },
        status=status,
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    number = str(request.GET.get("session", ""))
    initial = {"number": int(number)} if number.isdigit() else {}
    return _index(request, OpenConsoleForm(initial=initial))


@require_POST
def open_console(request: HttpRequest) -> HttpResponse:
    form = OpenConsoleForm(request.POST)
    if not form.is_valid():
        return _index(request, form)
    attempts, minutes = _limits()
    key = _throttle_key(request)
    if int(cache.get(key, 0)) >= attempts:
        form.add_error(
            None,
            _(
                "Trop de mots de passe incorrects depuis ce poste : attendez %(minutes)s minutes avant de "
                "réessayer, ou demandez le mot de passe à l'organisateur."
            )
            % {"minutes": minutes},
        )
        return _index(request, form, status=429)
    user = request.user if request.user.is_authenticated else None
    try:
        delivery = console_open(
            number=form.cleaned_data["number"],
            code=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
            actor=user,
        )
    except TestingError as error:
        cache.add(key, 0, timeout=minutes * 60)
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=minutes * 60)
        form.add_error(None, str(error))
        return _index(request, form)
    cache.delete(key)
    grants = dict(request.session.get(GRANTS) or {})
    grants[str(delivery.pk)] = " ".join(form.cleaned_data["name"].split())
    request.session.cycle_key()
    request.session[GRANTS] = grants
    messages.success(
        request,
        _("Espace surveillant ouvert pour « %(session)s ». Vos actions sont enregistrées au nom de %(name)s.")
        % {"session": delivery.session.label, "name": grants[str(delivery.pk)]},
    )
    return redirect("console:detail", delivery.pk)


@require_POST
@console_view
def leave(request: HttpRequest, access: Access) -> HttpResponse:
    grants = dict(request.session.get(GRANTS) or {})
    if grants.pop(str(access.delivery.pk), None) is not None:
        request.session[GRANTS] = grants
    messages.success(request, _("Vous avez quitté l'espace surveillant de cette session sur ce poste."))
    return redirect("console:index")
