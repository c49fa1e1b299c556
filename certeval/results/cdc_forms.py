"""Forms of the Caisse des Dépôts declaration page: the acknowledgement file, a holder's
correction, and how a référentiel is declared (administrators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.results.models import CdcHolderData, CdcSettings


class AcknowledgementForm(forms.Form):
    file = forms.FileField(
        label=_("Accusé de traitement (CSV)"),
        help_text=_(
            "Une ligne d'en-tête nommant les colonnes idTechnique, statut (OK ou KO) et, facultative, "
            "motif ; séparateur « ; » ou « , » ; encodage UTF-8."
        ),
    )


class HolderCorrectionForm(forms.Form):
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usual_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(
        label=_("Prénoms"),
        max_length=200,
        help_text=_("Le premier prénom est déclaré : séparez les prénoms par des virgules."),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = forms.ChoiceField(
        label=_("Sexe à l'état civil"),
        choices=[("", "—"), *CdcHolderData.Sex.choices],
        help_text=_("Exigé par la Caisse des Dépôts pour retrouver le titulaire."),
    )
    birth_insee_code = forms.CharField(
        label=_("Code INSEE de la commune de naissance (facultatif)"),
        max_length=5,
        required=False,
        help_text=_(
            "À renseigner seulement si la Caisse des Dépôts n'a pas retrouvé le titulaire : "
            "5 caractères, par exemple 69123 (Lyon), 2A004, ou 99xxx pour un pays étranger."
        ),
    )


class CdcSettingsForm(forms.ModelForm):
    class Meta:
        model = CdcSettings
        fields = ("declares", "certification_type", "code", "certifier_id", "contract_id")
        help_texts = {
            "certification_type": _("Vide : la valeur du réglage CERTEVAL_CDC."),
            "code": _("Par exemple RNCP12345 ou RS5678 ; vide : la valeur du réglage CERTEVAL_CDC."),
            "certifier_id": _("8 caractères ; vide : la valeur du réglage CERTEVAL_CDC."),
            "contract_id": _("Vide : la valeur du réglage CERTEVAL_CDC."),
        }
