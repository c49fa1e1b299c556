"""Forms of the certifying organisations' pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.forms import AcademyChoiceField
from certeval.campaigns.models import Academy, Campaign, Organisation, OrganisationMember


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Nom"), max_length=200)
    academy = AcademyChoiceField(
        label=_("Académie"),
        queryset=Academy.objects.order_by("name"),
        required=False,
        help_text=_("Laissez vide pour un opérateur national (Canopé, CNED)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (Organisation.Kind.INSPE, Organisation.Kind.RECTORAT) and not data.get(
            "academy"
        ):
            self.add_error("academy", _("Un INSPÉ ou un rectorat relève d'une académie : choisissez-la."))
        return data


class OrganisationMemberForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    first_name = forms.CharField(label=_("Prénom (nouveau compte)"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom (nouveau compte)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle dans l'organisation"), choices=OrganisationMember.Role.choices)


class OrganisationMemberRemoveForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Membre"), coerce=int)

    def __init__(self, *args: Any, members: list[OrganisationMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = [
            (m.pk, f"{m.user.get_full_name() or m.user.email} — {m.get_role_display()}") for m in members
        ]


class OrganisationCampaignForm(forms.Form):
    campaign = forms.TypedChoiceField(label=_("Campagne"), coerce=int)

    def __init__(self, *args: Any, campaigns: list[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["campaign"]).choices = [(c.pk, c.title) for c in campaigns]
