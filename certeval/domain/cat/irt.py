"""Item response models: 1PL, 2PL, 3PL and 4PL (optional upper asymptote), vectorised.

Every item follows the four-parameter logistic curve

    P(θ) = c + (d − c) / (1 + exp(−D·a·(θ − b)))

with discrimination ``a`` > 0, difficulty ``b``, lower asymptote ``c`` in [0, 1) (guessing) and upper
asymptote ``d`` in (c, 1] (slipping). 1PL fixes a = 1, c = 0, d = 1; 2PL fixes c = 0, d = 1; 3PL fixes
d = 1. ``D`` is the scaling constant (1.0 for the logistic metric, 1.702 to approximate the normal ogive).
Fisher information of one item is

    I(θ) = (D·a)² · (P − c)² · (d − P)² / ((d − c)² · P · (1 − P)).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


class Model(StrEnum):
    """Which parameters of the logistic curve are free."""

    ONE_PL = "1PL"
    TWO_PL = "2PL"
    THREE_PL = "3PL"
    FOUR_PL = "4PL"


def probability(
    theta: FloatArray | float, a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray, scale: float = 1.0
) -> FloatArray:
    """Probability of a correct answer; broadcasts ``theta`` against the item arrays."""
    star = 1.0 / (1.0 + np.exp(-scale * a * (np.asarray(theta, dtype=np.float64) - b)))
    return np.asarray(c + (d - c) * star, dtype=np.float64)


def information(
    theta: FloatArray | float, a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray, scale: float = 1.0
) -> FloatArray:
    """Fisher information of each item at ``theta`` (broadcasting like :func:`probability`).

    Computed as (Da)²(d − c)²·e² / ((1 + e)²(d + c·e)((1 − d) + (1 − c)·e)) with e = exp(−Da(θ − b)),
    the same quantity written without the 0/0 of the textbook form far from b.
    """
    e = np.exp(np.clip(-scale * a * (np.asarray(theta, dtype=np.float64) - b), -50.0, 50.0))
    numerator = (scale * a * (d - c) * e) ** 2
    denominator = (1.0 + e) ** 2 * (d + c * e) * ((1.0 - d) + (1.0 - c) * e)
    return np.asarray(numerator / denominator, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class ItemBank:
    """An item bank: IRT parameters as arrays plus the content attributes of every item.

    ``competence`` and ``part`` default to empty strings when the bank does not carry them; the domain
    of a competence is the text before its first dot ("1.2" belongs to domain "1"), or ``domain`` when
    given explicitly. ``accessibility`` lists, per item, the accommodations the item is compatible with
    (for example ``screen-reader``); ``level`` is the optional target level of an item for level forms.
    """

    ids: tuple[str, ...]
    a: FloatArray
    b: FloatArray
    c: FloatArray
    d: FloatArray
    competence: tuple[str, ...] = ()
    part: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    accessibility: tuple[frozenset[str], ...] = ()
    level: tuple[str, ...] = ()
    scale: float = 1.0
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("a", "b", "c", "d"):
            arr = np.ascontiguousarray(getattr(self, name), dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"{name} must have one value per item ({n}), got shape {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name} must be finite")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        if np.any(self.a <= 0):
            raise ValueError(f"a must be > 0 (item {self.ids[int(np.argmax(self.a <= 0))]})")
        bad_c = (self.c < 0) | (self.c >= 1)
        if np.any(bad_c):
            raise ValueError(f"c must be in [0, 1) (item {self.ids[int(np.argmax(bad_c))]})")
        bad_d = (self.d <= self.c) | (self.d > 1)
        if np.any(bad_d):
            raise ValueError(f"d must be in (c, 1] (item {self.ids[int(np.argmax(bad_d))]})")
        index = {item_id: i for i, item_id in enumerate(self.ids)}
        if len(index) != n:
            duplicate = next(item_id for item_id, k in Counter(self.ids).items() if k > 1)
            raise ValueError(f"duplicate item id {duplicate!r}")
        object.__setattr__(self, "index", index)
        competence = self.competence or ("",) * n
        part = self.part or ("",) * n
        domain = self.domain or tuple(comp.split(".", 1)[0] for comp in competence)
        accessibility = self.accessibility or (frozenset(),) * n
        level = self.level or ("",) * n
        for name, values in (
            ("competence", competence),
            ("part", part),
            ("domain", domain),
            ("accessibility", accessibility),
            ("level", level),
        ):
            if len(values) != n:
                raise ValueError(f"{name} must have one value per item ({n}), got {len(values)}")
        object.__setattr__(self, "competence", tuple(competence))
        object.__setattr__(self, "part", tuple(part))
        object.__setattr__(self, "domain", tuple(domain))
        object.__setattr__(self, "accessibility", tuple(accessibility))
        object.__setattr__(self, "level", tuple(level))
        if self.scale <= 0:
            raise ValueError("the scaling constant D must be > 0")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def model(self) -> Model:
        """The smallest model that describes every item of the bank."""
        if np.any(self.d < 1):
            return Model.FOUR_PL
        if np.any(self.c > 0):
            return Model.THREE_PL
        if np.any(self.a != 1):
            return Model.TWO_PL
        return Model.ONE_PL

    def as_model(self, model: Model) -> ItemBank:
        """The same bank read with a smaller model (drops guessing/slipping, or discrimination)."""
        n = len(self)
        a = np.ones(n) if model is Model.ONE_PL else self.a
        c = self.c if model in (Model.THREE_PL, Model.FOUR_PL) else np.zeros(n)
        d = self.d if model is Model.FOUR_PL else np.ones(n)
        return ItemBank(
            ids=self.ids,
            a=a,
            b=self.b,
            c=c,
            d=d,
            competence=self.competence,
            part=self.part,
            domain=self.domain,
            accessibility=self.accessibility,
            level=self.level,
            scale=self.scale,
        )

    def probability(self, theta: FloatArray | float) -> FloatArray:
        """P(correct) for every item; ``theta`` of shape (G,) gives an array of shape (G, n_items)."""
        t = np.asarray(theta, dtype=np.float64)
        return probability(t[..., None] if t.ndim else t, self.a, self.b, self.c, self.d, self.scale)

    def information(self, theta: FloatArray | float) -> FloatArray:
        """Fisher information of every item, shaped like :meth:`probability`."""
        t = np.asarray(theta, dtype=np.float64)
        return information(t[..., None] if t.ndim else t, self.a, self.b, self.c, self.d, self.scale)
