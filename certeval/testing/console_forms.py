"""Forms of the invigilator console and of the organiser's pages about proctored sessions. They check
what a form can (a field left empty, a number out of range); the services check the rest (the
candidate's state, the session finalised) and their refusal is shown as it is."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.testing.console_setup_services import NAME_MAX
from certeval.testing.models import CampaignDelivery, Incident, Sitting
from certeval.testing.models.sessions import Abandonment, DeliveryForm

EMPTY = [("", _("— Choisir —"))]


class OpenConsoleForm(forms.Form):
    number = forms.IntegerField(
        label=_("N° de session"),
        min_value=1,
        help_text=_("Le numéro donné par l'organisateur avec le mot de passe surveillant."),
        error_messages={
            "required": _("Indiquez le numéro de la session."),
            "invalid": _("Un nombre entier."),
        },
    )
    password = forms.CharField(
        label=_("Mot de passe surveillant"),
        max_length=40,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Indiquez le mot de passe surveillant de la session.")},
    )
    name = forms.CharField(
        label=_("Votre nom"),
        max_length=NAME_MAX,
        help_text=_("Prénom et nom : ils accompagnent chacune de vos actions dans le journal de la session."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom : il accompagne chacune de vos actions.")},
    )


class IdentityForm(forms.Form):
    document = forms.ChoiceField(
        label=_("Pièce d'identité présentée"),
        choices=EMPTY + list(Sitting.Document.choices),
        help_text=_("Le type de pièce seulement : n'en notez jamais le numéro."),
        error_messages={"required": _("Choisissez la pièce d'identité présentée.")},
    )


class AddTimeForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes à ajouter"),
        min_value=1,
        max_value=120,
        error_messages={
            "required": _("Indiquez le nombre de minutes."),
            "invalid": _("Un nombre entier de minutes."),
            "min_value": _("Le temps ajouté doit être compris entre 1 et 120 minutes."),
            "max_value": _("Le temps ajouté doit être compris entre 1 et 120 minutes."),
        },
    )
    reason = forms.CharField(
        label=_("Motif du temps ajouté"),
        max_length=300,
        help_text=_("Par exemple : panne du poste, interruption due à la salle."),
        error_messages={"required": _("Indiquez le motif du temps ajouté.")},
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'arrêt"),
        max_length=300,
        error_messages={"required": _("Indiquez le motif de l'arrêt de l'épreuve.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je confirme l'arrêt définitif de l'épreuve de ce candidat (ses réponses déjà données comptent)"
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'arrêt de l'épreuve.")},
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message au candidat"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Écrivez votre message.")},
    )


class IncidentForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Catégorie"),
        choices=EMPTY + list(Incident.Category.choices),
        error_messages={"required": _("Choisissez la catégorie de l'incident.")},
    )
    sitting = forms.TypedChoiceField(
        label=_("Candidat concerné"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Laissez « Toute la session » pour un incident qui concerne tous les candidats."),
    )
    question_number = forms.IntegerField(
        label=_("Numéro de la question"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Obligatoire pour un problème sur une question."),
        error_messages={"invalid": _("Un nombre entier."), "min_value": _("Un numéro à partir de 1.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui s'est passé, à quelle heure, ce que vous avez fait."),
        error_messages={"required": _("Décrivez l'incident.")},
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sitting"]).choices = [("", _("Toute la session")), *candidates]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        question = cleaned.get("category") == Incident.Category.QUESTION
        if question and not cleaned.get("question_number") and "question_number" not in self.errors:
            self.add_error("question_number", _("Indiquez le numéro de la question concernée."))
        return cleaned


class FinaliseForm(forms.Form):
    absentees_confirmed = forms.BooleanField(
        label=_("Je confirme que les candidats listés ci-dessus sont absents"),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire du surveillant"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le déroulement de la session, ce que l'organisateur doit savoir."),
    )

    def __init__(self, *args: Any, absentees: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.absentees = absentees

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.absentees and not cleaned.get("absentees_confirmed"):
            self.add_error("absentees_confirmed", _("Confirmez la liste des absents."))
        return cleaned


class DeliverySettingsForm(forms.ModelForm[CampaignDelivery]):
    form = forms.ChoiceField(
        label=_("Forme de l'épreuve"), choices=DeliveryForm.choices, widget=forms.RadioSelect
    )
    abandonment = forms.ChoiceField(
        label=_("En cas d'abandon"),
        choices=Abandonment.choices,
        widget=forms.RadioSelect,
        help_text=_("Quand le candidat arrête son épreuve avant la fin du temps."),
    )
    min_answered = forms.IntegerField(
        label=_("Réponses minimum pour un résultat valide"),
        min_value=1,
        max_value=500,
        help_text=_("En dessous, la passation n'a pas de résultat (Pix retient 20)."),
    )
    retention_days = forms.IntegerField(
        label=_("Conservation des événements de surveillance (jours après les résultats)"),
        min_value=1,
        max_value=3650,
    )
    max_questions = forms.IntegerField(
        label=_("Nombre maximum de questions"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_(
            "Vide : le maximum du référentiel (64 pour Pix+ Édu). Un nombre plus petit donne une épreuve "
            "courte (épreuve blanche, démonstration) : chaque partie garde sa part des questions."
        ),
    )

    class Meta:
        model = CampaignDelivery
        fields = ("form", "min_answered", "abandonment", "retention_days", "max_questions")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une décision.")},
    )
    reason = forms.CharField(
        label=_("Motif de la décision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la décision.")},
    )

    def __init__(self, *args: Any, neutralisable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            (value, label)
            for value, label in Incident.Decision.choices
            if neutralisable or value != Incident.Decision.NEUTRALISE
        ]
