"""Forms of the awards pages: the public verification code, the holder's disclosure choices, the
reason of a revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_(
            "12 caractères, imprimés sur l'attestation, par exemple ABCD-EFGH-JKMN (tirets facultatifs)."
        ),
        max_length=64,
        error_messages={"required": _("Saisissez le code de vérification.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class DisclosureForm(forms.Form):
    show_name = forms.BooleanField(label=_("Afficher mon nom"), required=False)
    show_level = forms.BooleanField(label=_("Afficher le niveau"), required=False)
    show_date = forms.BooleanField(label=_("Afficher les dates de délivrance et de validité"), required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        help_text=_("Obligatoire : décision après recours, fraude constatée… Il est journalisé."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la révocation.")},
    )
