"""A jury's deliberation, from what the jury recorded to the decision, for every kind of framework.

Inputs (:class:`DeliberationInput`): the consensus dossier grid (per criterion), the oral score
sheet (per domain), the jury's validations (:class:`Verdicts`: per competence, or per bloc with
its date and the final interview), the candidate's automated result, the campaign's policy and
practice-level setting, and the decision day. Output (:class:`DeliberationOutcome`): the level
of each part with its French reasons, the practice level with its reasons, and the decision.

The practice level (``joint_level`` frameworks) is derived from the parts the framework has:

* a dossier grid and an oral score sheet (Pix+ Édu): the campaign's setting, ``sheet`` (the level
  of the oral score sheet, the jury relying on the dossier and the oral; default) or ``lower``
  (the lower of the dossier and sheet levels, none unless both have one);
* a dossier grid only (INSPÉ, seed 002: the evaluation by the teachers or the jury): the level of
  the grid; the setting does not apply;
* an oral score sheet only: the level of the sheet;
* neither: no practice level.

The web app (``certeval.juries``) and ``certeval evaluate FRAMEWORK deliberation.json`` both call
:func:`evaluate_deliberation`, so they decide the same way. JSON is read and written here only
through ``from_json`` / ``to_json``, the shape stored on the ``Deliberation`` model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from certeval.domain.rules.constraints import declared_evidence
from certeval.domain.rules.errors import CaseError, item_path, key_path
from certeval.domain.rules.final import BlockRule, BlockStatus, CompetenceRule, FinalRule, JointRule
from certeval.domain.rules.reading import CASE
from certeval.domain.rules.result import Evaluation

if TYPE_CHECKING:
    from certeval.domain.rules.ruleset import RuleSet

COMPONENT: Final = "deliberation"
JOINT_LEVEL: Final = "joint_level"
COMPETENCES: Final = "competences"
BLOCKS: Final = "blocks"
SHEET: Final = "sheet"
LOWER: Final = "lower"
PRACTICE_SOURCES: Final = (SHEET, LOWER)
NO_LEVEL: Final = "aucun niveau"


def decision_kind(final: FinalRule | None) -> str:
    """``joint_level`` (Pix+ Édu, INSPÉ, and a framework without final rule), ``competences`` or
    ``blocks``: the kind of the framework's final rule."""
    if isinstance(final, CompetenceRule):
        return COMPETENCES
    if isinstance(final, BlockRule):
        return BLOCKS
    return JOINT_LEVEL


class VerdictsError(CaseError):
    """Validations the final rule would not read. ``code`` names the problem for a translated
    message (``unknown_competence``, ``competence_value``, ``no_verdicts``, ``unknown_block``,
    ``interview_value``, ``interview_point``, ``block_date``, ``block_future``, ``malformed``); ``subject`` is the
    competence or bloc concerned, if any."""

    def __init__(self, code: str, path: str, message: str, subject: str = "") -> None:
        self.code = code
        self.subject = subject
        super().__init__(path, message)


@dataclass(frozen=True, slots=True)
class Verdicts:
    """The jury's validations: per competence (``competences`` kind), or per bloc with the day it
    was validated and the final interview (``blocks`` kind; ``None`` = not taken)."""

    competences: Mapping[str, bool] = field(default_factory=dict)
    blocks: Mapping[str, BlockStatus] = field(default_factory=dict)
    final_interview: bool | None = None
    # The final interview's grid (``blocks`` kind with ``final_interview_grid``): point → verified.
    interview_points: Mapping[str, bool] = field(default_factory=dict)

    def to_json(self, kind: str) -> dict[str, Any]:
        """The stored shape: ``{"competences": {id: bool}}``, ``{"blocks": {id: {"validated":
        bool, "on": "YYYY-MM-DD" | null}}, "final_interview": bool | null}``, or ``{}``."""
        if kind == COMPETENCES:
            return {"competences": dict(self.competences)}
        if kind == BLOCKS:
            return {
                "blocks": {
                    block: {"validated": s.validated, "on": None if s.on is None else s.on.isoformat()}
                    for block, s in self.blocks.items()
                },
                "final_interview": self.final_interview,
                **({"final_interview_points": dict(self.interview_points)} if self.interview_points else {}),
            }
        return {}

    @classmethod
    def from_json(cls, data: Any) -> Verdicts:
        """Read stored validations (already checked when they were written); lenient: what is not
        of the expected shape is left out."""
        if not isinstance(data, Mapping):
            return cls()
        competences = data.get("competences")
        blocks = data.get("blocks")
        statuses = {}
        for block, status in blocks.items() if isinstance(blocks, Mapping) else ():
            if not isinstance(status, Mapping):
                continue
            on = status.get("on")
            try:
                when = date.fromisoformat(on) if isinstance(on, str) and on else None
            except ValueError:
                when = None
            statuses[str(block)] = BlockStatus(status.get("validated") is True, when)
        interview = data.get("final_interview")
        points = data.get("final_interview_points")
        return cls(
            competences={
                str(k): v
                for k, v in (competences.items() if isinstance(competences, Mapping) else ())
                if isinstance(v, bool)
            },
            blocks=statuses,
            final_interview=interview if isinstance(interview, bool) else None,
            interview_points={
                str(k): v
                for k, v in (points.items() if isinstance(points, Mapping) else ())
                if isinstance(v, bool)
            },
        )


def decided_verdicts(verdicts: Verdicts, blocked: Any) -> Verdicts:
    """The validations as the decision counts them: a competence an explicit constraint blocks
    (``blocked``: the decision's ``details["blocked"]``) is not validated, whatever the jury's
    mark (what results, files and score sheets show)."""
    if not isinstance(blocked, list | tuple) or not blocked:
        return verdicts
    return Verdicts(
        competences={c: (False if c in blocked else v) for c, v in verdicts.competences.items()},
        blocks=verdicts.blocks,
        final_interview=verdicts.final_interview,
    )


def parse_verdicts(final: FinalRule | None, data: Any, today: date, path: str = "verdicts") -> Verdicts:
    """Check the jury's validations against the final rule and read them; raises
    :class:`VerdictsError`: an unknown competence or bloc, a value that is not a validation, a
    validated bloc without a valid date, a bloc date after ``today``."""
    data = {} if data is None else data
    if not isinstance(data, Mapping):
        raise VerdictsError("malformed", path, "expected an object")
    if isinstance(final, CompetenceRule):
        marks = data.get("competences", {})
        if not isinstance(marks, Mapping):
            raise VerdictsError("malformed", key_path(path, "competences"), "expected an object")
        extra = [k for k in data if k != "competences"] + [c for c in marks if c not in final.competences]
        if extra:
            raise VerdictsError(
                "unknown_competence",
                item_path(path, str(extra[0])),
                f"unknown competence (expected one of {', '.join(final.competences)})",
                str(extra[0]),
            )
        for competence, value in marks.items():
            if not isinstance(value, bool):
                raise VerdictsError(
                    "competence_value",
                    item_path(key_path(path, "competences"), competence),
                    "expected true or false",
                    competence,
                )
        return Verdicts(competences=dict(marks))
    if not isinstance(final, BlockRule):
        if data:
            raise VerdictsError(
                "no_verdicts", path, "this framework is decided neither by competences nor by blocs"
            )
        return Verdicts()
    blocks = data.get("blocks", {})
    if not isinstance(blocks, Mapping):
        raise VerdictsError("malformed", key_path(path, "blocks"), "expected an object")
    extra = [k for k in data if k not in ("blocks", "final_interview", "final_interview_points")]
    extra += [b for b in blocks if b not in final.blocks]
    if extra:
        raise VerdictsError(
            "unknown_block",
            item_path(path, str(extra[0])),
            f"unknown bloc (expected one of {', '.join(final.blocks)})",
            str(extra[0]),
        )
    interview = data.get("final_interview")
    if interview not in (True, False, None):
        raise VerdictsError(
            "interview_value", key_path(path, "final_interview"), "expected true, false or null"
        )
    try:
        points = final.read_points(
            data.get("final_interview_points"), key_path(path, "final_interview_points")
        )
    except CaseError as error:
        raise VerdictsError("interview_point", error.path, error.message) from None
    if points:
        scored = final.interview_from_points(points)
        if interview is not None and interview != scored:
            raise VerdictsError(
                "interview_value", key_path(path, "final_interview"), "contradicts final_interview_points"
            )
        interview = scored
    statuses = {}
    for block, raw in blocks.items():
        where = item_path(key_path(path, "blocks"), block)
        if not isinstance(raw, Mapping) or set(raw) - {"validated", "on"}:
            raise VerdictsError("malformed", where, "expected an object with validated and on", block)
        validated = raw.get("validated")
        if not isinstance(validated, bool):
            raise VerdictsError("malformed", key_path(where, "validated"), "expected true or false", block)
        on = raw.get("on")
        when = None
        if on is not None or validated:
            try:
                when = date.fromisoformat(on if isinstance(on, str) else "")
            except ValueError:
                raise VerdictsError(
                    "block_date" if validated else "malformed",
                    key_path(where, "on"),
                    "expected the date YYYY-MM-DD the bloc was validated",
                    block,
                ) from None
            if when > today:
                raise VerdictsError(
                    "block_future",
                    key_path(where, "on"),
                    f"{when.isoformat()} is after the decision date {today.isoformat()}",
                    block,
                )
        statuses[block] = BlockStatus(validated, when)
    return Verdicts(blocks=statuses, final_interview=interview, interview_points=points)


@dataclass(frozen=True, slots=True)
class AutomatedLevel:
    """The candidate's automated result: its level and the day it was obtained."""

    level: str
    obtained_on: date


@dataclass(frozen=True, slots=True)
class DeliberationInput:
    """What the jury recorded and what the decision reads. ``consensus``: criterion → level
    (absent or ``None`` = not observed); ``oral_levels``: domain → level (absent or ``None`` =
    not assessed); ``policy``: the campaign's (the framework's default when it does not offer
    it); ``practice_source``: ``sheet`` or ``lower``; ``evidence``: the evidence declared in the
    dossier (requirement id → count or yes/no), read by the explicit constraints of competences
    (``rules.final.evidence``; ``None``: nothing declared)."""

    on: date
    consensus: Mapping[str, str | None] = field(default_factory=dict)
    oral_levels: Mapping[str, str | None] = field(default_factory=dict)
    verdicts: Verdicts = field(default_factory=Verdicts)
    automated: AutomatedLevel | None = None
    policy: str | None = None
    practice_source: str = SHEET
    evidence: Mapping[str, int | bool] | None = None


@dataclass(frozen=True, slots=True)
class PartLevel:
    """The level of one part (dossier, oral, practice) and why; ``None`` = no level."""

    level: str | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "reasons": list(self.reasons)}

    @classmethod
    def from_json(cls, data: Any) -> PartLevel | None:
        if not isinstance(data, Mapping):
            return None
        level = data.get("level")
        return cls(level if isinstance(level, str) and level else None, _strings(data.get("reasons")))


@dataclass(frozen=True, slots=True)
class Decision:
    """The final decision: a level (joint level only), an outcome (``None`` without a final
    rule), the reasons and, for competence and bloc decisions, the rule's details."""

    level: str | None
    outcome: str | None
    reasons: tuple[str, ...]
    details: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"level": self.level, "outcome": self.outcome, "reasons": list(self.reasons)}
        if self.details is not None:
            data["details"] = dict(self.details)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Decision:
        if not isinstance(data, Mapping):
            return cls(None, None, ())
        level, outcome, details = data.get("level"), data.get("outcome"), data.get("details")
        return cls(
            level if isinstance(level, str) and level else None,
            outcome if isinstance(outcome, str) and outcome else None,
            _strings(data.get("reasons")),
            dict(details) if isinstance(details, Mapping) else None,
        )


@dataclass(frozen=True, slots=True)
class DeliberationOutcome:
    """Levels and decision of a deliberation. ``practice`` and ``automated`` are read by the joint
    level only (``None`` for competence and bloc decisions)."""

    kind: str
    dossier: PartLevel | None
    oral: PartLevel | None
    practice: PartLevel | None
    automated: AutomatedLevel | None
    final: Decision

    @property
    def decides_by_verdicts(self) -> bool:
        return self.kind in (COMPETENCES, BLOCKS)

    def to_json(self) -> dict[str, Any]:
        """The shape stored in ``Deliberation.evaluation``."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.dossier is not None:
            data["dossier"] = self.dossier.to_json()
        if self.oral is not None:
            data["oral"] = self.oral.to_json()
        if not self.decides_by_verdicts:
            data["practice"] = None if self.practice is None else self.practice.to_json()
            data["automated"] = (
                None
                if self.automated is None
                else {"level": self.automated.level, "obtained_on": self.automated.obtained_on.isoformat()}
            )
        data["final"] = self.final.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any) -> DeliberationOutcome:
        """Read a stored evaluation; lenient (an empty or older evaluation reads as no levels)."""
        data = data if isinstance(data, Mapping) else {}
        kind = data.get("kind")
        automated = data.get("automated")
        found = None
        if isinstance(automated, Mapping) and isinstance(automated.get("level"), str):
            try:
                found = AutomatedLevel(
                    automated["level"], date.fromisoformat(automated.get("obtained_on", ""))
                )
            except (TypeError, ValueError):
                found = None
        return cls(
            kind=kind if kind in (JOINT_LEVEL, COMPETENCES, BLOCKS) else JOINT_LEVEL,
            dossier=PartLevel.from_json(data.get("dossier")),
            oral=PartLevel.from_json(data.get("oral")),
            practice=PartLevel.from_json(data.get("practice")),
            automated=found,
            final=Decision.from_json(data.get("final")),
        )


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        return ()
    return tuple(str(v) for v in value)


def _given(levels: Mapping[str, str | None]) -> dict[str, str | None]:
    return {k: v for k, v in levels.items() if v}


def practice_level(
    rules: RuleSet, dossier: PartLevel | None, oral: PartLevel | None, source: str
) -> PartLevel:
    """The practice level from the parts the framework has (see the module docstring)."""
    ladder = rules.ladder
    if dossier is not None and oral is not None:
        if source == LOWER:
            level = ladder.lower(oral.level, dossier.level) if oral.level and dossier.level else None
            why = "réglage de la campagne : le plus bas des niveaux du dossier et du bordereau"
        else:
            level = oral.level
            why = "réglage de la campagne : le niveau du bordereau d'entretien"
    elif dossier is not None:
        level = dossier.level
        why = "niveau de la grille du dossier, le référentiel n'ayant pas de bordereau d'entretien"
    elif oral is not None:
        level = oral.level
        why = "niveau du bordereau d'entretien, le référentiel n'ayant pas de grille de dossier"
    else:
        level = None
        why = "le référentiel n'a ni grille de dossier ni bordereau d'entretien"
    shown = ladder.label(level) if level else NO_LEVEL
    return PartLevel(level, (f"Niveau de pratique professionnelle ({why}) : {shown}",))


def evaluate_deliberation(rules: RuleSet, given: DeliberationInput) -> DeliberationOutcome:
    """Levels and French reasons of issue 3's rules: the dossier grid, the oral score sheet, the
    practice level and the final decision — joint level (policy, automated result), every
    competence validated, or every bloc held and the final interview passed."""
    kind = decision_kind(rules.final)
    dossier = oral = None
    if rules.dossier is not None:
        found = rules.dossier.evaluate(_given(given.consensus))
        dossier = PartLevel(found.level, found.reasons)
    if rules.oral is not None:
        found = rules.oral.evaluate(_given(given.oral_levels))
        oral = PartLevel(found.level, found.reasons)
    final = rules.final
    if isinstance(final, CompetenceRule | BlockRule):
        if isinstance(final, CompetenceRule):
            decided = final.evaluate(given.verdicts.competences, given.evidence)
        else:
            decided = final.evaluate(
                given.verdicts.blocks,
                given.verdicts.final_interview,
                given.on,
                given.verdicts.interview_points,
            )
        decision = Decision(None, decided.outcome, decided.reasons, dict(decided.details))
        return DeliberationOutcome(kind, dossier, oral, None, None, decision)
    practice = practice_level(rules, dossier, oral, given.practice_source)
    automated = given.automated
    if not isinstance(final, JointRule):
        decision = Decision(practice.level, None, practice.reasons)
        return DeliberationOutcome(kind, dossier, oral, practice, automated, decision)
    policy = given.policy if given.policy in final.policies else final.default_policy
    joint = final.evaluate(
        policy,
        given.on,
        None if automated is None else automated.level,
        None if automated is None else automated.obtained_on,
        practice.level,
    )
    decision = Decision(joint.level, joint.outcome, joint.reasons)
    return DeliberationOutcome(kind, dossier, oral, practice, automated, decision)


def evaluate_deliberation_case(rules: RuleSet, case: Mapping[str, Any]) -> Evaluation:
    """``certeval evaluate``'s ``deliberation`` component: ``{"component": "deliberation", "on":
    "YYYY-MM-DD", "policy": "joint" | "adjourn", "practice_source": "sheet" | "lower", "dossier":
    {criterion: level | null}, "oral": {domain: level | null}, "automated": {"level": …,
    "obtained_on": "YYYY-MM-DD"} | null, "verdicts": {…}, "evidence": {"<requirement id>": 2 |
    true}}``; all but ``component`` and ``on`` optional; ``evidence`` (the dossier's declared
    evidence) only for a framework whose competences have explicit constraints. The result's ``level``, ``outcome`` and ``reasons`` are the decision's; the other
    fields are the stored evaluation (``kind``, ``dossier``, ``oral``, ``practice``,
    ``automated``, ``final``)."""
    optional = ("policy", "practice_source", "dossier", "oral", "automated", "verdicts", "evidence")
    CASE.keys(case, "", ("component", "on"), optional)
    on = CASE.day(case["on"], "on")
    policy = None
    if case.get("policy") is not None:
        policy = CASE.choice(case["policy"], "policy", ("joint", "adjourn"))
    source = CASE.choice(case.get("practice_source", SHEET), "practice_source", PRACTICE_SOURCES)
    consensus = _levels(case, "dossier", rules.dossier is not None, rules)
    oral_levels = _levels(case, "oral", rules.oral is not None, rules)
    if rules.dossier is not None:
        rules.dossier.evaluate(consensus, "dossier")  # refuse unknown criteria or levels, with their path
    if rules.oral is not None:
        rules.oral.evaluate(oral_levels, "oral")
    automated = None
    if case.get("automated") is not None:
        raw = CASE.obj(case["automated"], "automated")
        CASE.keys(raw, "automated", ("level", "obtained_on"), ())
        level = CASE.level(raw["level"], "automated.level", rules.ladder, nullable=False)
        obtained_on = CASE.day(raw["obtained_on"], "automated.obtained_on")
        if obtained_on > on:
            raise CaseError(
                "automated.obtained_on",
                f"{obtained_on.isoformat()} is after the decision date {on.isoformat()}",
            )
        assert level is not None
        automated = AutomatedLevel(level, obtained_on)
    verdicts = parse_verdicts(rules.final, case.get("verdicts"), on)
    checks = rules.final.constraints if isinstance(rules.final, CompetenceRule) else ()
    if case.get("evidence") is not None and not checks:
        raise CaseError(
            "evidence", f"framework {rules.framework!r} has no explicit constraint of competences"
        )
    evidence = declared_evidence(checks, case.get("evidence"), "evidence")
    outcome = evaluate_deliberation(
        rules, DeliberationInput(on, consensus, oral_levels, verdicts, automated, policy, source, evidence)
    )
    decision = outcome.final
    return Evaluation(
        rules.framework, COMPONENT, decision.level, decision.outcome, decision.reasons, outcome.to_json()
    )


def _levels(case: Mapping[str, Any], key: str, known: bool, rules: RuleSet) -> dict[str, str | None]:
    if case.get(key) is None:
        return {}
    if not known:
        what = "dossier grid" if key == "dossier" else "oral score sheet"
        raise CaseError(key, f"framework {rules.framework!r} has no {what} rule")
    return dict(CASE.obj(case[key], key))
