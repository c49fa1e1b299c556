"""Forms of placement-run invitations: the organiser's list of addresses, the invitee's identity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.forms import DateInput
from certeval.campaigns.models import Academy, Enrolment


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses électroniques à inviter"),
        help_text=_("Une adresse par ligne. Une adresse déjà invitée, ou donnée deux fois, est ignorée."),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        max_length=50_000,
    )
    academy = forms.ModelChoiceField(label=_("Académie"), queryset=Academy.objects.none(), required=False)

    def __init__(self, *args: Any, academies: QuerySet[Academy], campaign_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["academy"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = academies
        field.required = not campaign_wide
        if campaign_wide:
            field.empty_label = str(_("Toutes académies"))
            field.help_text = _(
                "Facultatif : une invitation liée à une académie est visible de ses organisateurs."
            )
        else:
            field.empty_label = None


class AcceptForm(forms.Form):
    """The degree the person teaches in (the placement run's subjects depend on it), and their
    identity when they have none yet (``with_identity``)."""

    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usual_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=150, required=False)
    school_level = forms.ChoiceField(
        label=_("Degré dans lequel vous enseignez"),
        choices=[("", "—"), *Enrolment.SchoolLevel.choices],
        help_text=_("Le parcours bilan comporte des questions propres au premier ou au second degré."),
    )

    IDENTITY = ("birth_name", "usual_name", "first_names", "birth_date", "birth_place")

    def __init__(self, *args: Any, with_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_identity = with_identity
        if not with_identity:
            for name in self.IDENTITY:
                del self.fields[name]

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.IDENTITY if name in self.fields]
