"""The question form: what a candidate can send for each kind of item, and the French errors."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from certeval.domain.items.content import Blank, Content, Kind, Option, Response, check_response
from certeval.testing.question_forms import QuestionForm

SINGLE = Content(Kind.SINGLE, "Quel format ?", options=(Option("PDF", True), Option("DOCX")))
MULTIPLE = Content(Kind.MULTIPLE, "Lesquels ?", options=(Option("A", True), Option("B", True), Option("C")))
SHORTS = Content(Kind.SHORTS, "Complétez.", blanks=(Blank(("ctrl+s",), "Raccourci"), Blank((3.0,), "Nombre")))


@pytest.mark.parametrize(
    ("content", "data", "response"),
    [
        (SINGLE, {"choice": "a"}, Response(choices=frozenset({"a"}))),
        (MULTIPLE, {"choices": ["a", "c"]}, Response(choices=frozenset({"a", "c"}))),
        (SHORTS, {"text_0": " Ctrl + S ", "text_1": ""}, Response(texts=("Ctrl + S", ""))),
        (SINGLE, {"skip": "1"}, Response()),
        (SHORTS, {"skip": "1", "text_0": "abc"}, Response(texts=("", ""))),
    ],
)
def test_valid_answers_become_responses(content, data, response):
    form = QuestionForm(content, data)
    assert form.is_valid(), form.errors
    assert form.response() == response


@pytest.mark.parametrize(
    ("content", "data", "field", "message"),
    [
        (SINGLE, {}, "choice", "Choisissez une proposition"),
        (SINGLE, {"choice": "z"}, "choice", "n'existe pas"),
        (MULTIPLE, {}, "choices", "Cochez au moins une proposition"),
        (SHORTS, {"text_0": "", "text_1": ""}, "text_0", "Écrivez vos réponses"),
        (SHORTS, {"text_0": "x" * 501, "text_1": "1"}, "text_0", "500 caractères"),
    ],
)
def test_bad_answers_get_french_errors_on_their_field(content, data, field, message):
    form = QuestionForm(content, data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@given(
    st.dictionaries(st.sampled_from(["choice", "choices", "text_0", "text_1", "skip"]), st.text(max_size=600))
)
def test_any_posted_data_gives_errors_or_a_response_that_fits(data):
    for content in (SINGLE, MULTIPLE, SHORTS):
        form = QuestionForm(content, data)
        if form.is_valid():
            check_response(content, form.response())


def test_the_include_labels_every_option_and_describes_the_group_by_the_stem():
    request = RequestFactory().get("/")
    html = render_to_string(
        "testing/_question.html",
        {"form": QuestionForm(SINGLE, prefix="q"), "action": "/repondre", "key": "k1", "allow_skip": True},
        request=request,
    )
    assert 'aria-describedby="q-stem"' in html
    assert '<div class="question-stem" id="q-stem" lang="fr">' in html
    assert html.count("<label for=") == 2
    assert 'name="key" value="k1"' in html
    assert "Je passe" in html
