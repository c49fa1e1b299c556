"""Forms of the calibration pages: start one, filter its review, activate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MODEL_NAMES = {"2pl": "2PL", "3pl": "3PL"}  # the models' usual names, in every language
MODEL_CHOICES = [
    ("2pl", _("2PL : discrimination et difficulté (recommandé)")),
    ("3pl", _("3PL : avec un pseudo-hasard (demande bien plus de réponses)")),
]
FLAG_LABELS = {
    "misfit": _("Mauvais ajustement au modèle (p < 0,01)"),
    "low-discrimination": _("Discrimination faible (a < 0,3)"),
    "extreme-difficulty": _("Difficulté extrême (|b| > 4)"),
    "high-se": _("Estimation imprécise (erreur type de b > 0,5)"),
}
SHOW_CHOICES = [
    ("", _("Toutes les questions calibrées")),
    ("flagged", _("Questions signalées seulement")),
    *FLAG_LABELS.items(),
]
SORT_CHOICES = [
    ("code", _("Code de la question")),
    ("change", _("Écart de difficulté (le plus grand d'abord)")),
    ("se", _("Erreur type de b (la plus grande d'abord)")),
    ("fit", _("Ajustement (le plus mauvais d'abord)")),
    ("responses", _("Nombre de réponses (le plus grand d'abord)")),
]


class CalibrationStartForm(forms.Form):
    model = forms.ChoiceField(label=_("Modèle"), choices=MODEL_CHOICES)


class ReviewFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Afficher"), choices=SHOW_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)


class ActivationForm(forms.Form):
    keep_flagged = forms.BooleanField(
        label=_("Garder les paramètres actuels des questions signalées"),
        help_text=_("Sinon, toutes les questions calibrées reçoivent leurs nouveaux paramètres."),
        required=False,
    )
