"""Forms of the campaign dashboard: the filters of the candidate table, and the confirmation of a
session's publication."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.models import Enrolment
from certeval.results.dashboard_selectors import Dashboard, Filters, decision_choices, state_choices


def _with_all(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", str(_("Tous"))), *choices]


class DashboardFilterForm(forms.Form):
    academie = forms.ChoiceField(label=_("Académie"), required=False)
    etat = forms.ChoiceField(label=_("État"), required=False)
    degre = forms.ChoiceField(label=_("Degré"), required=False)
    niveau = forms.ChoiceField(label=_("Niveau visé"), required=False)
    decision = forms.ChoiceField(label=_("Décision"), required=False)
    recherche = forms.CharField(
        label=_("Rechercher un candidat"),
        required=False,
        max_length=100,
        help_text=_("Nom, prénom ou adresse électronique."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, data: Any, *, dashboard: Dashboard) -> None:
        super().__init__(data)
        self._choices("academie", _with_all(dashboard.academies))
        self._choices("etat", _with_all(state_choices(dashboard.stages)))
        self._choices("degre", _with_all([(v, str(label)) for v, label in Enrolment.SchoolLevel.choices]))
        self._choices("niveau", _with_all(dashboard.campaign.level_choices))
        self._choices("decision", _with_all(decision_choices()))

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def filters(self) -> Filters:
        """The filters of the fields that are valid (an unknown value is reported and ignored)."""
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            academy=data.get("academie", ""),
            state=data.get("etat", ""),
            school_level=data.get("degre", ""),
            level=data.get("niveau", ""),
            decision=data.get("decision", ""),
            search=data.get("recherche", ""),
        )


class SessionPublishForm(forms.Form):
    # Its label is the sentence with the counts (``session_publication_confirmation``).
    confirm = forms.BooleanField(required=False)
