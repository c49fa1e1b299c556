"""The adapter between the item bank in the database and the adaptive engine of ``certeval.domain.cat``.

- :func:`bank_view` — the items a run may serve, as the engine's :class:`ItemBank`: the **active** items
  of the bank whose usage is *practice* (placement run and training; certification-only items are never
  served here), of the run's audience (items for both degrees, plus the premier or second degré
  variants), each with its current frozen version and IRT parameters; and, apart, the **pilot** items
  (served unscored to collect answers for calibration). Built once per bank, audience and state of the
  bank (see :func:`bank_state`) and kept in memory, so an answer does not read the whole bank again.
- :func:`profile_items` — the person's profile: every item they answered in any run (placement,
  training, and later the certification). A placement run never asks them again.
- :func:`placement_settings` — ``settings.CERTEVAL_PLACEMENT`` with its defaults, and the composition of
  a run (87 CRCN + 40 or 41 CRCN-Édu subjects by default, from the référentiel's settings).
- :func:`placement_of` — the domain's :class:`Placement` rebuilt from a run's stored answers: the
  engine keeps no state between two requests, the database does.

Accessibility needs are passed to the engine, which only selects items whose compatibility list
contains every need (``ItemVersion.accessibility``); pilot items are filtered the same way here.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, Sum

from certeval.domain.cat.engine import CatEngine, StoppingRule
from certeval.domain.cat.form import FormSpec, PartSpec, Quota
from certeval.domain.cat.irt import ItemBank
from certeval.domain.cat.placement import Placement, PlacementSettings
from certeval.frameworks.models import FrameworkVersion
from certeval.testing.defaults import DEFAULT_PLACEMENT
from certeval.testing.models import Item, Question, Run
from certeval.testing.models.items import ItemStatus, ItemUsage, Level
from certeval.testing.selectors import bank_version_of

LEVELS = tuple(Level.values)  # initie < confirme < avance < expert
PARTS = ("crcn", "crcn-edu")

FALLBACK_COMPOSITION = {"premier": {"crcn": 87, "crcn-edu": 40}, "second": {"crcn": 87, "crcn-edu": 41}}


def placement_settings() -> dict[str, Any]:
    """``CERTEVAL_PLACEMENT`` merged over the documented defaults (docs/testing.md)."""
    merged = dict(DEFAULT_PLACEMENT)
    merged.update(getattr(settings, "CERTEVAL_PLACEMENT", {}) or {})
    return merged


def composition_of(version: FrameworkVersion | None, audience: str) -> dict[str, int]:
    """Questions per part of a placement run for an audience: the setting, else the référentiel's
    ``extras.automated_part.placement`` (``crcn_subjects``, ``crcn_edu_subjects_premier_degre`` /
    ``_second_degre``), else the seed's 87 + 40/41."""
    configured = placement_settings()["composition"]
    audience = audience or "second"
    if configured:
        chosen = configured.get(audience, configured) if isinstance(configured, Mapping) else None
        if isinstance(chosen, Mapping):
            return {str(part): int(count) for part, count in chosen.items()}
    document = version.document if version is not None else {}
    placement = ((document.get("extras") or {}).get("automated_part") or {}).get("placement") or {}
    edu_key = f"crcn_edu_subjects_{'premier' if audience == 'premier' else 'second'}_degre"
    if "crcn_subjects" in placement and edu_key in placement:
        return {"crcn": int(placement["crcn_subjects"]), "crcn-edu": int(placement[edu_key])}
    return dict(FALLBACK_COMPOSITION[audience if audience in FALLBACK_COMPOSITION else "second"])


# --- the servable bank ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServableItem:
    """One item a run may serve, with its current frozen version."""

    item_id: int
    version_id: int
    code: str
    part: str
    competence: str
    level: str
    audience: str
    status: str
    accessibility: frozenset[str]
    a: float
    b: float
    c: float

    def compatible(self, needs: Iterable[str]) -> bool:
        return set(needs) <= self.accessibility


@dataclass(frozen=True)
class BankView:
    """The servable items of one bank for one audience: scored (active) and pilot items."""

    bank: str
    version: int
    audience: str
    items: tuple[ServableItem, ...]
    pilot: tuple[ServableItem, ...]
    item_bank: ItemBank | None  # ids are the items' primary keys as text; None when no active item
    by_id: dict[int, ServableItem] = field(init=False, repr=False)
    # The engines (grid tables, content tree) of the run lengths and compositions met so far.
    engines: dict[str, CatEngine] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {i.item_id: i for i in (*self.items, *self.pilot)})

    def index_of(self, item_id: int) -> int | None:
        if self.item_bank is None:
            return None
        return self.item_bank.index.get(str(item_id))

    def item_at(self, index: int) -> ServableItem:
        return self.items[index]


def _usages(certification: bool) -> tuple[str, ...]:
    """Placement runs and training serve practice items; the proctored test serves every item."""
    return (ItemUsage.PRACTICE, ItemUsage.CERTIFICATION) if certification else (ItemUsage.PRACTICE,)


def bank_state(bank: str, certification: bool = False) -> tuple[Any, ...]:
    """A fingerprint of the bank's servable items in one query: it changes when an item becomes
    active or pilot, is retired, changes usage, or gets a new current version (an edit, a
    calibration's activation: new versions always get larger ids), or is saved otherwise."""
    practice = Q(usage__in=_usages(certification))
    active = Q(status=ItemStatus.ACTIVE) & practice
    pilot = Q(status=ItemStatus.PILOT) & practice
    row = Item.objects.filter(bank=bank).aggregate(
        n_active=Count("pk", filter=active),
        sum_active=Sum("pk", filter=active),
        versions_active=Sum("current_id", filter=active),
        n_pilot=Count("pk", filter=pilot),
        sum_pilot=Sum("pk", filter=pilot),
        versions_pilot=Sum("current_id", filter=pilot),
        updated=Max("updated_at"),
    )
    return tuple(row[k] for k in sorted(row))


_CACHE: dict[tuple[str, str, bool], tuple[tuple[Any, ...], BankView]] = {}
_CACHE_LOCK = threading.Lock()
# When each bank's state was last read (monotonic seconds), for callers that accept a view this old.
_CHECKED: dict[tuple[str, bool], tuple[float, tuple[Any, ...]]] = {}


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
        _CHECKED.clear()


def bank_view(
    bank: str, audience: str = "", *, certification: bool = False, max_age: float = 0.0
) -> BankView:
    """The servable items of ``bank`` for ``audience`` (``premier``, ``second`` or ``""`` for items
    common to both), from the cache while the bank's state is unchanged; ``certification``: the
    proctored test's view, certification-only items included. ``max_age``: seconds during which the
    bank's state read by an earlier call in this process is trusted (0: read it every time)."""
    now = time.monotonic()
    with _CACHE_LOCK:
        checked = _CHECKED.get((bank, certification))
    if checked is not None and now - checked[0] <= max_age:
        state = checked[1]
    else:
        state = bank_state(bank, certification)
        with _CACHE_LOCK:
            _CHECKED[(bank, certification)] = (now, state)
    key = (bank, audience, certification)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached[0] == state:
        return cached[1]
    view = _load_view(bank, audience, certification)
    with _CACHE_LOCK:
        _CACHE[key] = (state, view)
    return view


def _load_view(bank: str, audience: str, certification: bool) -> BankView:
    audiences = {"", audience}
    rows = (
        Item.objects.filter(
            bank=bank,
            usage__in=_usages(certification),
            status__in=(ItemStatus.ACTIVE, ItemStatus.PILOT),
            audience__in=audiences,
            current__isnull=False,
        )
        .select_related("current")
        .order_by("part", "competence", "code")
    )
    items: list[ServableItem] = []
    pilot: list[ServableItem] = []
    for item in rows:
        version = item.current
        assert version is not None
        servable = ServableItem(
            item_id=item.pk,
            version_id=version.pk,
            code=item.code,
            part=item.part,
            competence=item.competence,
            level=item.level,
            audience=item.audience,
            status=item.status,
            accessibility=frozenset(version.accessibility or ()),
            a=version.a,
            b=version.b,
            c=version.c,
        )
        (items if item.status == ItemStatus.ACTIVE else pilot).append(servable)
    item_bank = None
    if items:
        item_bank = ItemBank(
            ids=tuple(str(i.item_id) for i in items),
            a=np.array([i.a for i in items]),
            b=np.array([i.b for i in items]),
            c=np.array([i.c for i in items]),
            d=np.ones(len(items)),
            competence=tuple(i.competence for i in items),
            part=tuple(i.part for i in items),
            accessibility=tuple(i.accessibility for i in items),
            level=tuple(i.level for i in items),
        )
    return BankView(bank, bank_version_of(bank), audience, tuple(items), tuple(pilot), item_bank)


# --- the person's profile ----------------------------------------------------------------------------


def profile_items(candidate_id: int, *, exclude_run: int | None = None) -> set[int]:
    """Ids of the items the person answered in any run (optionally leaving one run out)."""
    questions = Question.objects.filter(run__candidate_id=candidate_id, answered_at__isnull=False)
    if exclude_run is not None:
        questions = questions.exclude(run_id=exclude_run)
    return set(questions.values_list("item_version__item_id", flat=True))


# --- a run's settings and its placement ---------------------------------------------------------------


def run_settings(
    view: BankView, version: FrameworkVersion | None, audience: str, needs: Iterable[str], seen: set[int]
) -> dict[str, Any]:
    """The settings a new placement run keeps for its whole life (a later change of
    ``CERTEVAL_PLACEMENT`` does not alter a run in progress): per-part counts, capped by the items
    the person can still get (a bank smaller than the composition gives a shorter run), cuts,
    confidence, stopping rule and the number of pilot items."""
    config = placement_settings()
    wanted = composition_of(version, audience)
    available: dict[str, int] = {}
    for item in view.items:
        if item.item_id not in seen and item.compatible(needs):
            available[item.part] = available.get(item.part, 0) + 1
    parts = {part: min(count, available.get(part, 0)) for part, count in wanted.items()}
    parts = {part: count for part, count in parts.items() if count > 0}
    max_items = sum(parts.values())
    competences: dict[str, set[str]] = {}
    for item in view.items:
        if item.item_id not in seen and item.compatible(needs):
            competences.setdefault(item.part, set()).add(item.competence)
    cuts = config["cuts"]
    return {
        "parts": parts,
        # Every competence of a part is visited when the part is long enough to visit them all.
        "visit_all": {part: count >= len(competences.get(part, ())) for part, count in parts.items()},
        "composition": wanted,
        "max_items": max_items,
        "min_items": min(int(config["min_items"]), max_items),
        "confidence": float(config["confidence"]),
        "adaptive_stop": bool(config["adaptive_stop"]),
        "target_se": None if config["target_se"] is None else float(config["target_se"]),
        "stop_confidence": None if config["stop_confidence"] is None else float(config["stop_confidence"]),
        "cuts": [[level, float(cuts[level])] for level in LEVELS[1:] if level in cuts],
        "pilot_items": int(config["pilot_items"]),
    }


def form_of(stored: Mapping[str, Any]) -> FormSpec:
    """A run's composition as content constraints: the count of each part, and every competence of
    a part visited when the part is long enough to visit them all (decided at the start)."""
    visit_all = stored.get("visit_all", {})
    specs = [
        PartSpec(part, int(count), competence=Quota(1 if visit_all.get(part, True) else 0))
        for part, count in stored["parts"].items()
    ]
    return FormSpec(length=int(stored["max_items"]), parts=tuple(specs), name="placement")


def settings_of_run(stored: Mapping[str, Any]) -> PlacementSettings:
    cuts = tuple((str(level), float(cut)) for level, cut in stored["cuts"])
    optional: dict[str, Any] = {}
    if stored.get("stop_confidence") is not None:
        optional["stop_confidence"] = float(stored["stop_confidence"])
    return PlacementSettings(
        base_level=LEVELS[0],
        cuts=cuts,
        max_items=int(stored["max_items"]),
        confidence=float(stored["confidence"]),
        min_items=int(stored["min_items"]),
        stop_when_decided=bool(stored["adaptive_stop"]),
        target_se=stored.get("target_se"),
        labels=tuple((value, str(label)) for value, label in Level.choices),
        **optional,
    )


def engine_of(view: BankView, stored: Mapping[str, Any]) -> tuple[CatEngine, FormSpec]:
    """The shared engine of a run's length and composition (built once per bank state)."""
    form = form_of(stored)
    key = json.dumps([stored["max_items"], stored["parts"], stored.get("visit_all", {})], sort_keys=True)
    engine = view.engines.get(key)
    if engine is None:
        assert view.item_bank is not None
        engine = CatEngine(view.item_bank, StoppingRule(max_items=int(stored["max_items"])), form=form)
        view.engines[key] = engine
    return engine, engine.form or form


@dataclass
class RunState:
    """A run rebuilt from the database: its bank, its placement, what was answered and served."""

    run: Run
    view: BankView
    placement: Placement
    answered: list[Question]
    scored_answered: int


def placement_of(run: Run, questions: list[Question], seen: set[int]) -> RunState:
    """The domain placement of ``run`` replayed from its answered scored questions (``questions``:
    the run's questions in order, answered or not; ``seen``: the profile outside this run)."""
    view = bank_view(run.bank, run.audience)
    stored = run.settings
    needs = frozenset(run.needs)
    answered = [q for q in questions if q.answered_at is not None]
    history: list[tuple[str, bool]] = []
    for question in answered:
        if not question.scored:
            continue
        item_id = question.item_version.item_id
        if view.index_of(item_id) is None:
            # The item left the servable bank (retired) after it was answered: its answer still
            # counts in the run, outside the engine's bank it cannot be replayed; it stays seen.
            seen = seen | {item_id}
            continue
        history.append((str(item_id), bool(question.correct)))
    if view.item_bank is None:
        raise LookupError("no active item in the bank")
    # Everything else the person answered, and this run's other questions (pilot items, the one
    # served and not answered yet), is never selected.
    replayed = {int(item_id) for item_id, _ in history}
    other = (seen | {q.item_version.item_id for q in questions}) - replayed
    engine, form = engine_of(view, stored)
    rng = np.random.default_rng(run.seed)
    placement = Placement(
        view.item_bank,
        settings_of_run(stored),
        rng,
        answered=tuple(history),
        seen=tuple(str(i) for i in sorted(other)),
        needs=needs,
        form=form,
        engine=engine,
    )
    return RunState(run, view, placement, answered, len(history))


COMPETENCE_PRIOR_SD = 1.0


def competence_estimates(
    engine: CatEngine, items: list[int], responses: list[bool], keys: list[str], centre: float
) -> dict[str, tuple[float, float]]:
    """EAP and posterior SD of the ability per competence, from that competence's answers with a
    N(``centre``, 1) prior centred on the person's overall estimate: with the few questions a
    competence gets in a placement run, a prior centred on the population would pull every
    competence towards the average (all answers wrong would still look « acquired »); centred on the
    person, a competence stands out only when its answers differ from the rest."""
    if not items:
        return {}
    tables = engine.tables
    nodes = tables.nodes
    prior = -0.5 * ((nodes - centre) / COMPETENCE_PRIOR_SD) ** 2
    names = sorted(set(keys))
    estimates = {}
    for name in names:
        log_post = prior.copy()
        for item, correct, key in zip(items, responses, keys, strict=True):
            if key == name:
                log_post += tables.log_p[item] if correct else tables.log_q[item]
        weights = np.exp(log_post - log_post.max())
        weights /= weights.sum()
        mean = float(weights @ nodes)
        sd = float(np.sqrt(max(float(weights @ (nodes * nodes)) - mean * mean, 0.0)))
        estimates[name] = (mean, sd)
    return estimates
