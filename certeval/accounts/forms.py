from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
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


class PasswordSetForm(SetPasswordForm):
    """Choosing a password from the link of the enrolment e-mail."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password1"].help_text = _("Au moins 10 caractères.")
        self.fields["new_password2"].label = _("Confirmation du mot de passe")
        self.fields["new_password2"].help_text = ""


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
