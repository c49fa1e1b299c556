"""Forms of the automated-results page: one result, or a CSV file of them."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.models import Campaign, Enrolment


class CandidateChoiceField(forms.ModelChoiceField):
    """An enrolment shown by its candidate's name and e-mail."""

    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.candidate.display_name} ({obj.candidate.email})"


class AutomatedResultForm(forms.Form):
    enrolment = CandidateChoiceField(label=_("Candidat"), queryset=Enrolment.objects.none())
    level = forms.ChoiceField(label=_("Niveau du volet automatisé"))
    obtained_on = forms.DateField(label=_("Obtenu le"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, campaign: Campaign, enrolments: QuerySet[Enrolment], **kwargs: Any
    ) -> None:
        """``enrolments``: the candidates in the organiser's scope (certeval.testing.permissions)."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enrolment"]).queryset = enrolments.select_related(
            "candidate"
        )
        cast(forms.ChoiceField, self.fields["level"]).choices = campaign.level_choices


class AutomatedImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : email ou candidat (numéro d'inscription), partie, niveau, obtenu_le (JJ/MM/AAAA ou "
            "AAAA-MM-JJ) ; séparateur « ; » ou « , »."
        ),
    )
