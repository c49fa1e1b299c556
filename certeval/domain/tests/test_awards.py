"""Verification codes: drawn from the unambiguous alphabet, read back in any case with or without
dashes, anything else refused; validity dates follow the automated result's rule."""

from __future__ import annotations

from datetime import date

from certeval.domain.awards import CODE_ALPHABET, CODE_LENGTH, grouped, new_code, normalise_code, valid_until


def test_codes_use_the_unambiguous_alphabet_and_differ() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)


def test_a_code_is_read_back_however_it_is_typed() -> None:
    code = new_code()
    assert normalise_code(grouped(code)) == code
    assert normalise_code(grouped(code).lower()) == code
    assert normalise_code(" " + grouped(code).replace("-", " ") + " ") == code
    assert grouped("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"


def test_anything_else_is_not_a_code() -> None:
    for typed in ("", "ABCD", "ABCDEFGHJKM0", "ABCDEFGHJKMNP", "ABCD-EFGH-JKMO", "x" * 100, "ABCD_EFGH_JKMN"):
        assert normalise_code(typed) is None, typed


def test_validity_ends_on_the_anniversary_or_never() -> None:
    assert valid_until(date(2026, 3, 1), 3) == date(2029, 3, 1)
    assert valid_until(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert valid_until(date(2026, 3, 1), None) is None
