"""The placement run (parcours bilan) and its rule against over-placement.

**Rule.** The level proposed is the highest level whose cut the candidate clears with posterior
probability P(θ ≥ cut | answers) ≥ ``confidence`` (default 0.8), computed on the grid posterior itself
(each grid point stands for its cell, so the probability moves continuously with the cut), and never
above the level of the posterior mean. When no cut is cleared, the ``base_level`` is proposed.

**Selection.** The next question is the one that best separates two adjacent levels: the admissible item
with the most Fisher information at the cuts, each cut weighted by the posterior density there (a cut
the candidate is surely above or below weighs nothing; the boundary the posterior straddles weighs most).
With a :class:`FormSpec`, the form's content constraints hold by construction (the engine's exact
feasibility filter) and competences whose minimum is not met yet come first, so that the run may stop
early with its composition minimums met.

**Stop.** At ``max_items``; earlier, after ``min_items`` (and every competence/domain minimum of the
form), once the level is decided: P(θ ≥ cut of the level) ≥ ``stop_confidence`` and
P(θ ≥ cut of the next level) ≤ 1 − ``stop_confidence``; or once the posterior SD is ≤ ``target_se``;
or when no admissible item is left.

The comparison rule, :func:`point_estimate_level` of :func:`recentred_eap`, places on a point estimate
like Pix's: the EAP whose N(latest estimate, 1.5) prior is re-centred on the previous estimate after
every answer. ``bench/placement.py`` and ``certeval simulate-placement`` compare both with
:func:`simulate_placement`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from certeval.domain.cat.engine import CatEngine, CatSession, EngineSettings, Selection, StoppingRule
from certeval.domain.cat.estimation import GridTables
from certeval.domain.cat.form import FormSpec
from certeval.domain.cat.irt import FloatArray, ItemBank

LEVEL_LABELS = {"initie": "Initié", "confirme": "Confirmé", "avance": "Avancé", "expert": "Expert"}
PIX_PRIOR_VARIANCE = 1.5


class Targeting(StrEnum):
    """Where the next question should be informative."""

    CUTS = "cuts"  # information at the cuts, weighted by the posterior density at each cut (default)
    NEAREST_CUT = "nearest-cut"  # information at the cut nearest the posterior mean
    ESTIMATE = "estimate"  # information at the posterior mean (the usual adaptive test)


class PlacementStop(StrEnum):
    MAX_ITEMS = "max-items"
    DECIDED = "decided"
    TARGET_SE = "target-se"
    BANK_EXHAUSTED = "bank-exhausted"


@dataclass(frozen=True)
class PlacementSettings:
    """Settings of one placement run, with their defaults (documented in docs/cat.md).

    ``min_items`` (default 16, one question per CRCN competence) is the fewest questions before an early
    stop; a value above ``max_items`` means the run never stops early. ``stop_confidence`` (default 0.9)
    is how sure the level must be to stop early; ``labels`` gives the display name of level codes (the
    French names of ``initie``, ``confirme``, ``avance`` and ``expert`` are known).
    """

    base_level: str
    cuts: tuple[tuple[str, float], ...]
    max_items: int
    confidence: float = 0.8
    min_items: int = 16
    stop_when_decided: bool = True
    target_se: float | None = None
    stop_confidence: float = 0.9
    targeting: Targeting = Targeting.CUTS
    labels: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.base_level:
            raise ValueError("base_level must be a non-empty level name")
        if not self.cuts:
            raise ValueError("cuts must give at least one (level, cut) pair")
        names = [self.base_level, *(name for name, _ in self.cuts)]
        if any(not name for name in names):
            raise ValueError("every level of cuts needs a non-empty name")
        if len(set(names)) != len(names):
            raise ValueError(f"level names must be distinct, got {', '.join(names)}")
        values = [cut for _, cut in self.cuts]
        if not all(math.isfinite(v) for v in values):
            raise ValueError("every cut must be a finite number")
        if any(b <= a for a, b in itertools.pairwise(values)):
            raise ValueError(f"cuts must strictly increase with the level, got {values}")
        if self.max_items < 1:
            raise ValueError(f"max_items must be ≥ 1, got {self.max_items}")
        if self.min_items < 1:
            raise ValueError(f"min_items must be ≥ 1, got {self.min_items}")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence}")
        if not 0 < self.stop_confidence < 1:
            raise ValueError(f"stop_confidence must be in (0, 1), got {self.stop_confidence}")
        if self.target_se is not None and not self.target_se > 0:
            raise ValueError(f"target_se must be > 0 when given, got {self.target_se}")

    @property
    def levels(self) -> tuple[str, ...]:
        """Every level, lowest first (the base level, then the levels of ``cuts``)."""
        return (self.base_level, *(name for name, _ in self.cuts))

    def label(self, level: str) -> str:
        return dict(self.labels).get(level) or LEVEL_LABELS.get(level, level)


@dataclass(frozen=True)
class PlacementDecision:
    level: str
    probabilities: dict[str, float]
    theta: float
    se: float
    answered: int
    finished: bool
    stop_reason: str | None
    reasons: tuple[str, ...]
    point_estimate_level: str = ""


def point_estimate_level(theta: float, cuts: Sequence[tuple[str, float]], base_level: str) -> str:
    """The comparison rule: the highest level whose cut the point estimate ``theta`` reaches."""
    level = base_level
    for name, cut in cuts:
        if theta >= cut:
            level = name
    return level


def recentred_eap(
    tables: GridTables,
    items: Sequence[int],
    responses: Sequence[bool],
    prior_variance: float = PIX_PRIOR_VARIANCE,
    start: float = 0.0,
) -> float:
    """Pix-like point estimate: after each answer, the EAP of the likelihood so far times a normal prior
    N(previous estimate, ``prior_variance``), so the prior follows the candidate (``start`` before any
    answer)."""
    nodes = tables.nodes
    log_likelihood = np.zeros_like(nodes)
    theta = start
    for item, correct in zip(items, responses, strict=True):
        log_likelihood += tables.log_p[item] if correct else tables.log_q[item]
        log_post = log_likelihood - (nodes - theta) ** 2 / (2.0 * prior_variance)
        weights = np.exp(log_post - log_post.max())
        theta = float(weights.dot(nodes) / weights.sum())
    return theta


def _percent(p: float) -> str:
    return f"{math.floor(100 * p + 0.5):d} %"


class Placement:
    """One candidate's placement run, rebuilt from its answers on every web request.

    The selection is deterministic given the answers (randomesque draws, when the engine settings ask
    for them, come from a generator seeded once from ``rng`` and the question number), so a run rebuilt
    from ``answered`` asks the same next question as the live one. ``engine`` lets many runs share one
    precomputed :class:`CatEngine` (its bank, length and form must match); ``history`` answers from the
    candidate's profile are folded into the posterior and never asked again.
    """

    def __init__(
        self,
        bank: ItemBank,
        settings: PlacementSettings,
        rng: np.random.Generator,
        *,
        answered: Iterable[tuple[str, bool]] = (),
        seen: Iterable[str] = (),
        needs: frozenset[str] = frozenset(),
        form: FormSpec | None = None,
        engine_settings: EngineSettings | None = None,
        engine: CatEngine | None = None,
        history: Iterable[tuple[str, bool]] = (),
    ) -> None:
        if form is not None and form.length != settings.max_items:
            raise ValueError(
                f"the form has {form.length} questions but the placement run allows {settings.max_items}"
            )
        if engine is None:
            engine = CatEngine(bank, StoppingRule(max_items=settings.max_items), engine_settings, form)
        elif (
            engine.bank is not bank or engine.stopping.max_items != settings.max_items or engine.form != form
        ):
            raise ValueError("the shared engine must have the same bank, maximum length and form")
        self.bank = bank
        self.settings = settings
        self.engine = engine
        self.session: CatSession = engine.start(rng, seen=seen, history=history, needs=needs)
        self._seed = int(rng.integers(2**62))
        tables = engine.tables
        half = (tables.nodes[1] - tables.nodes[0]) / 2.0
        cuts = np.array([cut for _, cut in settings.cuts])
        # Share of each grid cell [node − h/2, node + h/2] at or above each cut: P(θ ≥ cut) is then a
        # continuous, non-decreasing function of the posterior, not a jump at the grid points.
        self._above = np.clip((tables.nodes[None, :] + half - cuts[:, None]) / (2.0 * half), 0.0, 1.0)
        self._at_cut = np.clip(1.0 - np.abs(tables.nodes[None, :] - cuts[:, None]) / (2.0 * half), 0.0, 1.0)
        self._cut_info = bank.information(cuts)  # (n_cuts, n_items)
        tree = engine.tree
        # Nodes whose minimum must be met before an early stop: domains and competences (parts have
        # exact counts, i.e. the full length).
        self._minimum_nodes = [
            node
            for node in range(len(tree.parents))
            if tree.parents[node] >= 0 and not (engine.constrained and tree.parents[node] == 0)
        ]
        self._leaf_penalty = np.zeros(tree.n_leaves + 1)
        self._leaf_penalty[-1] = -np.inf
        self.stop_reason: PlacementStop | None = None
        for item_id, correct in answered:
            index = bank.index.get(item_id)
            if index is None:
                raise ValueError(f"answered item {item_id!r} is not in the bank")
            self.answer(index, correct)

    # --- posterior --------------------------------------------------------------------------------
    def _weights(self) -> FloatArray:
        log_posterior = self.session.posterior.log_posterior
        weights = np.exp(log_posterior - log_posterior.max())
        return np.asarray(weights / weights.sum(), dtype=np.float64)

    def probabilities(self) -> FloatArray:
        """P(θ ≥ cut | answers) for every cut, lowest first."""
        return np.asarray(self._above @ self._weights(), dtype=np.float64)

    def _level_index(self, probabilities: FloatArray, theta: float) -> int:
        """0 for the base level, k for the k-th cut."""
        reached = 0
        for k, p in enumerate(probabilities, start=1):
            if p >= self.settings.confidence:
                reached = k
        cap = 0
        for k, (_, cut) in enumerate(self.settings.cuts, start=1):
            if theta >= cut:
                cap = k
        return min(reached, cap)

    # --- selection --------------------------------------------------------------------------------
    @property
    def answered(self) -> int:
        return len(self.session.items)

    def _minimums_met(self) -> bool:
        content = self.session.content
        mins = self.engine.tree.mins
        return all(content.counts[node] >= mins[node] for node in self._minimum_nodes)

    def _decided(self, probabilities: FloatArray, theta: float) -> bool:
        k = self._level_index(probabilities, theta)
        sure = self.settings.stop_confidence
        below_ok = k == 0 or probabilities[k - 1] >= sure
        above_ok = k == len(probabilities) or probabilities[k] <= 1.0 - sure
        return below_ok and above_ok

    def _should_stop(self) -> bool:
        settings = self.settings
        answered = self.answered
        if answered >= settings.max_items:
            self.stop_reason = PlacementStop.MAX_ITEMS
        elif answered >= min(settings.min_items, settings.max_items) and self._minimums_met():
            estimate = self.session.posterior.eap()
            if settings.stop_when_decided and self._decided(self.probabilities(), estimate.theta):
                self.stop_reason = PlacementStop.DECIDED
            elif settings.target_se is not None and estimate.se <= settings.target_se:
                self.stop_reason = PlacementStop.TARGET_SE
        return self.stop_reason is not None

    def _target_scores(self) -> FloatArray:
        settings = self.settings
        session = self.session
        if settings.targeting is Targeting.CUTS:
            density = self._at_cut @ self._weights()
            total = float(density.sum())
            if total < 1e-12:  # the posterior sits far from every cut: aim at the nearest one
                theta = session.posterior.eap_theta()
                density = np.zeros_like(density)
                density[int(np.argmin([abs(theta - cut) for _, cut in settings.cuts]))] = 1.0
            scores = np.asarray(density @ self._cut_info, dtype=np.float64)
        else:
            theta = session.posterior.eap_theta()
            if settings.targeting is Targeting.NEAREST_CUT:
                theta = min((cut for _, cut in settings.cuts), key=lambda cut: abs(theta - cut))
            scores = self.engine.tables.information_at(theta, np.empty(len(self.bank)))
        return scores

    def next_item(self) -> int | None:
        """Index in the bank of the next question, or None when the run is over."""
        if self.stop_reason is not None or self._should_stop():
            return None
        engine = self.engine
        session = self.session
        scores = self._target_scores()
        scores += session.base_penalty
        if engine.constrained:
            admissible = session.content.admissible_leaves()
            tree = engine.tree
            counts, mins = session.content.counts, tree.mins
            unmet = np.array(
                [counts[node] < mins[node] or counts[tree.parents[node]] < mins[tree.parents[node]]
                 for node in tree.leaf_nodes],
                dtype=np.bool_,
            )  # fmt: skip
            if np.any(admissible & unmet):
                admissible &= unmet
            self._leaf_penalty[:-1] = np.where(admissible, 0.0, -np.inf)
            scores += self._leaf_penalty[tree.item_leaf]
        item = self._pick(scores)
        if item < 0:
            self.stop_reason = PlacementStop.BANK_EXHAUSTED
            return None
        return item

    def _pick(self, scores: FloatArray) -> int:
        engine_settings = self.engine.settings
        if engine_settings.selection is Selection.RANDOMESQUE and engine_settings.randomesque_k > 1:
            k = min(engine_settings.randomesque_k, scores.shape[0])
            top = np.argpartition(scores, -k)[-k:]
            top = np.sort(top[np.isfinite(scores[top])])
            if not top.shape[0]:
                return -1
            step_rng = np.random.default_rng([self._seed, self.answered])
            return int(top[step_rng.integers(top.shape[0])])
        best = int(scores.argmax())
        return best if scores.item(best) > -math.inf else -1

    # --- update -----------------------------------------------------------------------------------
    def answer(self, item: int, correct: bool, seconds: float = 0.0) -> None:
        """Record the answer to ``item`` (an index in the bank)."""
        if not 0 <= item < len(self.bank):
            raise ValueError(f"item index {item} is outside the bank (0–{len(self.bank) - 1})")
        if self.stop_reason is not None:
            raise ValueError("the placement run is over")
        if self.session.base_penalty[item] == -math.inf:
            raise ValueError(f"item {self.bank.ids[item]!r} cannot be asked in this run")
        self.session.answer(item, correct, seconds)

    # --- result -----------------------------------------------------------------------------------
    def decision(self) -> PlacementDecision:
        """The level proposed now, why, and whether the run is over."""
        settings = self.settings
        if self.stop_reason is None:
            self._should_stop()
        estimate = self.session.posterior.eap()
        probabilities = self.probabilities()
        k = self._level_index(probabilities, estimate.theta)
        levels = settings.levels
        level = levels[k]
        point = point_estimate_level(estimate.theta, settings.cuts, settings.base_level)
        return PlacementDecision(
            level=level,
            probabilities={name: float(p) for (name, _), p in zip(settings.cuts, probabilities, strict=True)},
            theta=estimate.theta,
            se=estimate.se,
            answered=self.answered,
            finished=self.stop_reason is not None,
            stop_reason=None if self.stop_reason is None else self.stop_reason.value,
            reasons=self._reasons(k, probabilities, point),
            point_estimate_level=point,
        )

    def _reasons(self, k: int, probabilities: FloatArray, point: str) -> tuple[str, ...]:
        settings = self.settings
        label = settings.label
        levels = settings.levels
        needed = _percent(settings.confidence)
        reasons = [f"Niveau proposé : {label(levels[k])}."]
        if k > 0:
            reasons.append(
                f"Vos réponses montrent que vous atteignez le niveau {label(levels[k])} avec une "
                f"probabilité de {_percent(float(probabilities[k - 1]))} (il faut au moins {needed})."
            )
        else:
            reasons.append(
                f"Aucun niveau au-dessus de {label(levels[0])} n'est atteint avec une probabilité "
                f"d'au moins {needed} : le parcours propose le niveau de départ."
            )
        if k < len(probabilities):
            p = float(probabilities[k])
            if p >= settings.confidence:
                reasons.append(
                    f"Le niveau {label(levels[k + 1])} n'est pas proposé : il dépasse l'estimation de "
                    f"votre niveau ({label(point)}), et le niveau proposé n'est jamais plus haut."
                )
            else:
                reasons.append(
                    f"Le niveau {label(levels[k + 1])} n'est pas proposé : probabilité de "
                    f"{_percent(p)}, sous les {needed} demandés pour éviter de vous placer trop haut."
                )
        n = self.answered
        questions = f"{n} question{'s' if n > 1 else ''}"
        if self.stop_reason is PlacementStop.DECIDED:
            reasons.append(
                f"Le parcours s'est arrêté après {questions} : votre niveau était établi avec une "
                f"probabilité d'au moins {_percent(settings.stop_confidence)}."
            )
        elif self.stop_reason is PlacementStop.TARGET_SE:
            reasons.append(f"Le parcours s'est arrêté après {questions} : la précision visée est atteinte.")
        elif self.stop_reason is PlacementStop.MAX_ITEMS:
            reasons.append(f"Le parcours est terminé : les {questions} prévues ont été posées.")
        elif self.stop_reason is PlacementStop.BANK_EXHAUSTED:
            reasons.append(
                f"Le parcours s'est arrêté après {questions} : aucune autre question adaptée n'était "
                "disponible."
            )
        else:
            reasons.append(f"Parcours en cours : {questions} répondue{'s' if n > 1 else ''}.")
        return tuple(reasons)


# --- simulation: our rule against the point estimate -----------------------------------------------


@dataclass
class RuleTally:
    """Placements of one rule against the candidates' true levels."""

    over: int = 0
    under: int = 0
    exact: int = 0
    items: int = 0
    stopped_early: int = 0

    @property
    def candidates(self) -> int:
        return self.over + self.under + self.exact

    def add(self, proposed: int, true: int, length: int, early: bool) -> None:
        if proposed > true:
            self.over += 1
        elif proposed < true:
            self.under += 1
        else:
            self.exact += 1
        self.items += length
        self.stopped_early += int(early)

    def merge(self, other: RuleTally) -> None:
        self.over += other.over
        self.under += other.under
        self.exact += other.exact
        self.items += other.items
        self.stopped_early += other.stopped_early

    def as_dict(self) -> dict[str, float]:
        n = max(self.candidates, 1)
        return {
            "over_placed": self.over / n,
            "under_placed": self.under / n,
            "exact": self.exact / n,
            "mean_length": self.items / n,
            "stopped_early": self.stopped_early / n,
        }


@dataclass
class PlacementComparison:
    """Our rule and the point-estimate placement on the same simulated candidates."""

    ours: RuleTally = field(default_factory=RuleTally)
    point_estimate: RuleTally = field(default_factory=RuleTally)

    def merge(self, other: PlacementComparison) -> None:
        self.ours.merge(other.ours)
        self.point_estimate.merge(other.point_estimate)

    def as_dict(self) -> dict[str, object]:
        return {
            "candidates": self.ours.candidates,
            "ours": self.ours.as_dict(),
            "point_estimate": self.point_estimate.as_dict(),
        }


def simulate_placement(
    bank: ItemBank,
    thetas: Iterable[float],
    settings: PlacementSettings,
    rng: np.random.Generator,
    *,
    form: FormSpec | None = None,
    engine_settings: EngineSettings | None = None,
    needs: Sequence[frozenset[str]] = (),
) -> PlacementComparison:
    """Simulate one candidate per true ability with both rules at the same maximum length.

    Both runs of a candidate share one uniform draw per item (common random numbers): a candidate who
    gets an item in both runs answers it the same way. The point-estimate run is the engine's usual
    adaptive test (most information at the running EAP, full length, same form), placed by
    :func:`point_estimate_level` of :func:`recentred_eap`. ``needs`` optionally gives each candidate's
    accessibility needs.
    """
    stopping = StoppingRule(max_items=settings.max_items)
    ours_engine = CatEngine(bank, stopping, engine_settings, form)
    point_engine = CatEngine(bank, stopping, engine_settings, form)
    comparison = PlacementComparison()
    for n, theta in enumerate(thetas):
        true = settings.levels.index(point_estimate_level(theta, settings.cuts, settings.base_level))
        candidate_needs = needs[n] if n < len(needs) else frozenset()
        correct = rng.random(len(bank)) < bank.probability(theta)
        run = Placement(bank, settings, rng, needs=candidate_needs, form=form, engine=ours_engine)
        while (item := run.next_item()) is not None:
            run.answer(item, bool(correct[item]))
        decision = run.decision()
        comparison.ours.add(
            settings.levels.index(decision.level),
            true,
            decision.answered,
            decision.stop_reason in (PlacementStop.DECIDED, PlacementStop.TARGET_SE),
        )
        session = point_engine.start(rng, needs=candidate_needs)
        while (item := session.next_item()) is not None:
            session.answer(item, bool(correct[item]))
        estimate = recentred_eap(point_engine.tables, session.items, session.responses)
        level = point_estimate_level(estimate, settings.cuts, settings.base_level)
        comparison.point_estimate.add(settings.levels.index(level), true, len(session.items), False)
    return comparison


FOUR_LEVELS = ("initie", "confirme", "avance", "expert")


def parse_cuts(text: str) -> tuple[float, float, float]:
    """Three increasing cuts ``C1,C2,C3`` between the four levels (``certeval simulate-placement``)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise ValueError(f"--cuts needs exactly 3 comma-separated numbers, got {text!r}")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"--cuts needs exactly 3 comma-separated numbers, got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"--cuts must be finite numbers, got {text!r}")
    if not values[0] < values[1] < values[2]:
        raise ValueError(f"--cuts must strictly increase (C1 < C2 < C3), got {text!r}")
    return values[0], values[1], values[2]


def run_placement_simulation(
    bank: ItemBank,
    thetas: Iterable[float],
    cuts: tuple[float, float, float],
    length: int,
    confidence: float = 0.8,
    seed: int = 0,
) -> dict[str, object]:
    """The figures of ``certeval simulate-placement``: both rules at maximum length ``length`` on the
    four levels initié < confirmé < avancé < expert, other settings at their defaults."""
    settings = PlacementSettings(
        base_level=FOUR_LEVELS[0],
        cuts=tuple(zip(FOUR_LEVELS[1:], cuts, strict=True)),
        max_items=length,
        confidence=confidence,
    )
    comparison = simulate_placement(bank, [float(t) for t in thetas], settings, np.random.default_rng(seed))
    return {
        **comparison.as_dict(),
        "items": len(bank),
        "length": length,
        "confidence": confidence,
        "stop_confidence": settings.stop_confidence,
        "min_items": settings.min_items,
        "cuts": list(cuts),
    }
