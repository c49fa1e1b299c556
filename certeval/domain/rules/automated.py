"""Automated part, §4.1 of seed 004: the level is validated on the share of correct answers on
the subjects evaluated, globally and, where the seed says so, in every domain (CRCN-Édu:
Confirmé 50 % with ≥ 50 % per domain, Avancé 65 % with ≥ 60 %, Expert 80 % with ≥ 60 %; CRCN:
60 / 75 / 85 %). The highest level whose thresholds are all met is obtained.

A level with a ``null`` threshold has no minimum share (the seed gives no Initié threshold; a
framework may set one); a level absent from ``thresholds`` cannot be obtained on the automated
part. A domain without any answer is not assessed and is skipped by the per-domain minimum
(« sur les sujets évalués »). The result stays valid ``validity_years`` from the day it was
obtained (§6.3.1: 3 years; ``null`` = unlimited), see :mod:`certeval.domain.rules.dates`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from certeval.domain.framework import Framework
from certeval.domain.rules.dates import valid_until
from certeval.domain.rules.errors import CaseError, index_path, item_path, key_path
from certeval.domain.rules.ladder import Ladder
from certeval.domain.rules.reading import CASE, RULES
from certeval.domain.rules.result import Evaluation
from certeval.domain.rules.text import count, day, percent, quoted

COMPONENT = "automated"


@dataclass(frozen=True, slots=True)
class Threshold:
    """Minimum shares of correct answers: over all answers and, if set, in every assessed domain."""

    global_share: Fraction
    per_domain: Fraction | None


@dataclass(frozen=True, slots=True)
class AutomatedPart:
    id: str
    domains: tuple[str, ...]
    competences: Mapping[str, str]  # competence id → domain id
    thresholds: tuple[tuple[str, Threshold | None], ...]  # highest level first


@dataclass(frozen=True, slots=True)
class Answer:
    competence: str
    correct: bool


@dataclass(frozen=True, slots=True)
class AutomatedRule:
    framework: str
    validity_years: int | None
    parts: Mapping[str, AutomatedPart]
    source: str
    ladder: Ladder

    @classmethod
    def from_mapping(
        cls, data: Any, *, framework: Framework, others: Mapping[str, Framework], ladder: Ladder, path: str
    ) -> AutomatedRule:
        """From ``rules.automated``:
        ``{validity_years, parts: {id: {framework?, domains, thresholds}}, source}``.

        A part's competences are those of ``framework`` when the part names one (e.g. the CRCN
        part of Pix+ Édu), else those of the framework that holds the rules.
        """
        data = RULES.obj(data, path)
        RULES.keys(data, path, ("validity_years", "parts", "source"), ())
        years = data["validity_years"]
        if years is not None:
            years = RULES.integer(years, key_path(path, "validity_years"), 1)
        parts_path = key_path(path, "parts")
        parts = {}
        for part_id, raw in RULES.obj(data["parts"], parts_path).items():
            parts[part_id] = _part(
                str(part_id), raw, framework, others, ladder, key_path(parts_path, str(part_id))
            )
        if not parts:
            raise RULES.fail(parts_path, "expected at least one part")
        return cls(
            framework=framework.id,
            validity_years=years,
            parts=parts,
            source=RULES.string(data["source"], key_path(path, "source")),
            ladder=ladder,
        )

    def validity(self) -> str:
        return (
            "sans limite de durée" if self.validity_years is None else f"{count(self.validity_years, 'an')}"
        )

    def expiry(self, obtained_on: date) -> date | None:
        return None if self.validity_years is None else valid_until(obtained_on, self.validity_years)

    def evaluate(
        self, part_id: str, answers: Sequence[Answer], obtained_on: date | None = None
    ) -> Evaluation:
        """Level on one part from its answers; ``obtained_on`` adds the validity period."""
        part = self.parts[part_id]
        ladder = self.ladder
        answered = dict.fromkeys(part.domains, 0)
        correct = dict.fromkeys(part.domains, 0)
        for answer in answers:
            domain = part.competences[answer.competence]
            answered[domain] += 1
            correct[domain] += answer.correct
        total, right = sum(answered.values()), sum(correct.values())
        shares = {d: Fraction(correct[d], answered[d]) for d in part.domains if answered[d]}
        details: dict[str, Any] = {
            "part": part.id,
            "answered": total,
            "correct": right,
            "share": round(right / total, 4) if total else None,
            "domains": {
                d: {
                    "answered": answered[d],
                    "correct": correct[d],
                    "share": round(float(shares[d]), 4) if d in shares else None,
                }
                for d in part.domains
            },
            "obtained_on": None if obtained_on is None else obtained_on.isoformat(),
            "valid_until": None,
            "source": self.source,
        }
        header = (
            f"Volet automatisé, partie {quoted(part.id)} ({self.source}) : le niveau est validé selon le "
            f"pourcentage de réponses correctes sur les sujets évalués"
        )
        if not total:
            none = (header, "Aucune réponse : aucun niveau n'est attribué")
            return Evaluation(self.framework, COMPONENT, None, None, none, details)
        share = Fraction(right, total)
        per_domain = ", ".join(
            f"{d} : {correct[d]}/{answered[d]} ({percent(shares[d])})"
            if d in shares
            else f"{d} : aucun sujet évalué"
            for d in part.domains
        )
        reasons = [
            f"{header} ; {count(right, 'réponse correcte', 'réponses correctes')} sur {total}, "
            f"soit {percent(share)} ; par domaine : {per_domain}"
        ]
        level: str | None = None
        for level_id, threshold in part.thresholds:
            label = ladder.label(level_id)
            if threshold is None:
                reasons.append(f"Aucun seuil n'est fixé pour le niveau {label} (paramètre) : niveau {label}")
                level = level_id
                break
            if share < threshold.global_share:
                reasons.append(
                    f"{percent(share)} < {percent(threshold.global_share)} requis : "
                    f"le niveau {label} n'est pas atteint"
                )
                continue
            weak = (
                []
                if threshold.per_domain is None
                else [d for d in shares if shares[d] < threshold.per_domain]
            )
            if weak:
                listed = ", ".join(f"domaine {d} à {percent(shares[d])}" for d in weak)
                assert threshold.per_domain is not None
                reasons.append(
                    f"{percent(share)} ≥ {percent(threshold.global_share)} requis mais {listed} "
                    f"< {percent(threshold.per_domain)} requis par domaine : "
                    f"le niveau {label} n'est pas atteint"
                )
                continue
            domains = (
                ""
                if threshold.per_domain is None
                else f" et chaque domaine évalué ≥ {percent(threshold.per_domain)}"
            )
            reasons.append(
                f"{percent(share)} ≥ {percent(threshold.global_share)} requis{domains} : niveau {label}"
            )
            level = level_id
            break
        else:
            reasons.append("Aucun seuil n'est atteint : aucun niveau n'est attribué")
        if level is not None and obtained_on is not None:
            expiry = self.expiry(obtained_on)
            details["valid_until"] = None if expiry is None else expiry.isoformat()
            until = "sans limite de durée" if expiry is None else f"jusqu'au {day(expiry)} inclus"
            reasons.append(f"Résultat obtenu le {day(obtained_on)}, valable {self.validity()} : {until}")
        return Evaluation(self.framework, COMPONENT, level, None, tuple(reasons), details)

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "automated", "part": "crcn-edu", "answers": [{"competence": "1.1",
        "correct": true}, …], "obtained_on": "YYYY-MM-DD"}`` (``obtained_on`` optional)."""
        CASE.keys(case, "", ("component", "part", "answers"), ("obtained_on",))
        part = self.parts[CASE.ident(case["part"], "part", list(self.parts), "part")]
        answers = []
        for i, raw in enumerate(CASE.seq(case["answers"], "answers")):
            where = index_path("answers", i)
            answer = CASE.obj(raw, where)
            CASE.keys(answer, where, ("competence", "correct"), ())
            competence = answer["competence"]
            if not isinstance(competence, str) or competence not in part.competences:
                raise CaseError(
                    key_path(where, "competence"),
                    f"unknown competence {competence!r} for part {part.id!r} "
                    f"(expected one of {', '.join(part.competences)})",
                )
            answers.append(Answer(competence, CASE.boolean(answer["correct"], key_path(where, "correct"))))
        obtained_on = (
            None if case.get("obtained_on") is None else CASE.day(case["obtained_on"], "obtained_on")
        )
        return self.evaluate(part.id, answers, obtained_on)


def _part(
    part_id: str, data: Any, framework: Framework, others: Mapping[str, Framework], ladder: Ladder, path: str
) -> AutomatedPart:
    data = RULES.obj(data, path)
    RULES.keys(data, path, ("domains", "thresholds"), ("framework",))
    source = framework
    if "framework" in data:
        source = others[
            RULES.ident(data["framework"], key_path(path, "framework"), sorted(others), "framework")
        ]
    known = [domain.id for domain in source.domains]
    domains_path = key_path(path, "domains")
    domains = tuple(
        RULES.ident(d, index_path(domains_path, i), known, f"domain of {source.id}")
        for i, d in enumerate(RULES.seq(data["domains"], domains_path))
    )
    if not domains:
        raise RULES.fail(domains_path, "expected at least one domain")
    competences = {
        c.id: domain.id for domain in source.domains if domain.id in domains for c in domain.competences
    }
    thresholds_path = key_path(path, "thresholds")
    thresholds: list[tuple[str, Threshold | None]] = []
    for level_id, raw in RULES.obj(data["thresholds"], thresholds_path).items():
        where = item_path(thresholds_path, str(level_id))
        RULES.level(level_id, where, ladder, nullable=False)
        if raw is None:
            thresholds.append((level_id, None))
            continue
        spec = RULES.obj(raw, where)
        RULES.keys(spec, where, ("global",), ("per_domain",))
        per_domain = spec.get("per_domain")
        thresholds.append(
            (
                level_id,
                Threshold(
                    RULES.share(spec["global"], key_path(where, "global")),
                    None if per_domain is None else RULES.share(per_domain, key_path(where, "per_domain")),
                ),
            )
        )
    thresholds.sort(key=lambda pair: ladder.rank(pair[0]), reverse=True)
    return AutomatedPart(part_id, domains, competences, tuple(thresholds))
