"""The form of one question as a candidate answers it, built from the item version's content.

Single choice: one radio button per option; multiple choice: one checkbox per option; short answers:
one labelled text field per blank. A candidate may also pass a question (« Je passe ») on purpose:
the answer is then empty and scored wrong, like an unanswered question. The same form serves the
placement run, training and the authors' preview, so a candidate and an author see the same thing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certeval.domain.items.content import Content, Kind, Response

MAX_TEXT = 500


class QuestionForm(forms.Form):
    """``content``: the item version's content; ``data``: the POST of the question page."""

    skip = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, content: Content, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = content
        # The language of the item's text, marked on it for screen readers when the interface is in
        # another language (WCAG 3.1.2).
        self.language: str = settings.CERTEVAL_ITEM_LANGUAGE
        choices = [
            (oid, option.text) for oid, option in zip(content.option_ids, content.options, strict=True)
        ]
        if content.kind is Kind.SINGLE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Votre réponse"),
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Cette proposition n'existe pas pour cette question.")},
            )
        elif content.kind is Kind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Vos réponses"),
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={"invalid_choice": _("Cette proposition n'existe pas pour cette question.")},
            )
        else:
            for index, blank in enumerate(content.blanks):
                label = blank.label or (
                    _("Votre réponse")
                    if len(content.blanks) == 1
                    else _("Réponse %(n)d sur %(total)d") % {"n": index + 1, "total": len(content.blanks)}
                )
                self.fields[f"text_{index}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=MAX_TEXT,
                    strip=True,
                    help_text=_("Un nombre : la virgule ou le point conviennent.") if blank.numeric else "",
                    error_messages={
                        "max_length": _("Une réponse tient en %(limit_value)d caractères au plus."),
                    },
                )

    @property
    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "skip"]

    @property
    def legend_id(self) -> str:
        return f"{self.prefix or 'question'}-stem"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("skip") or self.errors:
            return data
        kind = self.content.kind
        if kind is Kind.SINGLE and not data.get("choice"):
            self.add_error("choice", _("Choisissez une proposition, ou passez la question."))
        elif kind is Kind.MULTIPLE and not data.get("choices"):
            self.add_error("choices", _("Cochez au moins une proposition, ou passez la question."))
        elif kind in (Kind.SHORT, Kind.SHORTS):
            empty = [i for i in range(len(self.content.blanks)) if not data.get(f"text_{i}")]
            if len(empty) == len(self.content.blanks):
                self.add_error(
                    f"text_{empty[0]}",
                    ngettext(
                        "Écrivez votre réponse, ou passez la question.",
                        "Écrivez vos réponses, ou passez la question.",
                        len(self.content.blanks),
                    ),
                )
        return data

    def response(self) -> Response:
        """The domain response of a valid form (empty when the candidate passed the question)."""
        data = self.cleaned_data
        kind = self.content.kind
        if data.get("skip"):
            return (
                Response(texts=("",) * len(self.content.blanks))
                if kind in (Kind.SHORT, Kind.SHORTS)
                else Response()
            )
        if kind is Kind.SINGLE:
            return Response(choices=frozenset({data["choice"]}))
        if kind is Kind.MULTIPLE:
            return Response(choices=frozenset(data["choices"]))
        return Response(texts=tuple(data.get(f"text_{i}", "") for i in range(len(self.content.blanks))))
