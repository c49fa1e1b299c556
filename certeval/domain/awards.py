"""Rules of awards that need no database: verification codes and validity dates.

A verification code is ``CODE_LENGTH`` characters drawn with :mod:`secrets` from an alphabet without
the characters people confuse (0/O, 1/I/L); it is printed in groups of four (``XXXX-XXXX-XXXX``) and
typed in any case, with or without dashes and spaces. 31^12 ≈ 7.9 × 10^17 codes: guessing one among a
million awards takes about 10^12 tries, far beyond the rate limit of the verification page.
"""

from __future__ import annotations

import secrets
from datetime import date

from certeval.domain.rules.dates import valid_until as dates_valid_until

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\t")


def new_code() -> str:
    """A fresh, unguessable verification code (normalised form, no dashes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (wrong length or character).

    Dashes and spaces are dropped and letters upper-cased; nothing else is corrected (an ``O`` is not
    read as a zero): a code outside the alphabet is simply not a code."""
    if len(typed) > 64:
        return None
    code = typed.translate(_SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def grouped(code: str) -> str:
    """``ABCDEFGHJKMN`` → ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def valid_until(start: date, years: int | None) -> date | None:
    """Last day (inclusive) of validity, as for automated results (``rules.dates.valid_until``: the
    anniversary day); None (no end) when ``years`` is None."""
    return None if years is None else dates_valid_until(start, years)
