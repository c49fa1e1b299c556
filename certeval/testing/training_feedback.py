"""What a person reads after answering a training question: right or wrong, their answer and the
right answer(s) as labels (option texts, accepted answers), the explanation and the resources, and when
the question comes back (its FSRS card). Shown in training only: the placement run never shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from certeval.domain.items.content import Blank, Content, Kind, Resource, Response
from certeval.testing.models import Question, ReviewCard


@dataclass(frozen=True)
class Feedback:
    question: Question
    correct: bool
    passed: bool  # no answer given (« Je passe »)
    given: list[str]  # the person's answer, as labels
    expected: list[str]  # the right answer(s), as labels
    explanation: str
    resources: tuple[Resource, ...]
    next_due: datetime | None  # when the item comes back for a replay


def _number(value: float) -> str:
    return number_format(value, decimal_pos=None if value != int(value) else 0)


def _accepted(blank: Blank) -> str:
    if blank.numeric:
        values = ", ".join(_number(float(a)) for a in blank.answers)
        if blank.tolerance:
            return _("%(values)s (à %(tolerance)s près)") % {
                "values": values,
                "tolerance": _number(blank.tolerance),
            }
        return values
    answers = [str(a) for a in blank.answers]
    if len(answers) == 1:
        return answers[0]
    return _("%(first)s (autres réponses acceptées : %(others)s)") % {
        "first": answers[0],
        "others": ", ".join(answers[1:]),
    }


def expected_labels(content: Content) -> list[str]:
    """The right answer(s) of an item, as a person reads them."""
    if content.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return [option.text for option in content.options if option.correct]
    labels = []
    for index, blank in enumerate(content.blanks):
        prefix = blank.label or ("" if len(content.blanks) == 1 else _("Réponse %(n)d") % {"n": index + 1})
        labels.append(f"{prefix} : {_accepted(blank)}" if prefix else _accepted(blank))
    return labels


def given_labels(content: Content, response: Response) -> list[str]:
    if content.kind in (Kind.SINGLE, Kind.MULTIPLE):
        texts = dict(zip(content.option_ids, (o.text for o in content.options), strict=True))
        return [texts[c] for c in sorted(response.choices) if c in texts]
    labels = []
    for index, (blank, text) in enumerate(zip(content.blanks, response.texts, strict=False)):
        if not text.strip():
            continue
        prefix = blank.label or ("" if len(content.blanks) == 1 else _("Réponse %(n)d") % {"n": index + 1})
        labels.append(f"{prefix} : {text}" if prefix else text)
    return labels


def feedback_of(question: Question) -> Feedback:
    """The feedback of an answered question (the caller checked it belongs to the person)."""
    content = question.item_version.content()
    response = Response.from_json(question.response or {})
    card = ReviewCard.objects.filter(
        candidate_id=question.run.candidate_id, item_id=question.item_version.item_id
    ).first()
    return Feedback(
        question=question,
        correct=bool(question.correct),
        passed=response.is_empty(),
        given=given_labels(content, response),
        expected=expected_labels(content),
        explanation=content.explanation,
        resources=content.resources,
        next_due=card.due if card is not None else None,
    )
