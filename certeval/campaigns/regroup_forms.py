"""The organisers' form of a regroupement inter-académique: its name, its academies (checkboxes by
région académique), its president (a person holding a juror or president role on the campaign)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.campaigns.forms import AcademiesByRegion, academy_choices_by_region
from certeval.campaigns.models import Academy, Campaign, Regroupement


class PresidentChoiceField(forms.ModelChoiceField):
    """A person shown by their full name and e-mail."""

    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class RegroupementForm(forms.Form):
    name = forms.CharField(label=_("Nom du regroupement"), max_length=120)
    academies = forms.MultipleChoiceField(
        label=_("Académies du regroupement"),
        widget=AcademiesByRegion,
        help_text=_(
            "Au moins deux académies ; une académie ne figure que dans un seul regroupement de la campagne."
        ),
    )
    president = PresidentChoiceField(
        label=_("Président du regroupement"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— pas encore désigné —"),
        help_text=_(
            "Une personne qui a un rôle de juré ou de président sur la campagne (page « Rôles » pour "
            "l'attribuer). Elle anime les réunions de cadrage et d'harmonisation du regroupement."
        ),
    )

    def __init__(
        self, *args: Any, campaign: Campaign, regroupement: Regroupement | None = None, **kwargs: Any
    ):
        if regroupement is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": regroupement.name,
                    "academies": [a.code for a in regroupement.academies.all()],
                    "president": regroupement.president_id,
                },
            )
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["academies"]).choices = academy_choices_by_region()
        people = User.objects.filter(
            campaign_roles__campaign=campaign, campaign_roles__role__in=[Role.JUROR, Role.PRESIDENT]
        )
        if regroupement is not None and regroupement.president_id is not None:
            people = people | User.objects.filter(pk=regroupement.president_id)
        field = cast(forms.ModelChoiceField, self.fields["president"])
        field.queryset = people.distinct().order_by("last_name", "first_name", "email")

    def chosen_academies(self) -> list[Academy]:
        return list(Academy.objects.filter(code__in=self.cleaned_data["academies"]).order_by("name"))
