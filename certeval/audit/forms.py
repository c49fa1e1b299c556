from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.audit.selectors import AuditFilter

TARGET_TYPES = [
    ("", _("— Tous —")),
    ("campaigns.campaign", _("Campagne")),
    ("campaigns.session", _("Session")),
    ("campaigns.enrolment", _("Inscription")),
    ("dossiers.dossier", _("Dossier")),
    ("accounts.user", _("Compte")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Auteur (adresse ou nom)"), required=False, max_length=150)
    target_type = forms.ChoiceField(label=_("Type d'objet"), required=False, choices=TARGET_TYPES)
    target_id = forms.CharField(label=_("Identifiant de l'objet"), required=False, max_length=80)
    date_from = forms.DateField(label=_("Du (heure de Paris)"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Au (inclus)"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("— Toutes —")), *[(a, a) for a in actions]]

    def criteria(self) -> AuditFilter:
        """The filter to apply; an invalid form filters nothing (its errors are shown)."""
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            action=data["action"],
            actor=data["actor"].strip(),
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
