"""Forms of the oral rehearsals: opening a slot, booking one, the rehearser's feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.forms import DateInput, TimeInput
from certeval.juries.rehearsal_models import REHEARSAL_FEEDBACK_MAX_LENGTH


class OpenSlotForm(forms.Form):
    rehearser = forms.TypedChoiceField(label=_("Répétiteur"), coerce=int, choices=())
    day = forms.DateField(
        label=_("Date"), widget=DateInput(), error_messages={"invalid": _("Saisissez une date valide.")}
    )
    clock = forms.TimeField(
        label=_("Heure de début (Paris)"),
        widget=TimeInput(),
        error_messages={"invalid": _("Saisissez une heure valide.")},
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=10, max_value=120, initial=30)
    visio_link = forms.URLField(
        label=_("Lien de visioconférence"), required=False, max_length=500, assume_scheme="https"
    )
    place = forms.CharField(
        label=_("Lieu"), required=False, max_length=200, help_text=_("Un lien de visioconférence ou un lieu.")
    )

    def __init__(self, *args: Any, rehearsers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rehearser"].choices = rehearsers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("visio_link") or (data.get("place") or "").strip()):
            self.add_error("place", _("Indiquez un lien de visioconférence ou un lieu."))
        return data


class BookForm(forms.Form):
    """The slot a candidate books (one button per free slot); the service says why a slot is refused."""

    slot = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": _("Choisissez un créneau."), "invalid": _("Choisissez un créneau.")},
    )


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Votre retour au candidat"),
        max_length=REHEARSAL_FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Écrivez votre retour avant de l'enregistrer.")},
    )
