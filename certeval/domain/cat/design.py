"""The two test designs, their scoring and level-form assembly (the placement run: ``placement.py``).

(a) **Level form** (the seed's design): the placement run proposes a target level; a fixed form of items
at that level is assembled under the form's content constraints, with exposure balanced across
candidates, and scored by share-of-correct thresholds, overall and per domain.
(b) **Adaptive form**: items follow the candidate, so the share of correct answers stays near 50–79 %
whatever the ability; it is scored on the ability scale against cut scores per level (and per domain).
A design never takes the other's scoring rule: :class:`TestDesign` refuses the combination.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.special import ndtr

from certeval.domain.cat.engine import SessionResult, group_key
from certeval.domain.cat.estimation import Estimate
from certeval.domain.cat.form import ContentState, ContentTree, FormSpec
from certeval.domain.cat.irt import IntArray, ItemBank


class DesignKind(StrEnum):
    LEVEL_FORM = "level-form"
    ADAPTIVE = "adaptive"


class DesignMismatchError(ValueError):
    """A scoring rule used with the wrong test design."""


@dataclass(frozen=True)
class ShareThreshold:
    """Minimum share of correct answers for ``level``: overall, and in every domain."""

    level: str
    overall: float
    per_domain: float = 0.0


@dataclass(frozen=True)
class ShareOfCorrectRule:
    """Share-of-correct thresholds per part (key ``""`` when the form has one part), lowest level first."""

    thresholds: dict[str, tuple[ShareThreshold, ...]]


@dataclass(frozen=True)
class CutScores:
    """Ability cut scores, lowest level first: a level is reached when P(θ ≥ cut | answers) ≥ confidence.

    ``domains`` optionally gives other cut scores for some domains (key ``part/domain``); a confidence
    above 0.5 guards against over-estimation.
    """

    levels: tuple[tuple[str, float], ...]
    domains: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    confidence: float = 0.5

    def __post_init__(self) -> None:
        cuts = [cut for _, cut in self.levels]
        if cuts != sorted(cuts):
            raise ValueError("cut scores must increase with the level")
        if not 0 < self.confidence < 1:
            raise ValueError("confidence must be in (0, 1)")

    def level_of(self, estimate: Estimate, cuts: tuple[tuple[str, float], ...] | None = None) -> str | None:
        """Highest level whose cut the ability exceeds with the required posterior probability
        (normal approximation of the posterior)."""
        reached: str | None = None
        for level, cut in cuts or self.levels:
            sd = estimate.se if math.isfinite(estimate.se) and estimate.se > 0 else 1e-9
            if float(ndtr((estimate.theta - cut) / sd)) >= self.confidence:
                reached = level
        return reached


@dataclass(frozen=True)
class TestDesign:
    """A campaign's choice of design and its scoring rule; the wrong pairing is refused."""

    kind: DesignKind
    rule: ShareOfCorrectRule | CutScores

    def __post_init__(self) -> None:
        if self.kind is DesignKind.ADAPTIVE and isinstance(self.rule, ShareOfCorrectRule):
            raise DesignMismatchError(
                "share-of-correct thresholds cannot score an adaptive form: the items follow the candidate, "
                "so the share of correct answers stays near 50–79 % whatever the ability; score it with "
                "ability cut scores, or use a level form drawn at the target level"
            )
        if self.kind is DesignKind.LEVEL_FORM and isinstance(self.rule, CutScores):
            raise DesignMismatchError(
                "a level form is scored by share-of-correct thresholds at its target level, not by cut scores"
            )


@dataclass(frozen=True)
class DesignScore:
    """Levels reached (per part, and per part/domain) and the per-competence estimates."""

    levels: dict[str, str | None]
    domain_levels: dict[str, str | None]
    shares: dict[str, float]
    competences: dict[str, Estimate]


def score(
    design: TestDesign, result: SessionResult, bank: ItemBank, target_level: str | None = None
) -> DesignScore:
    """Score a finished test with its design's rule."""
    indices = [bank.index[i] for i in result.items]
    if isinstance(design.rule, ShareOfCorrectRule):
        if target_level is None:
            raise ValueError("a level form is scored at its target level")
        return _score_shares(design.rule, indices, result, bank, target_level)
    cuts = design.rule
    parts = sorted({bank.part[i] for i in indices})
    levels = {}
    for part in parts:
        estimate = result.parts[part] if len(parts) > 1 else Estimate(result.theta, result.se)
        levels[part] = cuts.level_of(estimate)
    domain_levels = {key: cuts.level_of(est, cuts.domains.get(key)) for key, est in result.domains.items()}
    return DesignScore(levels, domain_levels, _shares(indices, result, bank), dict(result.competences))


def _shares(indices: list[int], result: SessionResult, bank: ItemBank) -> dict[str, float]:
    tally: dict[str, list[int]] = {}
    for item, correct in zip(indices, result.responses, strict=True):
        for key in (bank.part[item], group_key(bank.part[item], bank.domain[item])):
            counts = tally.setdefault(key, [0, 0])
            counts[0] += int(correct)
            counts[1] += 1
    return {key: right / total for key, (right, total) in tally.items()}


def _score_shares(
    rule: ShareOfCorrectRule, indices: list[int], result: SessionResult, bank: ItemBank, target_level: str
) -> DesignScore:
    shares = _shares(indices, result, bank)
    levels: dict[str, str | None] = {}
    domain_levels: dict[str, str | None] = {}
    for part in sorted({bank.part[i] for i in indices}):
        thresholds = rule.thresholds.get(part)
        if thresholds is None:
            raise ValueError(f"no share-of-correct thresholds for part {part!r}")
        names = [t.level for t in thresholds]
        if target_level not in names:
            raise ValueError(f"target level {target_level!r} has no threshold for part {part!r}")
        domains = {key: share for key, share in shares.items() if key.startswith(f"{part}/") and part}
        if not part:
            domains = {key: share for key, share in shares.items() if key != ""}
        reached: str | None = None
        for threshold in thresholds[: names.index(target_level) + 1]:
            if shares[part] >= threshold.overall and all(s >= threshold.per_domain for s in domains.values()):
                reached = threshold.level
        levels[part] = reached
        for key, share in domains.items():
            domain_levels[key] = next(
                (
                    t.level
                    for t in reversed(thresholds[: names.index(target_level) + 1])
                    if share >= t.per_domain
                ),
                None,
            )
    return DesignScore(levels, domain_levels, shares, dict(result.competences))


def assemble_level_form(
    bank: ItemBank,
    form: FormSpec,
    target_level: str,
    rng: np.random.Generator,
    exposure_counts: IntArray,
    seen: Iterable[str] = (),
    needs: frozenset[str] = frozenset(),
    bands: CutScores | None = None,
) -> list[int]:
    """Draw a form of items at ``target_level`` that meets every content constraint of ``form``.

    Items are at the level when their ``level`` attribute says so, or (banks without levels) when their
    difficulty lies in the band [cut of the level, cut of the next level) of ``bands``. Among the items
    the constraints admit, the least exposed so far is taken (ties broken at random), and
    ``exposure_counts`` is updated, so exposure stays balanced across candidates.
    """
    if any(bank.level):
        at_level = np.array([lvl == target_level for lvl in bank.level])
    elif bands is not None:
        names = [name for name, _ in bands.levels]
        if target_level not in names:
            raise ValueError(f"unknown level {target_level!r}")
        k = names.index(target_level)
        upper = bands.levels[k + 1][1] if k + 1 < len(names) else math.inf
        at_level = (bank.b >= bands.levels[k][1]) & (bank.b < upper)
    else:
        raise ValueError("the bank has no item levels: give difficulty bands")
    tree = ContentTree(bank, form, form.length)
    seen_ids = set(seen)
    eligible = at_level & (tree.item_leaf >= 0)
    eligible &= np.array(
        [
            item_id not in seen_ids and needs <= acc
            for item_id, acc in zip(bank.ids, bank.accessibility, strict=True)
        ]
    )
    state = ContentState(tree, eligible, form.no_repeat_competence)
    chosen: list[int] = []
    leaf_of = tree.item_leaf
    for _ in range(form.length):
        admissible = np.append(state.admissible_leaves(), False)[leaf_of] & eligible
        candidates = np.flatnonzero(admissible)
        priority = exposure_counts[candidates] + rng.random(candidates.shape[0])
        item = int(candidates[int(priority.argmin())])
        chosen.append(item)
        eligible[item] = False
        state.record(int(leaf_of[item]))
    exposure_counts[chosen] += 1
    return chosen
