"""Forms of the item writers' pages: search, the item editor, review, life-cycle moves, import,
item writers. The editor builds a domain ``ItemRecord`` and reports the structural rules
(``records.structural_errors``) in French, each on its field."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certeval.core.upload_small import inspect_small_file
from certeval.core.uploads import UploadRejected
from certeval.domain.items.content import (
    ACCOMMODATIONS,
    Blank,
    Content,
    Kind,
    Option,
    Resource,
    Usage,
    as_number,
)
from certeval.domain.items.exchange import (
    ATTACHMENT_SUFFIXES,
    IMAGE_SUFFIXES,
    MAX_BLANKS,
    MAX_MEDIA_BYTES,
    OPTION_IDS,
    unsafe_svg,
)
from certeval.domain.items.records import Irt, ItemRecord, provisional_irt, structural_errors
from certeval.testing.models.items import (
    Accommodation,
    Audience,
    ItemKind,
    ItemStatus,
    ItemUsage,
    Level,
    Part,
)

CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # an XML NCName (QTI identifier), as the demo codes


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def competence_choices(competences: dict[str, list[tuple[str, str]]]) -> list[Any]:
    """Competences grouped by part; the value is ``part:competence`` (ids repeat across parts)."""
    groups = []
    for part, listed in competences.items():
        label = Part(part).label if part in Part.values else part
        groups.append((label, [(f"{part}:{cid}", f"{cid} {title}") for cid, title in listed]))
    return groups


class ItemSearchForm(forms.Form):
    text = forms.CharField(label=_("Texte ou code"), required=False, max_length=200)
    competence = forms.ChoiceField(label=_("Compétence"), required=False)
    level = forms.ChoiceField(
        label=_("Niveau visé"), required=False, choices=_blank(_("Tous")) + Level.choices
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=_blank(_("Tous")) + ItemStatus.choices
    )
    audience = forms.ChoiceField(
        label=_("Public"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("both", _("Premier et second degrés")),
            ("premier", _("Premier degré")),
            ("second", _("Second degré")),
        ],
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(_("Tous")) + ItemKind.choices)
    usage = forms.ChoiceField(label=_("Usage"), required=False, choices=_blank(_("Tous")) + ItemUsage.choices)

    def __init__(self, competences: dict[str, list[tuple[str, str]]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = [
            (f"{part}:", gettext("%(part)s — toutes") % {"part": Part(part).label}) for part in competences
        ]
        cast(forms.ChoiceField, self.fields["competence"]).choices = [
            ("", _("Toutes")),
            *parts,
            *competence_choices(competences),
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        part, _sep, competence = (data.pop("competence") or "").partition(":")
        return {**data, "part": part, "competence": competence}


# Structural rules (English, from the domain) → (field, French message).
RULES: list[tuple[re.Pattern[str], str, Any]] = [
    (re.compile(r"^the stem is empty$"), "stem", _("L'énoncé est vide.")),
    (re.compile(r"^the explanation is empty$"), "explanation", _("L'explication est vide.")),
    (re.compile(r"^expected_seconds"), "expected_seconds", _("La durée attendue va de 10 à 1 800 secondes.")),
    (re.compile(r"^an image needs"), "image_alt", _("Une image demande son texte alternatif.")),
    (
        re.compile(r"^certification items are text only"),
        "usage",
        _("Une question de certification n'a ni image ni fichier joint."),
    ),
    (
        re.compile(r"^a choice item has 3 to 6"),
        "option_a",
        _("Une question à choix a de 3 à 6 propositions."),
    ),
    (
        re.compile(r"^options must be"),
        "option_a",
        _("Les propositions doivent être remplies et différentes."),
    ),
    (
        re.compile(r"^a single-choice item has exactly one"),
        "correct",
        _("Une question à choix unique a exactement une bonne réponse."),
    ),
    (
        re.compile(r"^a multiple-choice item has"),
        "correct",
        _("Une question à choix multiple a au moins deux bonnes réponses et une mauvaise."),
    ),
    (re.compile(r"^a short item"), "answers_1", _("Une réponse courte a une seule réponse attendue.")),
    (re.compile(r"^a shorts item"), "answers_1", _("Remplissez de 2 à 4 réponses attendues.")),
    (re.compile(r"^blank (\d) has no accepted"), "answers_{0}", _("Donnez au moins une réponse acceptée.")),
    (
        re.compile(r"^blank (\d) mixes"),
        "answers_{0}",
        _("Les réponses numériques ne contiennent que des nombres."),
    ),
    (re.compile(r"^blank (\d) has an answer that"), "answers_{0}", _("Une réponse acceptée est vide.")),
    (
        re.compile(r"^blank (\d) needs a tolerance"),
        "tolerance_{0}",
        _("La tolérance est un nombre positif ou nul."),
    ),
    (
        re.compile(r"^blank (\d): a tolerance"),
        "tolerance_{0}",
        _("Une tolérance ne vaut que pour des nombres."),
    ),
    (re.compile(r"^blank (\d) needs a label"), "label_{0}", _("Chaque réponse attendue a son intitulé.")),
    (
        re.compile(r"^audience"),
        "audience",
        _("Le public (premier ou second degré) ne concerne que le CRCN-Édu."),
    ),
    (re.compile(r"^competence"), "competence", _("Cette compétence n'appartient pas au référentiel publié.")),
]


def french(error: str) -> tuple[str | None, str]:
    """The field and the French message of a structural error (None: a form-wide error)."""
    for pattern, name, message in RULES:
        found = pattern.search(error)
        if found:
            return name.format(*found.groups()), str(message)
    return None, error


class ItemEditorForm(forms.Form):
    """Create or edit an item; ``creating`` adds the code field."""

    code = forms.CharField(
        label=_("Code"),
        max_length=80,
        help_text=_(
            "Unique dans la banque : lettres sans accents, chiffres, points, tirets (par exemple crcn-1.1-p12)."
        ),
    )
    competence = forms.ChoiceField(label=_("Compétence du référentiel publié"))
    level = forms.ChoiceField(label=_("Niveau visé"), choices=Level.choices)
    audience = forms.ChoiceField(
        label=_("Public"),
        choices=Audience.choices,
        required=False,
        help_text=_("Seulement pour le CRCN-Édu, quand la question ne vaut que pour un degré."),
    )
    usage = forms.ChoiceField(label=_("Usage"), choices=ItemUsage.choices)
    kind = forms.ChoiceField(label=_("Type de question"), choices=ItemKind.choices, widget=forms.RadioSelect)
    stem = forms.CharField(
        label=_("Énoncé"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Une ligne vide sépare deux paragraphes."),
    )
    correct = forms.MultipleChoiceField(
        label=_("Bonne(s) réponse(s)"),
        required=False,
        choices=[(letter, letter.upper()) for letter in OPTION_IDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choix unique : cochez une seule lettre ; choix multiple : toutes les bonnes."),
    )
    explanation = forms.CharField(
        label=_("Explication"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Montrée après la réponse, à l'entraînement seulement."),
    )
    resources = forms.CharField(
        label=_("Ressources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une par ligne : « intitulé | https://… »."),
    )
    image = forms.FileField(
        label=_("Image"), required=False, help_text=_("SVG, PNG, JPEG ou WebP, 5 Mo au plus.")
    )
    image_alt = forms.CharField(
        label=_("Texte alternatif de l'image"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire avec une image : ce qu'elle montre d'utile pour répondre."),
    )
    remove_image = forms.BooleanField(label=_("Retirer l'image actuelle"), required=False)
    attachment = forms.FileField(
        label=_("Fichier à télécharger"),
        required=False,
        help_text=_("Par exemple un tableur (CSV, XLSX, ODS), 5 Mo au plus."),
    )
    remove_attachment = forms.BooleanField(label=_("Retirer le fichier actuel"), required=False)
    expected_seconds = forms.IntegerField(
        label=_("Durée attendue (secondes)"), min_value=10, max_value=1800, initial=60
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Compatible avec"),
        required=False,
        choices=Accommodation.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(ACCOMMODATIONS),
        help_text=_("Les candidats qui ont ces aménagements ne reçoivent que des questions compatibles."),
    )

    def __init__(
        self,
        competences: dict[str, list[tuple[str, str]]],
        *args: Any,
        creating: bool = True,
        has_image: bool = False,
        has_attachment: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.file_notices: list[str] = []
        self.creating = creating
        self.has_image = has_image
        cast(forms.ChoiceField, self.fields["competence"]).choices = [
            ("", _("Choisissez")),
            *competence_choices(competences),
        ]
        for letter in OPTION_IDS:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=gettext("Proposition %(letter)s") % {"letter": letter.upper()},
                required=False,
                max_length=500,
            )
        for n in range(1, MAX_BLANKS + 1):
            self.fields[f"label_{n}"] = forms.CharField(
                label=gettext("Intitulé de la réponse %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"answers_{n}"] = forms.CharField(
                label=gettext("Réponses acceptées %(n)s") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Une variante par ligne ; la casse, les accents et les espaces ne comptent pas."),
            )
            self.fields[f"tolerance_{n}"] = forms.CharField(
                label=gettext("Tolérance numérique %(n)s") % {"n": n},
                required=False,
                max_length=20,
                help_text=_("Remplie (0 pour une valeur exacte) : les réponses sont des nombres."),
            )
        if not creating:
            del self.fields["code"]
        if not has_image:
            del self.fields["remove_image"]
        if not has_attachment:
            del self.fields["remove_attachment"]
        self.record: ItemRecord | None = None

    @property
    def option_rows(self) -> list[forms.BoundField]:
        return [self[f"option_{letter}"] for letter in OPTION_IDS]

    @property
    def blank_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"label_{n}"], self[f"answers_{n}"], self[f"tolerance_{n}"]]
            for n in range(1, MAX_BLANKS + 1)
        ]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not CODE.match(code):
            raise ValidationError(
                _("Lettres sans accents, chiffres, points, tirets et soulignés ; commence par une lettre.")
            )
        return code

    def _file(self, name: str, suffixes: tuple[str, ...]) -> tuple[str, bytes] | None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if not upload.name.lower().endswith(suffixes):
            self.add_error(
                name,
                gettext("Type de fichier refusé (accepté : %(types)s).") % {"types": ", ".join(suffixes)},
            )
            return None
        if upload.size > MAX_MEDIA_BYTES:
            self.add_error(name, _("Le fichier dépasse 5 Mo."))
            return None
        data = upload.read()
        if upload.name.lower().endswith(".svg") and unsafe_svg(data):
            self.add_error(name, _("Une image SVG ne doit contenir ni script ni gestionnaire d'événement."))
            return None
        try:
            data, notice = inspect_small_file(upload.name, data)
        except UploadRejected as error:
            self.add_error(name, str(error))
            return None
        if notice:
            self.file_notices.append(notice)
        return upload.name, data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.file_notices = []
        self.image_file = self._file("image", IMAGE_SUFFIXES)
        self.attachment_file = self._file("attachment", ATTACHMENT_SUFFIXES)
        kind = Kind(data["kind"])
        part, _sep, competence = data["competence"].partition(":")
        options: list[Option] = []
        blanks: list[Blank] = []
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            texts = [(data.get(f"option_{letter}") or "").strip() for letter in OPTION_IDS]
            while texts and not texts[-1]:
                texts.pop()
            options = [
                Option(text, letter in data["correct"])
                for letter, text in zip(OPTION_IDS, texts, strict=False)
            ]
            for letter in data["correct"]:
                if letter not in OPTION_IDS[: len(texts)]:
                    self.add_error(
                        "correct", gettext("La proposition %(letter)s est vide.") % {"letter": letter.upper()}
                    )
        else:
            for n in range(1, MAX_BLANKS + 1):
                variants = [v.strip() for v in (data.get(f"answers_{n}") or "").splitlines() if v.strip()]
                raw = (data.get(f"tolerance_{n}") or "").strip()
                if not variants:
                    if raw or data.get(f"label_{n}"):
                        self.add_error(f"answers_{n}", _("Donnez au moins une réponse acceptée."))
                    continue
                answers: tuple[str | float, ...] = tuple(variants)
                tolerance = 0.0
                if raw:
                    value = as_number(raw)
                    numbers = [as_number(v) for v in variants]
                    if value is None:
                        self.add_error(
                            f"tolerance_{n}", _("La tolérance est un nombre (0 pour une valeur exacte).")
                        )
                        continue
                    if any(number is None for number in numbers):
                        self.add_error(
                            f"answers_{n}", _("Avec une tolérance, les réponses acceptées sont des nombres.")
                        )
                        continue
                    answers, tolerance = tuple(float(x) for x in numbers if x is not None), value
                blanks.append(Blank(answers, (data.get(f"label_{n}") or "").strip(), tolerance))
        resources = []
        for line in (data.get("resources") or "").splitlines():
            if not line.strip():
                continue
            label, bar, url = line.partition("|")
            if not bar or not url.strip().startswith(("https://", "http://")) or not label.strip():
                self.add_error(
                    "resources",
                    gettext("Ligne « %(line)s » : écrivez « intitulé | https://… ».")
                    % {"line": line.strip()},
                )
                continue
            resources.append(Resource(label.strip(), url.strip()))
        if self.errors:
            return data
        code = data.get("code") or "item"
        content = Content(
            kind=kind,
            stem=data["stem"].replace("\r\n", "\n").strip(),
            options=tuple(options),
            blanks=tuple(blanks),
            explanation=data["explanation"].replace("\r\n", "\n").strip(),
            resources=tuple(resources),
            image_alt=(data.get("image_alt") or "").strip(),
            expected_seconds=data["expected_seconds"],
            accessibility=frozenset(data.get("accessibility") or ()),
        )
        has_image = bool(self.image_file) or (self.has_image and not data.get("remove_image"))
        self.record = ItemRecord(
            code=code,
            part=part,
            competence=competence,
            level=data["level"],
            usage=Usage(data["usage"]),
            content=content,
            irt=provisional_irt(code, data["level"]) if data["level"] in Level.values else Irt(1.0, 0.0),
            audience=data.get("audience") or "",
            image="image" if has_image else "",
            attachment="file" if self.attachment_file else "",
        )
        for error in structural_errors(self.record):
            name, message = french(error)
            self.add_error(name if name in self.fields else None, message)
        return data


def initial_of(record: ItemRecord) -> dict[str, Any]:
    """The editor's initial values for an item's current version."""
    c = record.content
    initial: dict[str, Any] = {
        "code": record.code,
        "competence": f"{record.part}:{record.competence}",
        "level": record.level,
        "audience": record.audience,
        "usage": record.usage.value,
        "kind": c.kind.value,
        "stem": c.stem,
        "correct": sorted(c.right_options()),
        "explanation": c.explanation,
        "resources": "\n".join(f"{r.label} | {r.url}" for r in c.resources),
        "image_alt": c.image_alt,
        "expected_seconds": c.expected_seconds,
        "accessibility": sorted(c.accessibility),
    }
    for letter, option in zip(OPTION_IDS, c.options, strict=False):
        initial[f"option_{letter}"] = option.text
    for n, blank in enumerate(c.blanks, 1):
        initial[f"label_{n}"] = blank.label
        initial[f"answers_{n}"] = "\n".join(
            (str(int(a)) if a.is_integer() else str(a)) if isinstance(a, float) else a for a in blank.answers
        )
        if blank.numeric:
            initial[f"tolerance_{n}"] = str(blank.tolerance)
    return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Valider la relecture")), ("send_back", _("Renvoyer à l'auteur"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour renvoyer la question : dites ce qu'il faut reprendre."),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nouveau statut"), choices=ItemStatus.choices)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un retour en brouillon."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de questions"),
        help_text=_(
            "CSV (items.csv), question QTI 2.1 (.xml) ou archive .zip avec les images et fichiers joints."
        ),
    )
    status = forms.ChoiceField(
        label=_("Statut des questions importées"), choices=ItemStatus.choices, initial="draft"
    )


class WriterForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne"))
