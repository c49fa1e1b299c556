"""Final decisions, one per kind of ``rules.final``.

* ``joint_level`` — Pix+ Édu (seed 004, §6.3.1) and INSPÉ (seed 002): the level certified is
  the highest recognised jointly by the automated and the practice parts, i.e. the lower of the
  two. Two policies, chosen per campaign: ``joint`` certifies that level; ``adjourn`` (the
  2022-2023 rule) adjourns the candidate when the practice level is below the automated level,
  the automated result staying valid until it expires. A missing or expired automated result
  makes the candidate ``ineligible``; no practice level gives ``not_certified``.
* ``competences`` — langues vivantes (seed 000, rule not stated: a setting) and facilitateur
  (seed 001, « obtenue pour les cinq compétences »): certified when every competence is validated.
* ``blocks`` — professional title (seed 003): each bloc validated on its own date and kept
  (``block_validity_years``, default unlimited); the title is awarded when every bloc is held
  and, if required, the 30-minute final interview is passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from certeval.domain.framework import Framework
from certeval.domain.rules.constraints import (
    OK,
    EvidenceCheck,
    Finding,
    declared_evidence,
    evidence_check,
    evidence_findings,
)
from certeval.domain.rules.dates import valid_until
from certeval.domain.rules.errors import CaseError, item_path, key_path
from certeval.domain.rules.ladder import Ladder
from certeval.domain.rules.reading import CASE, RULES
from certeval.domain.rules.result import ADJOURNED, CERTIFIED, INELIGIBLE, NOT_CERTIFIED, Evaluation
from certeval.domain.rules.text import count, day, enumerate_fr

COMPONENT = "final"
JOINT: Final = "joint"
ADJOURN: Final = "adjourn"
POLICIES: Final = (JOINT, ADJOURN)
KINDS: Final = ("joint_level", "competences", "blocks")


@dataclass(frozen=True, slots=True)
class JointRule:
    framework: str
    policies: tuple[str, ...]
    default_policy: str
    validity_years: int | None  # of the automated result
    source: str
    ladder: Ladder

    def evaluate(
        self,
        policy: str,
        on: date,
        automated_level: str | None,
        obtained_on: date | None,
        practice_level: str | None,
    ) -> Evaluation:
        """Decision on day ``on``; ``obtained_on`` is required when ``automated_level`` is set."""
        ladder = self.ladder
        if policy == JOINT:
            rule = (
                "le niveau certifié est le plus élevé reconnu conjointement par les deux volets, "
                "le plus bas des deux"
            )
        else:
            rule = (
                "un niveau de pratique professionnelle inférieur au niveau du volet automatisé entraîne "
                "l'ajournement, le résultat du volet automatisé restant valable"
            )
        reasons = [f"Décision finale ({self.source}), politique {policy} : {rule}"]
        expiry = None
        if automated_level is not None and obtained_on is not None and self.validity_years is not None:
            expiry = valid_until(obtained_on, self.validity_years)
        details: dict[str, Any] = {
            "policy": policy,
            "on": on.isoformat(),
            "automated": {
                "level": automated_level,
                "obtained_on": None if obtained_on is None else obtained_on.isoformat(),
                "valid_until": None if expiry is None else expiry.isoformat(),
            },
            "practice": {"level": practice_level},
            "source": self.source,
        }

        def decide(level: str | None, outcome: str, reason: str) -> Evaluation:
            reasons.append(reason)
            return Evaluation(self.framework, COMPONENT, level, outcome, tuple(reasons), details)

        if automated_level is None or obtained_on is None:
            return decide(None, INELIGIBLE, "Aucun résultat du volet automatisé : candidat non recevable")
        auto = ladder.label(automated_level)
        validity = "sans limite de durée" if expiry is None else f"jusqu'au {day(expiry)} inclus"
        if expiry is not None and expiry < on:
            return decide(
                None,
                INELIGIBLE,
                f"Le résultat du volet automatisé (niveau {auto}, obtenu le {day(obtained_on)}, valable "
                f"{count(self.validity_years or 0, 'an')}) a expiré le {day(expiry)}, avant le {day(on)} : "
                f"candidat non recevable",
            )
        reasons.append(f"Volet automatisé : niveau {auto}, obtenu le {day(obtained_on)}, valable {validity}")
        if practice_level is None:
            return decide(
                None,
                NOT_CERTIFIED,
                f"Aucun niveau n'est reconnu au volet de pratique professionnelle : non certifié ; "
                f"le résultat du "
                f"volet automatisé reste valable {validity}",
            )
        practice = ladder.label(practice_level)
        joint = ladder.lower(automated_level, practice_level)
        if policy == ADJOURN and ladder.rank(practice_level) < ladder.rank(automated_level):
            return decide(
                None,
                ADJOURNED,
                f"Le niveau de pratique professionnelle ({practice}) est inférieur au niveau "
                f"du volet automatisé "
                f"({auto}) : candidat ajourné ; le résultat du volet automatisé reste valable {validity}",
            )
        return decide(
            joint,
            CERTIFIED,
            f"Pratique professionnelle : niveau {practice} ; "
            f"niveau reconnu conjointement par les deux volets : "
            f"{ladder.label(joint)} : certifié au niveau {ladder.label(joint)}",
        )

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "final", "policy": "joint" | "adjourn", "on": "YYYY-MM-DD",
        "automated": {"level": …, "obtained_on": "YYYY-MM-DD"}, "practice": {"level": … | null}}``;
        ``policy`` defaults to the framework's ``default_policy``; ``automated`` and ``practice``
        may be absent or ``null`` (no result)."""
        CASE.keys(case, "", ("component", "on"), ("policy", "automated", "practice"))
        policy = CASE.choice(case.get("policy", self.default_policy), "policy", self.policies)
        on = CASE.day(case["on"], "on")
        level = obtained_on = None
        if case.get("automated") is not None:
            automated = CASE.obj(case["automated"], "automated")
            CASE.keys(automated, "automated", ("level",), ("obtained_on",))
            level = CASE.level(automated["level"], "automated.level", self.ladder, nullable=True)
            if level is not None:
                if automated.get("obtained_on") is None:
                    raise CaseError("automated.obtained_on", "required when automated.level is set")
                obtained_on = CASE.day(automated["obtained_on"], "automated.obtained_on")
                if obtained_on > on:
                    raise CaseError(
                        "automated.obtained_on",
                        f"{obtained_on.isoformat()} is after the decision date {on.isoformat()}",
                    )
        practice_level = None
        if case.get("practice") is not None:
            practice = CASE.obj(case["practice"], "practice")
            CASE.keys(practice, "practice", ("level",), ())
            practice_level = CASE.level(practice["level"], "practice.level", self.ladder, nullable=True)
        return self.evaluate(policy, on, level, obtained_on, practice_level)


@dataclass(frozen=True, slots=True)
class CompetenceRule:
    """Certified when every competence is validated. ``constraints`` are the explicit constraints
    of competences (``rules.final.evidence``, langues C2 and C5, seed 000): a competence whose
    constraint is not shown by the dossier's declared evidence cannot be validated, whatever the
    jury's mark, and the decision says why."""

    framework: str
    competences: tuple[str, ...]
    source: str
    constraints: tuple[EvidenceCheck, ...] = ()

    def unmet(self, evidence: Mapping[str, int | bool]) -> dict[str, list[Finding]]:
        """Competence → its explicit constraints not met by the declared ``evidence`` (an absent
        requirement is not shown, hence not met)."""
        blocked: dict[str, list[Finding]] = {}
        for finding in evidence_findings(self.constraints, evidence):
            check = next(c for c in self.constraints if c.id == finding.check)
            if finding.status != OK and check.competence:
                blocked.setdefault(check.competence, []).append(finding)
        return blocked

    def evaluate(
        self, validated: Mapping[str, bool], evidence: Mapping[str, int | bool] | None = None
    ) -> Evaluation:
        """Certified when every competence is validated and no explicit constraint blocks one; an
        absent competence is not evaluated. ``evidence``: the declared evidence (requirement id →
        count or yes/no); ``None`` is no declaration at all."""
        declared = {} if evidence is None else evidence
        blocked = self.unmet(declared) if self.constraints else {}
        effective = {
            c: (False if c in blocked and v is True else v)
            for c, v in validated.items()
            if c in self.competences
        }
        held = [c for c in self.competences if effective.get(c) is True]
        failed = [c for c in self.competences if effective.get(c) is False]
        missing = [c for c in self.competences if c not in effective]
        total = len(self.competences)
        reasons = [
            f"Décision finale ({self.source}) : la certification est obtenue lorsque les "
            f"{total} compétences ({enumerate_fr(list(self.competences))}) sont validées"
        ]
        if self.constraints:
            shown = [c for c in self.constraints if c.competence not in blocked]
            reasons.append(
                f"Contraintes explicites : {count(len(self.constraints), 'contrainte')}, "
                f"{len(shown)} satisfaite(s) d'après les preuves déclarées"
            )
            for competence, findings in blocked.items():
                overridden = " (validation du jury écartée)" if validated.get(competence) is True else ""
                for finding in findings:
                    reasons.append(f"{competence} ne peut pas être validée{overridden} : {finding.text}")
        reasons.append(
            f"Compétences validées : {enumerate_fr(held)} ({len(held)} sur {total})"
            if held
            else f"Aucune compétence validée (0 sur {total})"
        )
        if failed:
            reasons.append(f"Non validée{'s' if len(failed) > 1 else ''} : {enumerate_fr(failed)}")
        if missing:
            reasons.append(f"Non évaluée{'s' if len(missing) > 1 else ''} : {enumerate_fr(missing)}")
        lacking = len(failed) + len(missing)
        if lacking:
            outcome = NOT_CERTIFIED
            reasons.append(f"{count(lacking, 'compétence')} sur {total} sans validation : non certifié")
        else:
            outcome = CERTIFIED
            reasons.append(f"Les {total} compétences sont validées : certifié")
        details: dict[str, Any] = {
            "validated": held,
            "not_validated": failed,
            "not_evaluated": missing,
            "source": self.source,
        }
        if self.constraints:
            details["blocked"] = list(blocked)
            details["constraints"] = [
                {**f.to_json(), "competence": c.competence, "text": f.text}
                for c, f in zip(self.constraints, evidence_findings(self.constraints, declared), strict=True)
            ]
        return Evaluation(self.framework, COMPONENT, None, outcome, tuple(reasons), details)

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "final", "competences": {"C1": true, "C2": false, …}, "evidence":
        {"<requirement id>": 2 | true}}``; ``evidence`` (the declared evidence the explicit
        constraints read) is accepted when the rule has constraints."""
        CASE.keys(case, "", ("component", "competences"), ("evidence",) if self.constraints else ())
        raw = CASE.obj(case["competences"], "competences")
        validated = {}
        for competence, value in raw.items():
            where = item_path("competences", competence)
            if competence not in self.competences:
                raise CaseError(where, f"unknown competence (expected one of {', '.join(self.competences)})")
            validated[competence] = CASE.boolean(value, where)
        return self.evaluate(validated, declared_evidence(self.constraints, case.get("evidence"), "evidence"))


@dataclass(frozen=True, slots=True)
class BlockStatus:
    validated: bool
    on: date | None  # day the bloc was validated


@dataclass(frozen=True, slots=True)
class BlockRule:
    framework: str
    blocks: tuple[str, ...]
    block_validity_years: int | None
    final_interview: bool  # whether the final interview is required
    source: str
    # The points the final interview checks (``final_interview_grid``): (criterion id, text).
    interview_points: tuple[tuple[str, str], ...] = ()
    # How many points must be verified for the interview to be passed (``None``: all of them).
    interview_min_points: int | None = None

    @property
    def points_required(self) -> int:
        total = len(self.interview_points)
        return total if self.interview_min_points is None else min(self.interview_min_points, total)

    def interview_from_points(self, points: Mapping[str, bool]) -> bool | None:
        """The final interview scored on its grid: ``None`` (not taken) when no point is marked,
        else passed when at least :attr:`points_required` points are verified (an unmarked point
        is not verified)."""
        if not points:
            return None
        return (
            sum(1 for pid, _text in self.interview_points if points.get(pid) is True) >= self.points_required
        )

    def interview_reasons(self, points: Mapping[str, bool]) -> list[str]:
        """French reasons of the interview's grid: the points verified and those that are not."""
        if not points or not self.interview_points:
            return []
        verified = [pid for pid, _text in self.interview_points if points.get(pid) is True]
        not_verified = [pid for pid, _text in self.interview_points if points.get(pid) is not True]
        total = len(self.interview_points)
        required = "tous" if self.points_required == total else f"au moins {self.points_required}"
        reasons = [
            f"Grille de l'entretien final : {len(verified)} point(s) vérifié(s) sur {total} "
            f"({required} requis)"
        ]
        if not_verified:
            reasons.append(f"Points non vérifiés : {enumerate_fr(not_verified)}")
        return reasons

    def evaluate(
        self,
        blocks: Mapping[str, BlockStatus],
        final_interview: bool | None,
        on: date | None,
        interview_points: Mapping[str, bool] | None = None,
    ) -> Evaluation:
        """Title decision; ``on`` (the decision day) is needed only when blocs expire. With
        ``interview_points`` (the final interview's grid), the interview's result is the grid's
        (:meth:`interview_from_points`)."""
        points = dict(interview_points or {})
        if points:
            final_interview = self.interview_from_points(points)
        years = self.block_validity_years
        kept = "sans limite de durée" if years is None else f"{count(years, 'an')}"
        interview = " et réussite à l'entretien final" if self.final_interview else ""
        reasons = [
            f"Attribution du titre ({self.source}) : "
            f"capitalisation des {len(self.blocks)} blocs de compétences"
            f"{interview} ; un bloc validé est conservé {kept}"
        ]
        held: list[str] = []
        missing: list[str] = []
        held_text: list[str] = []
        missing_text: list[str] = []
        per_block: dict[str, Any] = {}
        for block in self.blocks:
            status = blocks.get(block, BlockStatus(False, None))
            expiry = None
            if status.validated and status.on is not None and years is not None:
                expiry = valid_until(status.on, years)
            expired = expiry is not None and on is not None and expiry < on
            ok = status.validated and not expired
            per_block[block] = {
                "validated": status.validated,
                "on": None if status.on is None else status.on.isoformat(),
                "valid_until": None if expiry is None else expiry.isoformat(),
                "held": ok,
            }
            since = "" if status.on is None else f"validé le {day(status.on)}"
            if ok:
                held.append(block)
                held_text.append(f"{block} ({since})" if since else block)
            else:
                missing.append(block)
                if not status.validated:
                    missing_text.append(f"{block} (non validé)")
                else:
                    assert expiry is not None
                    missing_text.append(f"{block} ({since}, expiré le {day(expiry)})")
        total = len(self.blocks)
        reasons.append(
            f"Blocs détenus : {enumerate_fr(held_text)} ({len(held)} sur {total})"
            if held
            else f"Aucun bloc détenu (0 sur {total})"
        )
        if missing:
            reasons.append(f"Blocs non détenus : {enumerate_fr(missing_text)}")
        if not self.final_interview:
            interview_ok = True
        else:
            interview_ok = final_interview is True
            reasons.extend(self.interview_reasons(points))
            reasons.append(
                "Entretien final : "
                + {True: "réussi", False: "non réussi", None: "non passé"}[final_interview]
            )
        if not missing and interview_ok:
            outcome = CERTIFIED
            passed = " et l'entretien final est réussi" if self.final_interview else ""
            reasons.append(f"Les {total} blocs sont détenus{passed} : titre attribué")
        else:
            outcome = NOT_CERTIFIED
            lacks = []
            if missing:
                lacks.append(f"{'le bloc' if len(missing) == 1 else 'les blocs'} {enumerate_fr(missing)}")
            if not interview_ok:
                lacks.append("la réussite à l'entretien final")
            reasons.append(f"Il manque {' et '.join(lacks)} : titre non attribué")
        details = {
            "blocks_held": held,
            "blocks_missing": missing,
            "blocks": per_block,
            "final_interview": final_interview,
            **({"final_interview_points": points} if points else {}),
            "on": None if on is None else on.isoformat(),
            "source": self.source,
        }
        return Evaluation(self.framework, COMPONENT, None, outcome, tuple(reasons), details)

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "final", "blocks": {"1": {"validated": true, "on": "YYYY-MM-DD"}, …},
        "final_interview": true, "on": "YYYY-MM-DD"}``; ``final_interview`` absent or ``null`` = not
        taken; ``on`` (decision day) is required when blocs expire."""
        CASE.keys(case, "", ("component", "blocks"), ("final_interview", "final_interview_points", "on"))
        on = None if case.get("on") is None else CASE.day(case["on"], "on")
        if on is None and self.block_validity_years is not None:
            raise CaseError("on", "required: blocs expire after a validity period in this framework")
        statuses = {}
        for block, raw in CASE.obj(case["blocks"], "blocks").items():
            where = item_path("blocks", block)
            if block not in self.blocks:
                raise CaseError(where, f"unknown bloc (expected one of {', '.join(self.blocks)})")
            entry = CASE.obj(raw, where)
            CASE.keys(entry, where, ("validated",), ("on",))
            validated = CASE.boolean(entry["validated"], key_path(where, "validated"))
            when = None if entry.get("on") is None else CASE.day(entry["on"], key_path(where, "on"))
            if validated and when is None:
                raise CaseError(key_path(where, "on"), "required: the day the bloc was validated")
            if when is not None and on is not None and when > on:
                raise CaseError(
                    key_path(where, "on"), f"{when.isoformat()} is after the decision date {on.isoformat()}"
                )
            statuses[block] = BlockStatus(validated, when)
        interview = case.get("final_interview")
        if interview is not None:
            interview = CASE.boolean(interview, "final_interview")
        points = self.read_points(case.get("final_interview_points"), "final_interview_points")
        if points and interview is not None and interview != self.interview_from_points(points):
            raise CaseError("final_interview", "contradicts final_interview_points")
        return self.evaluate(statuses, interview, on, points)

    def read_points(self, raw: Any, path: str) -> dict[str, bool]:
        """``{point id: true | false}`` of the final interview's grid (``None`` = not scored)."""
        if raw is None:
            return {}
        known = [pid for pid, _text in self.interview_points]
        points = {}
        for pid, value in CASE.obj(raw, path).items():
            where = item_path(path, pid)
            if pid not in known:
                expected = ", ".join(known) or "none: this framework has no final interview grid"
                raise CaseError(where, f"unknown point (expected one of {expected})")
            points[pid] = CASE.boolean(value, where)
        return points


type FinalRule = JointRule | CompetenceRule | BlockRule


def final_from_mapping(
    data: Any, *, framework: Framework, ladder: Ladder, validity_years: int | None, path: str
) -> FinalRule:
    """From ``rules.final``; ``validity_years`` is that of the automated result (``joint_level``)."""
    data = RULES.obj(data, path)
    kind = RULES.choice(data.get("kind"), key_path(path, "kind"), KINDS)
    source = RULES.string(data.get("source"), key_path(path, "source"))
    if kind == "joint_level":
        RULES.keys(data, path, ("kind", "policies", "source"), ("default_policy",))
        policies_path = key_path(path, "policies")
        policies = tuple(
            RULES.choice(p, f"{policies_path}[{i}]", POLICIES)
            for i, p in enumerate(RULES.seq(data["policies"], policies_path))
        )
        if not policies:
            raise RULES.fail(policies_path, "expected at least one policy")
        default = RULES.choice(
            data.get("default_policy", policies[0]), key_path(path, "default_policy"), policies
        )
        return JointRule(framework.id, policies, default, validity_years, source, ladder)
    if kind == "competences":
        RULES.keys(data, path, ("kind", "source"), ("require", "evidence"))
        RULES.choice(data.get("require", "all"), key_path(path, "require"), ("all",))
        requirements = {e.id: e for e in framework.evidence if e.competence}
        where = key_path(path, "evidence")
        constraints = tuple(
            evidence_check(
                requirements[
                    RULES.ident(
                        e, f"{where}[{i}]", sorted(requirements), "evidence requirement of a competence"
                    )
                ]
            )
            for i, e in enumerate(RULES.seq(data.get("evidence", ()), where))
        )
        return CompetenceRule(framework.id, tuple(c.id for c in framework.competences), source, constraints)
    RULES.keys(
        data,
        path,
        ("kind", "blocks", "source"),
        ("block_validity_years", "final_interview", "final_interview_grid", "final_interview_min_points"),
    )
    blocks_path = key_path(path, "blocks")
    known = [d.id for d in framework.domains]
    blocks = tuple(
        RULES.ident(b, f"{blocks_path}[{i}]", known, "bloc")
        for i, b in enumerate(RULES.seq(data["blocks"], blocks_path))
    )
    years = data.get("block_validity_years")
    if years is not None:
        years = RULES.integer(years, key_path(path, "block_validity_years"), 1)
    interview = RULES.boolean(data.get("final_interview", True), key_path(path, "final_interview"))
    points: tuple[tuple[str, str], ...] = ()
    if data.get("final_interview_grid") is not None:
        grids = {g.id: g for g in framework.grids}
        grid_id = RULES.ident(
            data["final_interview_grid"], key_path(path, "final_interview_grid"), list(grids), "grid"
        )
        points = tuple((c.id, c.text) for c in grids[grid_id].criteria)
    minimum = data.get("final_interview_min_points")
    if minimum is not None:
        minimum = RULES.integer(minimum, key_path(path, "final_interview_min_points"), 1)
    return BlockRule(framework.id, blocks, years, interview, source, points, minimum)
