"""Passwords of signed-in people and recovery by e-mail (docs/security-accounts.md).

Each change writes its audit row in the change's transaction (``hooks.account_event``) and the
person receives a notice that their password was changed, so that a change they did not make does
not go unnoticed. Recovery says nothing about whether an address has an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from certeval.accounts.client_address import client_address
from certeval.accounts.forms import PasswordChangeForOwnerForm, PasswordLinkRequestForm, PasswordSetForm
from certeval.accounts.hooks import account_event
from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.links import site_url
from certeval.accounts.models import User
from certeval.accounts.reauth import mark_recent_authentication

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def password_changed_notice(user: User, *, address: str | None, how: str) -> EmailMessage:
    """« Your password was changed »: when, from which address, how, and what to do if it was
    not you."""
    body = render_to_string(
        "accounts/emails/password_changed_body.txt",
        {
            "user": user,
            "address": address or "",
            "how": how,
            "recover_url": site_url(reverse("accounts:password_link_request")),
        },
    )
    return EmailMessage(subject=_("Certeval : votre mot de passe a été changé"), body=body, to=[user.email])


def _send_after_commit(message: EmailMessage) -> None:
    transaction.on_commit(message.send, robust=True)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current password, then the new one twice; the session stays signed in."""
    form = PasswordChangeForOwnerForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            account_event(
                action="account.password_change",
                request=request,
                actor=user,
                person=user,
            )
            _send_after_commit(
                password_changed_notice(user, address=client_address(request), how=_("depuis votre compte"))
            )
        update_session_auth_hash(request, user)
        mark_recent_authentication(request)
        messages.success(request, _("Votre mot de passe a été changé. Un courriel vous le confirme."))
        return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})


class PasswordLinkRequestView(auth_views.PasswordResetView):
    """Asking for a link to choose a password: audited, with the same answer whether or not the
    address has an account."""

    template_name = "accounts/password_link_request.html"
    form_class = PasswordLinkRequestForm
    subject_template_name = "accounts/emails/password_link_subject.txt"
    email_template_name = "accounts/emails/password_link_body.txt"
    success_url = reverse_lazy("accounts:password_link_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        with transaction.atomic():
            person = next(iter(form.get_users(email)), None)
            account_event(
                action="account.password_link_request",
                request=self.request,
                actor=None,
                person=person,
                email=email,
            )
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choosing a password from an e-mailed link (invitation or recovery); the person is then
    signed in. A password that replaces another one is audited and notified."""

    template_name = "accounts/password_set.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("accounts:password_set_done")
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.user
        replaced = user.has_usable_password()
        with transaction.atomic():
            response = super().form_valid(form)
            account_event(
                action="account.password_reset" if replaced else "account.password_set",
                request=self.request,
                actor=user,
                person=user,
            )
            if replaced:
                _send_after_commit(
                    password_changed_notice(
                        user, address=client_address(self.request), how=_("par un lien reçu par courriel")
                    )
                )
        return response
