"""Forms of a person's requests and of their answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.privacy.requests_models import RectifiableField


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("J'ai lu ce qui sera effacé et ce qui doit être conservé, et je demande l'effacement."),
        required=True,
    )


class RectificationForm(forms.Form):
    field = forms.ChoiceField(label=_("Donnée à rectifier"), choices=[("", "—"), *RectifiableField.choices])
    requested_value = forms.CharField(
        label=_("Valeur demandée"),
        max_length=200,
        help_text=_("Une date de naissance s'écrit JJ/MM/AAAA."),
    )
    reason = forms.CharField(label=_("Motif"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    proof = forms.FileField(
        label=_("Justificatif (facultatif)"),
        required=False,
        help_text=_("PDF, PNG ou JPEG : une pièce d'identité ou un acte d'état civil."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Message à la personne (facultatif)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
