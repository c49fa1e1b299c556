"""Forms of the second-factor pages (docs/security-2fa.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from an authenticator app (6 digits) or a recovery code."""

    token = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_("Le code à 6 chiffres de votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=12,
        help_text=_("6 chiffres ; un nouveau code apparaît toutes les 30 secondes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        help_text=_("Pour confirmer qu'il s'agit bien de vous."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResetForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        help_text=_(
            "Ses appareils seront supprimés ; elle configurera un nouveau second facteur à sa prochaine connexion."
        ),
    )
