from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.models import Academy, Campaign, Enrolment, FinalPolicy, Session, TieRule
from certeval.frameworks.selectors import latest_versions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


def paris_fields(prefix: str, label: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_date": forms.DateField(label=_("%(what)s — date") % {"what": label}, widget=DateInput()),
        f"{prefix}_time": forms.TimeField(
            label=_("%(what)s — heure (Paris)") % {"what": label}, widget=TimeInput(attrs={"step": 1})
        ),
    }


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    framework_version = forms.TypedChoiceField(label=_("Référentiel (version publiée)"), coerce=int)
    deadline_date = forms.DateField(label=_("Date limite de dépôt — date"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("Date limite de dépôt — heure (Paris)"),
        widget=TimeInput(attrs={"step": 1}),
        initial="23:59:59",
    )
    final_policy = forms.ChoiceField(label=_("Politique de décision finale"), choices=FinalPolicy.choices)
    tie_rule = forms.ChoiceField(label=_("Règle d'égalité à l'oral"), choices=TieRule.choices)
    oral_duration_minutes = forms.IntegerField(
        label=_("Durée de l'oral (minutes)"), min_value=5, max_value=240, initial=45
    )
    academy_groups = forms.CharField(
        label=_("Groupes d'académies (jurys interacadémiques)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un groupe par ligne, codes d'académies séparés par des virgules."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].choices = [
            (v.pk, f"{v.title} — v{v.version_number}") for v in latest_versions()
        ]

    def clean_academy_groups(self) -> list[list[str]]:
        known = set(Academy.objects.values_list("code", flat=True))
        groups = []
        for line in self.cleaned_data["academy_groups"].splitlines():
            codes = [c.strip() for c in line.split(",") if c.strip()]
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise forms.ValidationError(
                    _("Académies inconnues : %(codes)s") % {"codes": ", ".join(unknown)}
                )
            if codes:
                groups.append(codes)
        return groups

    @property
    def deadline(self) -> datetime:
        return paris_instant(self.cleaned_data["deadline_date"], self.cleaned_data["deadline_time"])


class SessionForm(forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    start_date = forms.DateField(label=_("Début — date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Début — heure (Paris)"), widget=TimeInput())
    end_date = forms.DateField(label=_("Fin — date"), widget=DateInput())
    end_time = forms.TimeField(label=_("Fin — heure (Paris)"), widget=TimeInput())
    mode = forms.ChoiceField(label=_("Modalité"), choices=Session.Mode.choices)
    place = forms.CharField(label=_("Lieu ou lien de visio"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacité"), min_value=1, initial=30)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) for k in ("start_date", "start_time", "end_date", "end_time")):
            data["starts_at"] = paris_instant(data["start_date"], data["start_time"])
            data["ends_at"] = paris_instant(data["end_date"], data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                raise forms.ValidationError(_("La fin de la session doit suivre son début."))
        return data


class EnrolmentForm(forms.Form):
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usual_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=150, required=False)
    email = forms.EmailField(label=_("Adresse électronique"))
    academy = forms.ModelChoiceField(label=_("Académie"), queryset=Academy.objects.all())
    school_level = forms.ChoiceField(label=_("Degré"), choices=Enrolment.SchoolLevel.choices)
    training = forms.ChoiceField(label=_("Formation"), choices=Enrolment.Training.choices)
    target_level = forms.ChoiceField(label=_("Niveau visé"), required=False)
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    extra_time_percent = forms.IntegerField(
        label=_("Temps majoré (%)"), min_value=0, max_value=100, initial=0
    )
    accessible_formats = forms.CharField(label=_("Formats accessibles"), max_length=300, required=False)
    other_needs = forms.CharField(
        label=_("Autres besoins"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_level"].choices = [("", _("— Non précisé —")), *campaign.level_choices]
        self.fields["session"].queryset = campaign.sessions.all()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "Colonnes : nom_naissance, nom_usage, prenoms, date_naissance, lieu_naissance, email, academie, "
            "degre, formation, niveau_vise, temps_majore, formats_accessibles, autres_besoins."
        ),
    )


class SessionAssignForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = campaign.sessions.all()
