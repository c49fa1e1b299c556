"""Is the demo item bank big enough? (issue 10)

    .venv/bin/python bench/bank_sufficiency.py [--candidates 1000] [--items DIR] [--seed 0]

Simulates candidates (θ ~ N(0, 1); audience premier or second degré at random; 5 % need a screen
reader, 3 % colour-vision compatibility, 2 % keyboard-only items) on the demo bank
(``certeval/data/items/pix-plus-edu``, provisional parameters): each takes a placement run with the
seed's composition (87 CRCN + 40 or 41 CRCN-Édu questions, every competence visited, drawn adaptively
from the practice items of their audience), then a certification form is assembled for them at EVERY
target level (16 CRCN-Édu + 48 CRCN questions, one CRCN-Édu and three CRCN questions per competence,
from the certification items they have not seen). Prints how many placement runs and how many forms
ran short of unseen items (the goal is 0), and the smallest number of spare items any competence and
level kept.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from certeval.domain.cat.design import assemble_level_form
from certeval.domain.cat.engine import CatEngine, StoppingRule
from certeval.domain.cat.form import FormSpec, InfeasibleFormError, PartSpec, Quota
from certeval.domain.cat.irt import ItemBank
from certeval.domain.items.content import LEVELS, Usage
from certeval.domain.items.records import ItemRecord, read_item_file

ROOT = Path(__file__).resolve().parent.parent
NEEDS = (("screen-reader", 0.05), ("colour-vision", 0.03), ("motor", 0.02))
PLACEMENT = {"premier": (87, 40), "second": (87, 41)}
FRAMEWORKS = {"crcn": "crcn.yaml", "crcn-edu": "pix-plus-edu.yaml"}


def competences(part: str) -> tuple[str, ...]:
    """Every competence of the part's référentiel, so that a competence without items shows as short."""
    document = yaml.safe_load(
        (ROOT / "certeval/data/frameworks" / FRAMEWORKS[part]).read_text(encoding="utf-8")
    )
    return tuple(str(c["id"]) for d in document["domains"] for c in d["competences"])


def part(name: str, count: int, per_competence: Quota) -> PartSpec:
    return PartSpec(name, count, competence=per_competence, competences=competences(name))


CERTIFICATION = FormSpec(length=64, parts=(part("crcn-edu", 16, Quota(1, 1)), part("crcn", 48, Quota(3, 3))))


def bank_of(records: list[ItemRecord]) -> ItemBank:
    return ItemBank(
        ids=tuple(r.code for r in records),
        a=np.array([r.irt.a for r in records]),
        b=np.array([r.irt.b for r in records]),
        c=np.array([r.irt.c for r in records]),
        d=np.ones(len(records)),
        competence=tuple(r.competence for r in records),
        part=tuple(r.part for r in records),
        accessibility=tuple(r.content.accessibility for r in records),
        level=tuple(r.level for r in records),
    )


def placement(
    engine: CatEngine, theta: float, needs: frozenset[str], rng: np.random.Generator
) -> set[str] | None:
    """The items of one simulated placement run, or None when the run could not be completed."""
    try:
        session = engine.start(rng, needs=needs)
    except InfeasibleFormError:
        return None
    probabilities = engine.bank.probability(theta)
    while (item := session.next_item()) is not None:
        session.answer(item, bool(rng.random() < probabilities[item]))
    if len(session.items) < engine.stopping.max_items:
        return None
    return {engine.bank.ids[i] for i in session.items}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--items", type=Path, default=ROOT / "certeval/data/items/pix-plus-edu")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records = [r for path in sorted(args.items.glob("*.yaml")) for r in read_item_file(path)]
    rng = np.random.default_rng(args.seed)
    engines = {}
    for audience, (crcn, edu) in PLACEMENT.items():
        practice = [r for r in records if r.usage is Usage.PRACTICE and r.audience in ("", audience)]
        form = FormSpec(
            length=crcn + edu,
            parts=(part("crcn", crcn, Quota(5, 6)), part("crcn-edu", edu, Quota(2, 3))),
        )
        engines[audience] = CatEngine(bank_of(practice), StoppingRule(max_items=crcn + edu), form=form)
    certification = bank_of([r for r in records if r.usage is Usage.CERTIFICATION])
    exposure = np.zeros(len(certification), dtype=np.int64)
    short_placements = 0
    short_forms: Counter[str] = Counter()
    lengths: list[int] = []
    started = time.perf_counter()
    for _ in range(args.candidates):
        theta = rng.normal()
        audience = "premier" if rng.random() < 0.5 else "second"
        needs = frozenset(name for name, share in NEEDS if rng.random() < share)
        engine = engines[audience]
        seen = placement(engine, theta, needs, rng)
        if seen is None:
            short_placements += 1
            seen = set()
        lengths.append(len(seen))
        for level in LEVELS:
            try:
                form = assemble_level_form(
                    certification, CERTIFICATION, level, rng, exposure, seen=seen, needs=needs
                )
            except (InfeasibleFormError, ValueError, IndexError):
                short_forms[level] += 1
                continue
            assert len(form) == CERTIFICATION.length
    elapsed = time.perf_counter() - started
    spare = min(
        sum(1 for r in records if r.usage is Usage.CERTIFICATION and (r.part, r.competence, r.level) == key)
        - (1 if key[0] == "crcn-edu" else 3)
        for key in {(r.part, r.competence, r.level) for r in records if r.usage is Usage.CERTIFICATION}
    )
    print(
        f"items: {len(records)} ({sum(r.usage is Usage.PRACTICE for r in records)} practice, "
        f"{sum(r.usage is Usage.CERTIFICATION for r in records)} certification)"
    )
    print(f"candidates: {args.candidates}, placement length {min(lengths)}–{max(lengths)}, {elapsed:.1f} s")
    print(f"placement runs short of unseen items: {short_placements}")
    for level in LEVELS:
        print(f"certification forms short at level {level}: {short_forms[level]}")
    print(f"smallest spare certification items per competence and level: {spare}")
    if short_placements or sum(short_forms.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
