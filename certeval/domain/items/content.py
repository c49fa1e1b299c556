"""The content of one item version and the response a candidate gives to it.

Four kinds (issue 10): ``single`` (one right option), ``multiple`` (several right options, all and only
them must be ticked), ``short`` (one typed answer, compared after :func:`normalise`, or numerically
within ``tolerance`` when the accepted answers are numbers) and ``shorts`` (several typed blanks, each
with its own accepted answers). Scoring is dichotomous (right or wrong), which the IRT model needs.
Options are identified by their position letter (``a``, ``b``…), which stays stable within a version.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT = "short"
    SHORTS = "shorts"


class Usage(StrEnum):
    PRACTICE = "practice"  # placement run and training
    CERTIFICATION = "certification"  # proctored certification test only


ACCOMMODATIONS = ("screen-reader", "colour-vision", "motor")
LEVELS = ("initie", "confirme", "avance", "expert")
AUDIENCES = ("premier", "second")

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "«": '"', "»": '"', "“": '"', "”": '"'})
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def normalise(text: str) -> str:
    """Case, accents, typographic quotes and spaces do not matter: « Ctrl + S » = « ctrl+s »."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip().replace(" + ", "+")


def as_number(text: str) -> float | None:
    """A typed number (comma or point as decimal separator, spaces between thousands), or None."""
    compact = _SPACES.sub("", text).replace("\u202f", "")
    if not _NUMBER.match(compact):
        return None
    value = float(compact.replace(",", "."))
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Blank:
    """One typed answer: its accepted answers (texts, or numbers with a tolerance)."""

    answers: tuple[str | float, ...]
    label: str = ""
    tolerance: float = 0.0

    @property
    def numeric(self) -> bool:
        return bool(self.answers) and all(isinstance(a, float) for a in self.answers)

    def accepts(self, typed: str) -> bool:
        if self.numeric:
            value = as_number(typed)
            return value is not None and any(
                abs(value - float(a)) <= self.tolerance + 1e-9 for a in self.answers
            )
        given = normalise(typed)
        return bool(given) and any(given == normalise(str(a)) for a in self.answers)


@dataclass(frozen=True)
class Resource:
    label: str
    url: str


@dataclass(frozen=True)
class Content:
    """What the candidate sees and how the answer is scored (one item version)."""

    kind: Kind
    stem: str
    options: tuple[Option, ...] = ()
    blanks: tuple[Blank, ...] = ()
    explanation: str = ""
    resources: tuple[Resource, ...] = ()
    image_alt: str = ""
    expected_seconds: int = 60
    accessibility: frozenset[str] = field(default_factory=lambda: frozenset(ACCOMMODATIONS))

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option_id(i) for i in range(len(self.options)))

    def right_options(self) -> frozenset[str]:
        return frozenset(option_id(i) for i, o in enumerate(self.options) if o.correct)


def option_id(position: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[position]


@dataclass(frozen=True)
class Response:
    """A candidate's answer: ticked option ids (single, multiple) or typed texts (short, shorts)."""

    choices: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not self.choices and not any(t.strip() for t in self.texts)

    def as_json(self) -> dict[str, list[str]]:
        return {"choices": sorted(self.choices), "texts": list(self.texts)}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> Response:
        return cls(frozenset(data.get("choices", ())), tuple(data.get("texts", ())))


class ResponseError(ValueError):
    """A response that does not fit the item (unknown option, wrong number of blanks)."""


def check_response(content: Content, response: Response) -> None:
    """Refuse a response that is not an answer to this item; an empty answer is allowed (wrong)."""
    known = set(content.option_ids)
    if content.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if response.texts or not response.choices <= known:
            raise ResponseError("unknown option")
        if content.kind is Kind.SINGLE and len(response.choices) > 1:
            raise ResponseError("a single-choice item takes one option")
    else:
        if response.choices or len(response.texts) != len(content.blanks):
            raise ResponseError(f"expected {len(content.blanks)} typed answer(s)")
        if any(len(t) > 500 for t in response.texts):
            raise ResponseError("a typed answer is limited to 500 characters")


def score(content: Content, response: Response) -> bool:
    """Right or wrong (dichotomous): the response is checked first with :func:`check_response`."""
    check_response(content, response)
    if content.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return bool(response.choices) and response.choices == content.right_options()
    return all(blank.accepts(t) for blank, t in zip(content.blanks, response.texts, strict=True))
