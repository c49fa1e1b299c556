"""The proctored test's forms and scoring, between the database and ``certeval.domain``.

Two forms, chosen per campaign (``CampaignDelivery.form``) and never mixed (``TestDesign`` refuses the
wrong pairing):

- **level form** (the seed's): at the start, every question is drawn at the candidate's target level
  (set by the placement run) under the form's content quotas, least exposed items first
  (``domain.cat.design.assemble_level_form``); scored per part with the référentiel's own thresholds
  (``rules.automated``: shares of correct answers, overall and per domain), never above the target level;
- **adaptive form**: each question chosen by the engine under the same quotas; scored on the ability
  scale against the cuts of ``CERTEVAL_DELIVERY``.

The overall level combines the parts' levels (``domain.delivery.overall_level``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count

from certeval.campaigns.models import Campaign
from certeval.domain.cat.design import CutScores, DesignKind, TestDesign, assemble_level_form
from certeval.domain.cat.design import score as design_score
from certeval.domain.cat.engine import CatEngine, StoppingRule
from certeval.domain.cat.estimation import Estimate
from certeval.domain.cat.form import FormSpec, InfeasibleFormError, PartSpec, Quota, load_form
from certeval.domain.delivery import Combination, overall_level
from certeval.domain.rules.automated import Answer
from certeval.frameworks.selectors import framework_of
from certeval.testing import engine as adapter
from certeval.testing.defaults import DEFAULT_DELIVERY
from certeval.testing.models import CampaignDelivery, Question, Run
from certeval.testing.models.items import Level
from certeval.testing.models.sessions import DeliveryForm

FORMS_DIR = Path(__file__).resolve().parent.parent / "domain" / "cat" / "forms"
LEVELS = tuple(Level.values)
LABELS = {value: str(label) for value, label in Level.choices}


def delivery_settings() -> dict[str, Any]:
    merged = dict(DEFAULT_DELIVERY)
    merged.update(getattr(settings, "CERTEVAL_DELIVERY", {}) or {})
    return merged


def max_questions(campaign: Campaign) -> int:
    """The référentiel's maximum of questions of the automated test (64 for Pix+ Édu)."""
    extras = (campaign.framework_version.document.get("extras") or {}).get("automated_part") or {}
    return int(extras.get("max_questions") or 64)


def duration_minutes(campaign: Campaign) -> int:
    """The test's duration (2h30 for Pix+ Édu), set-up time apart."""
    extras = (campaign.framework_version.document.get("extras") or {}).get("automated_part") or {}
    return int(extras.get("duration_minutes") or 150)


def setup_minutes(campaign: Campaign, remote: bool) -> int:
    extras = (campaign.framework_version.document.get("extras") or {}).get("automated_part") or {}
    key = "setup_minutes_remote" if remote else "setup_minutes_onsite"
    return int(extras.get(key) or (30 if remote else 15))


@lru_cache(maxsize=32)
def _form_file(path: Path, modified: float) -> FormSpec:
    return load_form(path)


def form_spec(bank: str, campaign: Campaign) -> FormSpec:
    """The bank's form (``CERTEVAL_DELIVERY["forms"]``), cut down to the campaign's cap on questions
    when it has one (``CampaignDelivery.max_questions``)."""
    name = (delivery_settings()["forms"] or {}).get(bank)
    if name:
        path = FORMS_DIR / name
        form = _form_file(path, path.stat().st_mtime)  # parsed once per process and file version
    else:
        form = FormSpec(length=max_questions(campaign), parts=(), name=bank)
    cap = (
        CampaignDelivery.objects.filter(campaign_id=campaign.pk)
        .values_list("max_questions", flat=True)
        .first()
    )
    return capped_form(form, int(cap)) if cap else form


def capped_form(form: FormSpec, cap: int) -> FormSpec:
    """A short test of ``cap`` questions: each part keeps its share of the form (largest remainders,
    a part left empty first), the domain quotas and the minimum visits per competence are relaxed."""
    if cap >= form.length:
        return form
    if not form.parts:
        return replace(form, length=cap)
    shares = [p.count * cap / form.length for p in form.parts]
    counts = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] > 0, counts[i] - shares[i]))
    for i in order[: cap - sum(counts)]:
        counts[i] += 1
    parts = tuple(
        replace(p, count=n, competence=Quota(0, p.competence.max), domains={})
        for p, n in zip(form.parts, counts, strict=True)
        if n
    )
    return replace(form, length=cap, parts=parts)


def _available_form(form: FormSpec, view: adapter.BankView, usable: set[int]) -> FormSpec:
    """The form cut down to what the bank still holds for this candidate: each part's count capped by
    its usable items, competence and domain quotas relaxed (a shorter test rather than none)."""
    per_part: dict[str, int] = {}
    for item in view.items:
        if item.item_id in usable:
            per_part[item.part] = per_part.get(item.part, 0) + 1
    parts = tuple(
        PartSpec(p.name, min(p.count, per_part.get(p.name, 0)), competence=Quota(0))
        for p in form.parts
        if per_part.get(p.name, 0)
    )
    return replace(form, length=sum(p.count for p in parts), parts=parts, no_repeat_competence=False)


def draw_level_form(
    view: adapter.BankView, campaign: Campaign, target: str, seen: set[int], needs: frozenset[str], seed: int
) -> list[int]:
    """Item ids of a level form at ``target`` (served in this order)."""
    if view.item_bank is None:
        return []
    form = form_spec(view.bank, campaign)
    counts = dict(
        Question.objects.filter(run__kind=Run.Kind.CERTIFICATION, run__bank=view.bank)
        .values_list("item_version__item_id")
        .annotate(n=Count("pk"))
    )
    exposure = np.array([counts.get(item.item_id, 0) for item in view.items], dtype=np.int64)
    rng = np.random.default_rng(seed)
    usable = {
        i.item_id for i in view.items if i.level == target and i.item_id not in seen and i.compatible(needs)
    }
    if not form.parts:
        # No content constraints: the least exposed usable items, up to the form's length.
        order = sorted(
            (int(exposure[k]) + float(rng.random()), k)
            for k, i in enumerate(view.items)
            if i.item_id in usable
        )
        chosen = [k for _priority, k in order[: form.length]]
        return [view.items[k].item_id for k in chosen]
    seen_ids = {str(i) for i in seen}
    try:
        chosen = assemble_level_form(view.item_bank, form, target, rng, exposure, seen_ids, needs)
    except (InfeasibleFormError, ValueError):
        # The bank cannot meet the form for this person: a shorter test under relaxed quotas.
        relaxed = _available_form(form, view, usable)
        if relaxed.length == 0:
            return []
        chosen = assemble_level_form(view.item_bank, relaxed, target, rng, exposure, seen_ids, needs)
    return [view.items[i].item_id for i in chosen]


def substitute(view: adapter.BankView, run: Run, item_id: int, taken: set[int]) -> int | None:
    """Another item for a question excluded by an invigilator (same part and competence, and for a
    level form the same level), or None."""
    original = view.by_id.get(item_id)
    if original is None:
        return None
    needs = frozenset(run.needs)
    level = run.settings.get("target_level") if run.settings.get("form") == DeliveryForm.LEVEL else None
    for strict in (True, False):
        for item in view.items:
            if item.item_id in taken or not item.compatible(needs) or item.part != original.part:
                continue
            if level and item.level != level:
                continue
            if strict and item.competence != original.competence:
                continue
            return item.item_id
    return None


def _adaptive_engine(view: adapter.BankView, run: Run) -> CatEngine:
    stored = run.settings
    key = f"certification:{stored['max_items']}:{sorted(stored['parts'].items())}"
    engine = view.engines.get(key)
    if engine is None:
        assert view.item_bank is not None
        form = FormSpec(
            length=int(stored["max_items"]),
            parts=tuple(PartSpec(p, int(n), competence=Quota(0)) for p, n in stored["parts"].items()),
            name="certification",
        )
        engine = CatEngine(view.item_bank, StoppingRule(max_items=int(stored["max_items"])), form=form)
        view.engines[key] = engine
    return engine


def next_item(view: adapter.BankView, run: Run, questions: list[Question], seen: set[int]) -> int | None:
    """The id of the next item to serve, or None when the test has no more questions."""
    served = {q.item_version.item_id for q in questions}
    scored_served = sum(1 for q in questions if q.scored)
    if scored_served >= int(run.settings["max_items"]):
        return None
    if run.settings["form"] == DeliveryForm.LEVEL:
        for item_id in run.settings["form_items"]:
            if item_id not in served and item_id in view.by_id:
                return int(item_id)
        return None
    engine = _adaptive_engine(view, run)
    replayed = [
        (index, bool(q.correct))
        for q in questions
        if q.scored and q.answered_at is not None
        for index in [view.index_of(q.item_version.item_id)]
        if index is not None
    ]
    # Replayed answers go through the session; every other item seen (profile, excluded questions) is
    # never selected.
    replayed_ids = {view.items[i].item_id for i, _ in replayed}
    session = engine.start(
        np.random.default_rng([run.seed, len(questions)]),
        seen=[str(i) for i in (seen | served) - replayed_ids],
        needs=frozenset(run.needs),
    )
    for position, correct in replayed:
        session.answer(position, correct)
    try:
        chosen = session.next_item()
    except InfeasibleFormError:
        return None
    return None if chosen is None else view.item_at(chosen).item_id


# --- scoring --------------------------------------------------------------------------------------


def score_run(run: Run, questions: list[Question], campaign: Campaign) -> dict[str, Any]:
    """The outcome of a finished test: overall level, per part and per domain, per competence, the
    reasons; ``valid`` is decided by the caller (minimum answered, abandonment)."""
    config = delivery_settings()
    answered = [q for q in questions if q.scored and q.answered_at is not None]
    form = run.settings["form"]
    target = run.settings.get("target_level") or None
    parts: dict[str, dict[str, Any]] = {}
    domains: dict[str, dict[str, Any]] = {}
    tally: dict[tuple[str, str], list[int]] = {}
    for q in answered:
        counts = tally.setdefault((q.item_version.item.part, q.item_version.item.competence), [0, 0])
        counts[0] += int(bool(q.correct))
        counts[1] += 1
    reasons: list[str] = []
    estimates: dict[str, Estimate] = {}
    if form == DeliveryForm.LEVEL:
        _framework, rules = framework_of(campaign.framework_version)
        rule = rules.automated
        for part_id in rule.parts if rule is not None else ():
            part = rule.parts[part_id]  # type: ignore[union-attr]
            mine = [
                Answer(competence, bool(q.correct))
                for q in answered
                for p, competence in [(q.item_version.item.part, q.item_version.item.competence)]
                if p == part_id and competence in part.competences
            ]
            if not mine:
                continue
            evaluation = rule.evaluate(part_id, mine)  # type: ignore[union-attr]
            level = evaluation.level
            if level is not None and target and LEVELS.index(level) > LEVELS.index(target):
                level = target
                evaluation = replace(
                    evaluation,
                    reasons=(
                        *evaluation.reasons,
                        f"L'épreuve était tirée au niveau visé {LABELS[target]} : elle ne peut attester "
                        f"un niveau supérieur ({LABELS[target]} retenu pour la partie « {part_id} »)",
                    ),
                )
            parts[part_id] = {
                "level": level,
                "share": evaluation.details["share"],
                "reasons": list(evaluation.reasons),
            }
            reasons.extend(evaluation.reasons)
            for domain, figures in evaluation.details["domains"].items():
                if figures["answered"]:
                    domains[f"{part_id}/{domain}"] = {
                        "share": figures["share"],
                        "answered": figures["answered"],
                    }
    else:
        view = adapter.bank_view(run.bank, run.audience, certification=True)
        cuts = CutScores(
            tuple((level, float(config["cuts"][level])) for level in LEVELS[1:] if level in config["cuts"]),
            confidence=float(config["confidence"]),
        )
        design = TestDesign(DesignKind.ADAPTIVE, cuts)
        engine = _adaptive_engine(view, run)
        session = engine.start(np.random.default_rng(run.seed), needs=frozenset(run.needs))
        for q in answered:
            index = view.index_of(q.item_version.item_id)
            if index is not None:
                session.answer(index, bool(q.correct))
        if session.items:
            result = session.result()
            scored = design_score(design, result, engine.bank)
            for part_id, level in scored.levels.items():
                parts[part_id] = {
                    "level": level or LEVELS[0],
                    "theta": round(result.parts.get(part_id, Estimate(result.theta, result.se)).theta, 3),
                    "reasons": [],
                }
            for key, level in scored.domain_levels.items():
                domains[key] = {"level": level or LEVELS[0], "share": round(scored.shares.get(key, 0.0), 4)}
            estimates = dict(result.competences)
            reasons.append(
                f"Forme adaptative : aptitude estimée {result.theta:.2f} (écart type {result.se:.2f}), "
                f"comparée aux seuils {', '.join(f'{LABELS[lv]} {c:+.1f}' for lv, c in cuts.levels)} "
                f"avec une probabilité d'au moins {cuts.confidence:.0%}"
            )
    overall = overall_level(
        {p: v["level"] for p, v in parts.items()},
        LEVELS,
        LABELS,
        Combination(config["combination"]),
        cap=target if form == DeliveryForm.LEVEL else None,
    )
    reasons.extend(overall.reasons)
    competences = []
    for (part, competence), (right, total) in sorted(tally.items()):
        key = f"{part}/{competence}"
        share = right / total
        if form == DeliveryForm.LEVEL:
            acquired = share >= float(config["acquired_share"])
        else:
            estimate = estimates.get(key)
            reference = overall.level or LEVELS[0]
            cut = dict(cuts.levels).get(reference if reference != LEVELS[0] else LEVELS[1], 0.0)
            acquired = estimate is not None and estimate.theta >= cut
        competences.append(
            {
                "part": part,
                "competence": competence,
                "answered": total,
                "correct": right,
                "acquired": acquired,
            }
        )
    return {
        "form": form,
        "target_level": target or "",
        "level": overall.level,
        "parts": parts,
        "domains": domains,
        "competences": competences,
        "answered": len(answered),
        "correct": sum(1 for q in answered if q.correct),
        "reasons": reasons,
    }
