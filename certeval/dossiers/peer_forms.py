"""Forms of the peer review: the candidate's invitation, the peer's feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.dossiers.peer_models import FEEDBACK_MAX_LENGTH


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique du pair"),
        max_length=254,
        error_messages={
            "invalid": _("Saisissez une adresse électronique valide."),
            "required": _("Saisissez l'adresse du pair."),
        },
    )
    name = forms.CharField(label=_("Nom du pair (facultatif)"), max_length=150, required=False)
    message = forms.CharField(
        label=_("Message joint à l'invitation (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Rubrique du dossier"),
        choices=(),
        error_messages={
            "required": _("Choisissez une rubrique."),
            "invalid_choice": _("Choisissez une rubrique de la liste."),
        },
    )
    text = forms.CharField(
        label=_("Votre avis"),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Points forts, points à clarifier, traces à ajouter… (%(max)s caractères au plus)")
        % {"max": FEEDBACK_MAX_LENGTH},
        error_messages={"required": _("Écrivez votre avis avant de l'envoyer.")},
    )

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = sections  # type: ignore[attr-defined]
