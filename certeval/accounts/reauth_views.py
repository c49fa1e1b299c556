"""« Confirmez votre mot de passe »: the page ``require_recent_authentication`` sends people to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from certeval.accounts.forms import PasswordConfirmForm
from certeval.accounts.hooks import account_event
from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.reauth import mark_recent_authentication, safe_next


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The password again; then back to the page the action was on, to submit it again. A wrong
    password counts as a failed sign-in (lockout included) and is audited."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.certeval_reauth = True  # type: ignore[attr-defined]  # read by the audit receiver
        user = authenticate(request, username=request.user.email, password=form.cleaned_data["password"])
        if user is not None and user.pk == request.user.pk:
            with transaction.atomic():
                account_event(
                    action="account.reauth",
                    request=request,
                    actor=request.user,
                    person=request.user,
                )
            mark_recent_authentication(request)
            messages.info(
                request,
                _(
                    "Mot de passe confirmé. Ce que vous aviez saisi n'a pas été envoyé : "
                    "vérifiez le formulaire et soumettez-le à nouveau."
                ),
            )
            return redirect(next_url)
        form.add_error("password", _("Mot de passe incorrect."))
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url})
