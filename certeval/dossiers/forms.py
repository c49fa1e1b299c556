from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.dossiers.models import DossierFile


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=DossierFile.Kind.choices)
    component = forms.ChoiceField(
        label=_("Pièce du dossier"),
        required=False,
        choices=(),
        help_text=_("Les limites de pages ou de caractères de la pièce s'appliquent à ce document."),
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : « Dossier », « Trace 2 »"),
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "PDF, ODT, DOCX, PNG, JPEG, ou enregistrement MP4 / WebM. Un lien seul n'est pas accepté."
        ),
    )
    link_url = forms.URLField(
        label=_("Lien de la ressource (facultatif)"),
        required=False,
        assume_scheme="https",
        help_text=_("Joignez toujours une copie (capture, export) : le lien est conservé pour information."),
    )
    replaces = forms.TypedChoiceField(
        label=_("Nouvelle version de"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(
        self, *args: Any, current: list[DossierFile], components: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if components:
            cast(forms.ChoiceField, self.fields["component"]).choices = [*components, ("", _("Autre pièce"))]
            self.fields["component"].initial = components[0][0]
        else:
            del self.fields["component"]
        cast(forms.ChoiceField, self.fields["replaces"]).choices = [
            ("", _("— Aucun (nouveau fichier) —"))
        ] + [(f.pk, f"{f.title} ({f.name})") for f in current]


class WithdrawForm(forms.Form):
    file = forms.TypedChoiceField(label=_("Fichier à retirer"), coerce=int, choices=())

    def __init__(self, *args: Any, current: list[DossierFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["file"]).choices = [
            (f.pk, f"{f.title} ({f.name})") for f in current
        ]


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je dépose définitivement ce dossier : il sera figé et ne pourra plus être modifié."),
        required=True,
    )
