"""The candidate's form to declare a piece of evidence: requirement, file, pages, count, note."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from certeval.dossiers.evidence_selectors import Requirement
from certeval.dossiers.evidence_services import MAX_COUNT, Declared
from certeval.dossiers.models import DossierFile

PAGES = re.compile(r"^\s*(?:p\.?\s*)?(\d{1,5})\s*(?:[-–—à]\s*(\d{1,5}))?\s*$")


def parse_pages(text: str) -> tuple[int | None, int | None]:
    """« 3 » → (3, 3), « 3-5 » or « 3–5 » or « 3 à 5 » → (3, 5), "" → (None, None); raises
    ``ValueError`` on anything else."""
    if not text.strip():
        return None, None
    match = PAGES.match(text)
    if match is None:
        raise ValueError(text)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return first, last


class DeclarationForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Exigence du référentiel"), choices=())
    file = forms.TypedChoiceField(label=_("Fichier de votre dépôt"), coerce=int, choices=())
    pages = forms.CharField(
        label=_("Pages (facultatif)"),
        required=False,
        max_length=20,
        help_text=_("Une page (« 4 ») ou une plage (« 4-7 ») ; vide : tout le fichier."),
    )
    count = forms.IntegerField(
        label=_("Nombre d'éléments"),
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        help_text=_(
            "Combien d'éléments cette preuve compte (situations, parcours, outils…) ; vide : un élément."
        ),
    )
    note = forms.CharField(
        label=_("Précision (facultatif)"),
        required=False,
        max_length=500,
        help_text=_("Par exemple : l'outil ou la plateforme, l'apprenant concerné, la section."),
    )

    def __init__(
        self, *args: Any, requirements: list[Requirement], files: list[DossierFile], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for requirement in requirements:
            group = (
                f"{requirement.check.competence} — {requirement.competence_title}"
                if requirement.check.competence
                else requirement.component_title or str(_("Ensemble du dossier"))
            )
            groups.setdefault(group, []).append((requirement.id, requirement.check.text.rstrip(" :")))
        cast(forms.ChoiceField, self.fields["requirement"]).choices = list(groups.items())
        cast(forms.ChoiceField, self.fields["file"]).choices = [
            (f.pk, f"{f.title} ({f.name})") for f in files
        ]

    def clean_pages(self) -> tuple[int | None, int | None]:
        try:
            first, last = parse_pages(self.cleaned_data.get("pages", ""))
        except ValueError:
            raise forms.ValidationError(
                _("Écrivez une page (« 4 ») ou une plage de pages (« 4-7 »).")
            ) from None
        if first is not None and last is not None and (first < 1 or last < first):
            raise forms.ValidationError(
                _("Plage de pages incohérente : la dernière page précède la première.")
            )
        return first, last

    def declared(self) -> Declared:
        data = self.cleaned_data
        first, last = data["pages"]
        return Declared(
            requirement=data["requirement"],
            file_id=data["file"],
            first_page=first,
            last_page=last,
            count=data.get("count") or 1,
            note=data.get("note", ""),
        )
