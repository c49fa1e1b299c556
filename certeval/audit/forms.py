from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.audit.labels import action_label, target_type_label
from certeval.audit.selectors import AuditFilter


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Auteur (adresse ou nom)"), required=False, max_length=150)
    person = forms.CharField(label=_("Personne concernée (adresse ou nom)"), required=False, max_length=150)
    target_type = forms.ChoiceField(label=_("Type d'objet"), required=False)
    target_id = forms.CharField(label=_("Identifiant de l'objet"), required=False, max_length=80)
    date_from = forms.DateField(label=_("Du (heure de Paris)"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Au (inclus)"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actions: list[str], target_types: list[str], **kwargs: Any) -> None:
        """Only the actions and object types present in the log are offered, by their French label."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("— Toutes —")),
            *_by_label(actions, action_label),
        ]
        cast(forms.ChoiceField, self.fields["target_type"]).choices = [
            ("", _("— Tous —")),
            *_by_label(target_types, target_type_label),
        ]

    def criteria(self) -> AuditFilter:
        """The filter to apply; an invalid form filters nothing (its errors are shown)."""
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            action=data["action"],
            actor=data["actor"].strip(),
            person=data["person"].strip(),
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _by_label(codes: list[str], label: Callable[[str], str]) -> list[tuple[str, str]]:
    return sorted(((code, label(code)) for code in codes), key=lambda choice: choice[1])
