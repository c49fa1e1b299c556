"""The adaptive test engine: item selection, content balancing, exposure control and stopping.

A :class:`CatEngine` is built once per bank, form and settings (it precomputes per-item arrays and
grid tables, and holds the exposure counters shared across candidates); :meth:`CatEngine.start` opens a
:class:`CatSession` per candidate, which the test delivery calls on every answer:
``next_item()`` (select) then ``answer(item, correct)`` (update). Both are vector operations over the
bank and the quadrature grid, with no Python loop over items.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from certeval.domain.cat.estimation import Estimate, Estimator, GridSettings, GridTables, Posterior
from certeval.domain.cat.form import ContentState, ContentTree, FormSpec
from certeval.domain.cat.irt import BoolArray, FloatArray, ItemBank


class Selection(StrEnum):
    MAXINFO = "maxinfo"
    RANDOMESQUE = "randomesque"


class Exposure(StrEnum):
    NONE = "none"
    SYMPSON_HETTER = "sympson-hetter"
    PROGRESSIVE = "progressive"


class StopReason(StrEnum):
    LENGTH = "length"
    TARGET_SE = "target-se"
    TIME = "time"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True)
class StoppingRule:
    """When a test ends, and when its result is valid.

    The test stops at ``max_items``; earlier once ``target_se`` is reached (after ``min_items``), or when
    the ``time_budget_s`` is spent. A result is valid with at least ``min_answered`` answers.
    """

    max_items: int
    target_se: float | None = None
    min_items: int = 1
    time_budget_s: float | None = None
    min_answered: int = 0

    def __post_init__(self) -> None:
        if self.max_items < 1 or self.min_answered > self.max_items:
            raise ValueError("need max_items ≥ 1 and min_answered ≤ max_items")


@dataclass(frozen=True)
class EngineSettings:
    """Per-test settings of the engine, with their defaults (documented in docs/cat.md)."""

    grid: GridSettings = field(default_factory=GridSettings)
    estimator: Estimator = Estimator.EAP
    selection: Selection = Selection.MAXINFO
    randomesque_k: int = 5
    exposure: Exposure = Exposure.NONE
    exposure_target: float = 0.30
    start_theta: float = 0.0
    step_cap: float | None = None
    ml_step: float = 0.7

    def __post_init__(self) -> None:
        if self.randomesque_k < 1:
            raise ValueError("randomesque_k must be ≥ 1")
        if not 0 < self.exposure_target <= 1:
            raise ValueError("exposure_target must be in (0, 1]")
        if self.step_cap is not None and self.step_cap <= 0:
            raise ValueError("step_cap must be > 0")


def group_key(part: str, name: str) -> str:
    return f"{part}/{name}" if part else name


@dataclass(frozen=True)
class SessionResult:
    theta: float
    se: float
    items: tuple[str, ...]
    responses: tuple[bool, ...]
    valid: bool
    stop_reason: StopReason | None
    competences: dict[str, Estimate] = field(default_factory=dict)
    domains: dict[str, Estimate] = field(default_factory=dict)
    parts: dict[str, Estimate] = field(default_factory=dict)

    @property
    def share_correct(self) -> float:
        return sum(self.responses) / len(self.responses) if self.responses else 0.0


class CatEngine:
    """Everything shared by the sessions of one test: bank arrays, grid tables, exposure state."""

    def __init__(
        self,
        bank: ItemBank,
        stopping: StoppingRule,
        settings: EngineSettings | None = None,
        form: FormSpec | None = None,
        sympson_hetter: FloatArray | None = None,
    ) -> None:
        self.bank = bank
        self.settings = settings or EngineSettings()
        self.stopping = stopping
        if form is not None and form.length != stopping.max_items:
            raise ValueError(f"the form has {form.length} items but the test length is {stopping.max_items}")
        self.form = form
        self.tables = GridTables(bank, self.settings.grid)
        self.tree = ContentTree(bank, form, stopping.max_items)
        self.constrained = form is not None and bool(form.parts)
        n = len(bank)
        self.sympson_hetter = np.ones(n) if sympson_hetter is None else np.asarray(sympson_hetter, float)
        if self.sympson_hetter.shape != (n,):
            raise ValueError("one Sympson–Hetter parameter per item is needed")
        self.exposure_counts = np.zeros(n, dtype=np.int64)
        self.sessions = 0

    def eligible(self, seen: Iterable[str] = (), needs: frozenset[str] = frozenset()) -> BoolArray:
        """Items a candidate may get: in the form, never seen on their profile, meeting their needs."""
        bank = self.bank
        mask = self.tree.item_leaf >= 0
        for item_id in seen:
            index = bank.index.get(item_id)
            if index is not None:
                mask[index] = False
        if needs:
            mask &= np.fromiter((needs <= acc for acc in bank.accessibility), dtype=np.bool_, count=len(bank))
        return mask

    def start(
        self,
        rng: np.random.Generator,
        *,
        seen: Iterable[str] = (),
        history: Iterable[tuple[str, bool]] = (),
        needs: frozenset[str] = frozenset(),
    ) -> CatSession:
        """Open a session. ``seen`` items are never asked; ``history`` answers (earlier runs on the
        candidate's profile) are folded into the posterior and never asked again either."""
        earlier = [(self.bank.index[item_id], correct) for item_id, correct in history]
        seen_ids = set(seen) | {self.bank.ids[i] for i, _ in earlier}
        return CatSession(self, rng, self.eligible(seen_ids, needs), earlier)

    def record(self, session: CatSession) -> None:
        """Count the items of a finished session in the exposure counters."""
        self.exposure_counts[session.items] += 1
        self.sessions += 1

    def exposure_rates(self) -> FloatArray:
        return self.exposure_counts / max(self.sessions, 1)


class CatSession:
    """One candidate's adaptive test."""

    def __init__(
        self,
        engine: CatEngine,
        rng: np.random.Generator,
        eligible: BoolArray,
        history: list[tuple[int, bool]],
    ) -> None:
        self.engine = engine
        self.rng = rng
        settings = engine.settings
        self.posterior = Posterior(engine.tables)
        self._history_items = [i for i, _ in history]
        self._history_responses = [r for _, r in history]
        for item, correct in history:
            self.posterior.update(item, correct)
        n = len(engine.bank)
        self.base_penalty = np.where(eligible, 0.0, -np.inf)
        if settings.exposure is Exposure.SYMPSON_HETTER:
            # Sympson–Hetter admits a selected item with probability K_j and otherwise blocks it for the
            # rest of the test; each item is decided at most once, so drawing all the decisions up front
            # is the same process and costs nothing per step.
            admitted = rng.random(n) < engine.sympson_hetter
            self.penalty = np.where(admitted, self.base_penalty, -np.inf)
        elif settings.exposure is Exposure.PROGRESSIVE and engine.sessions > 0:
            # Restricted part: items already above the exposure target are withheld.
            over = engine.exposure_rates() >= settings.exposure_target
            self.penalty = np.where(over, -np.inf, self.base_penalty)
        else:
            self.penalty = self.base_penalty.copy()
        self.content = ContentState(
            engine.tree, eligible, bool(engine.form and engine.form.no_repeat_competence)
        )
        self._leaf_penalty = np.zeros(engine.tree.n_leaves + 1)
        self._leaf_penalty[-1] = -np.inf  # items outside the form map to leaf −1
        self._info = np.empty(n)
        self.items: list[int] = []
        self.responses: list[bool] = []
        self.elapsed_s = 0.0
        self.stop_reason: StopReason | None = None
        self.estimate = (
            self._estimate(settings.start_theta) if history else Estimate(settings.start_theta, math.inf)
        )
        self.theta = self.estimate.theta if history else settings.start_theta

    # --- selection -------------------------------------------------------------------------------
    def _scores(self, penalty: FloatArray) -> FloatArray:
        engine = self.engine
        info = engine.tables.information_at(self.theta, self._info)
        if engine.settings.exposure is Exposure.PROGRESSIVE:
            weight = len(self.items) / engine.stopping.max_items
            random_part = self.rng.random(info.shape[0])
            random_part *= (1.0 - weight) * float(info.max())
            info *= weight
            info += random_part
        info += penalty
        if engine.constrained:
            admissible = self.content.admissible_leaves()
            self._leaf_penalty[:-1] = np.where(admissible, 0.0, -np.inf)
            info += self._leaf_penalty[engine.tree.item_leaf]
        return info

    def _pick(self, scores: FloatArray) -> int:
        settings = self.engine.settings
        if settings.selection is Selection.RANDOMESQUE and settings.randomesque_k > 1:
            k = min(settings.randomesque_k, scores.shape[0])
            top = np.argpartition(scores, -k)[-k:]
            top = top[np.isfinite(scores[top])]
            return int(top[self.rng.integers(top.shape[0])]) if top.shape[0] else -1
        best = int(scores.argmax())
        return best if scores.item(best) > -math.inf else -1

    def next_item(self) -> int | None:
        """Index of the next item to present, or None when the test is over."""
        if self.stop_reason is not None or self._should_stop():
            return None
        item = self._pick(self._scores(self.penalty))
        if item < 0 and self.penalty is not self.base_penalty:
            # Every admissible item was withheld by exposure control: take the best one anyway.
            item = self._pick(self._scores(self.base_penalty))
        if item < 0:
            self.stop_reason = StopReason.EXHAUSTED
            return None
        return item

    def _should_stop(self) -> bool:
        stopping = self.engine.stopping
        answered = len(self.items)
        if answered >= stopping.max_items:
            self.stop_reason = StopReason.LENGTH
        elif stopping.time_budget_s is not None and self.elapsed_s >= stopping.time_budget_s:
            self.stop_reason = StopReason.TIME
        elif (
            stopping.target_se is not None
            and answered >= stopping.min_items
            and self.estimate.se <= stopping.target_se
        ):
            self.stop_reason = StopReason.TARGET_SE
        return self.stop_reason is not None

    # --- update ----------------------------------------------------------------------------------
    def answer(self, item: int, correct: bool, seconds: float = 0.0) -> None:
        """Record the answer to ``item`` and update the estimate used by the next selection."""
        self.posterior.update(item, correct)
        self.items.append(item)
        self.responses.append(correct)
        self.elapsed_s += seconds
        self.base_penalty[item] = -np.inf
        self.penalty[item] = -np.inf
        leaf = int(self.engine.tree.item_leaf[item])
        if leaf >= 0:
            self.content.record(leaf)
        previous = self.theta
        self.estimate = self._estimate(previous)
        cap = self.engine.settings.step_cap
        theta = self.estimate.theta
        self.theta = theta if cap is None else min(max(theta, previous - cap), previous + cap)

    def _estimate(self, previous: float) -> Estimate:
        settings = self.engine.settings
        if settings.estimator is Estimator.EAP:
            if self.engine.stopping.target_se is None:
                return Estimate(self.posterior.eap_theta(), math.nan)
            return self.posterior.eap()
        items = self._history_items + self.items
        responses = self._history_responses + self.responses
        if settings.estimator is Estimator.MAP:
            return self.posterior.map(items, responses)
        return self.posterior.ml(items, responses, previous, settings.ml_step)

    # --- result ----------------------------------------------------------------------------------
    def final_estimate(self) -> Estimate:
        settings = self.engine.settings
        if settings.estimator is Estimator.EAP:
            return self.posterior.eap()
        return self._estimate(self.theta)

    def result(self) -> SessionResult:
        if self.stop_reason is None:
            self._should_stop()
        bank = self.engine.bank
        final = self.final_estimate()
        items = self._history_items + self.items
        responses = self._history_responses + self.responses
        return SessionResult(
            theta=final.theta,
            se=final.se,
            items=tuple(bank.ids[i] for i in self.items),
            responses=tuple(self.responses),
            valid=len(self.items) >= self.engine.stopping.min_answered,
            stop_reason=self.stop_reason,
            competences=group_estimates(
                self.engine.tables,
                items,
                responses,
                [group_key(bank.part[i], bank.competence[i]) for i in items],
            ),
            domains=group_estimates(
                self.engine.tables, items, responses, [group_key(bank.part[i], bank.domain[i]) for i in items]
            ),
            parts=group_estimates(self.engine.tables, items, responses, [bank.part[i] for i in items]),
        )


def group_estimates(
    tables: GridTables, items: list[int], responses: list[bool], keys: list[str]
) -> dict[str, Estimate]:
    """EAP and posterior SD per group (competence or domain) from that group's answers and the prior."""
    if not items:
        return {}
    names = sorted(set(keys))
    position = {name: i for i, name in enumerate(names)}
    idx = np.asarray(items, dtype=np.intp)
    rows = np.where(np.asarray(responses)[:, None], tables.log_p[idx], tables.log_q[idx])
    log_post = np.tile(tables.log_prior, (len(names), 1))
    np.add.at(log_post, np.fromiter((position[k] for k in keys), dtype=np.intp, count=len(keys)), rows)
    weights = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    means = weights @ tables.nodes
    sds = np.sqrt(np.maximum(weights @ tables.nodes_sq - means**2, 0.0))
    return {name: Estimate(float(means[i]), float(sds[i])) for i, name in enumerate(names)}
