"""Forms of the teachers' evaluation pages (INSPÉ initial training)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.campaigns.models import Enrolment


class TeacherAttachForm(forms.Form):
    enrolment = forms.TypedChoiceField(label=_("Étudiant (formation initiale)"), coerce=int)
    teacher = forms.TypedChoiceField(label=_("Enseignant de l'organisation"), coerce=int)

    def __init__(self, *args: Any, enrolments: list[Enrolment], teachers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["enrolment"]).choices = [
            (e.pk, e.candidate.display_name) for e in enrolments
        ]
        cast(forms.ChoiceField, self.fields["teacher"]).choices = [
            (t.pk, f"{t.get_full_name() or t.email} ({t.email})") for t in teachers
        ]


class ActivityForm(forms.Form):
    activity_title = forms.CharField(label=_("Activité professionnelle évaluée (intitulé)"), max_length=200)
    activity_description = forms.CharField(
        label=_("Description : contexte, public, outils et ressources numériques"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
