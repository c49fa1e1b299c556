from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _password_rules() -> str:
    return str(
        _(
            "Au moins %(n)s caractères ; ni proche de votre nom ni de votre adresse électronique, "
            "ni un mot de passe courant, ni uniquement des chiffres."
        )
        % {"n": settings.CERTEVAL_PASSWORD_MIN_LENGTH}
    )


password_rules = lazy(_password_rules, str)


class PasswordSetForm(SetPasswordForm):
    """Choosing a password from the link of an e-mail (invitation or recovery). Django's
    ``SetPasswordForm`` checks it against every validator of ``AUTH_PASSWORD_VALIDATORS``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password1"].help_text = password_rules()
        self.fields["new_password2"].label = _("Confirmation du mot de passe")
        self.fields["new_password2"].help_text = ""


class PasswordChangeForOwnerForm(PasswordChangeForm):
    """A signed-in person changes their password: the current one, then the new one twice, checked
    against every validator. The current password is checked like a sign-in (``authenticate``), so
    that wrong guesses count towards the lockout."""

    def __init__(self, user: Any, data: Any = None, *, request: HttpRequest | None = None) -> None:
        super().__init__(user, data)
        self.request = request
        self.fields["old_password"].label = _("Mot de passe actuel")
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password1"].help_text = password_rules()
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if self.request is None:
            return str(super().clean_old_password())
        self.request.certeval_reauth = True  # type: ignore[attr-defined]  # read by the audit receiver
        found = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if found is None or found.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PasswordConfirmForm(forms.Form):
    """Typing one's password again before a sensitive action."""

    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class PasswordLinkRequestForm(PasswordResetForm):
    """Asking for a new link to choose a password: a forgotten password, or an invitation link that
    has expired. Unlike Django's reset form, an account that never had a password (a candidate or
    juror invited by e-mail) gets the link too; the answer never says whether the address exists."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Iterator[Any]:
        yield from User.objects.filter(email__iexact=email.strip(), is_active=True)
