import pytest
from hypothesis import given
from hypothesis import strategies as st

from certeval.domain.items.content import (
    Blank,
    Content,
    Kind,
    Option,
    Response,
    ResponseError,
    as_number,
    normalise,
    score,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Ctrl + S ", "ctrl+s"),
        ("ÉDUSCOL", "eduscol"),
        ("l’élève", "l'eleve"),
        ("deux   mots", "deux mots"),
        ("«\u00a0guillemets\u00a0»", '" guillemets "'),
    ],
)
def test_normalise_ignores_case_accents_quotes_and_spaces(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,5", 12.5),
        (" 12.5 ", 12.5),
        ("1 250", 1250.0),
        ("-3", -3.0),
        (",5", 0.5),
        ("12a", None),
        ("", None),
    ],
)
def test_numbers_accept_comma_and_thousand_spaces(typed: str, value: float | None) -> None:
    assert as_number(typed) == value


def choice(kind: Kind, rights: tuple[bool, ...]) -> Content:
    return Content(kind=kind, stem="?", options=tuple(Option(f"o{i}", r) for i, r in enumerate(rights)))


def test_single_choice_is_right_only_with_the_right_option() -> None:
    item = choice(Kind.SINGLE, (False, True, False))
    assert score(item, Response(choices=frozenset({"b"})))
    assert not score(item, Response(choices=frozenset({"a"})))
    assert not score(item, Response())
    with pytest.raises(ResponseError):
        score(item, Response(choices=frozenset({"a", "b"})))
    with pytest.raises(ResponseError):
        score(item, Response(choices=frozenset({"z"})))


def test_multiple_choice_needs_all_and_only_the_right_options() -> None:
    item = choice(Kind.MULTIPLE, (True, True, False, False))
    assert score(item, Response(choices=frozenset({"a", "b"})))
    assert not score(item, Response(choices=frozenset({"a"})))
    assert not score(item, Response(choices=frozenset({"a", "b", "c"})))


def test_short_answers_are_normalised_or_numeric_within_tolerance() -> None:
    text = Content(kind=Kind.SHORT, stem="?", blanks=(Blank(answers=("Éduscol", "eduscol.fr")),))
    assert score(text, Response(texts=("  EDUSCOL ",)))
    assert not score(text, Response(texts=("",)))
    number = Content(kind=Kind.SHORT, stem="?", blanks=(Blank(answers=(12.5,), tolerance=0.1),))
    assert score(number, Response(texts=("12,45",)))
    assert not score(number, Response(texts=("12,7",)))
    assert not score(number, Response(texts=("douze",)))
    with pytest.raises(ResponseError):
        score(number, Response(texts=("1", "2")))


def test_several_short_answers_are_all_needed() -> None:
    item = Content(
        kind=Kind.SHORTS,
        stem="?",
        blanks=(Blank(answers=("a",), label="x"), Blank(answers=("b",), label="y")),
    )
    assert score(item, Response(texts=("A", "B")))
    assert not score(item, Response(texts=("A", "c")))


def test_response_round_trips_through_json() -> None:
    response = Response(choices=frozenset({"b", "a"}))
    assert Response.from_json(response.as_json()) == response
