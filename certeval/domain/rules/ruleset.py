"""Every rule of one framework, read once from its ``rules:`` section, and the dispatch of a case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from certeval.domain.framework import Framework
from certeval.domain.rules.automated import AutomatedRule
from certeval.domain.rules.constraints import ConstraintRule
from certeval.domain.rules.deliberation import COMPONENT as DELIBERATION
from certeval.domain.rules.deliberation import evaluate_deliberation_case
from certeval.domain.rules.errors import CaseError
from certeval.domain.rules.final import FinalRule, final_from_mapping
from certeval.domain.rules.grid import GridRule
from certeval.domain.rules.ladder import Ladder
from certeval.domain.rules.oral import OralRule
from certeval.domain.rules.reading import CASE, RULES
from certeval.domain.rules.result import Evaluation

SECTIONS = ("dossier_grid", "oral_sheet", "automated", "final", "constraints")


@dataclass(frozen=True, slots=True)
class RuleSet:
    framework: str
    ladder: Ladder
    dossier: GridRule | None
    oral: OralRule | None
    automated: AutomatedRule | None
    final: FinalRule | None
    constraints: ConstraintRule | None

    @classmethod
    def from_framework(cls, framework: Framework, others: Mapping[str, Framework] | None = None) -> RuleSet:
        """Read ``framework.rules``; ``others`` holds the frameworks an automated part may name
        (``parts.crcn.framework: crcn``). Raises :class:`RulesError` naming the faulty path."""
        rules = RULES.obj(framework.rules, "rules")
        RULES.keys(rules, "rules", (), SECTIONS)
        ladder = Ladder.from_scale(framework.scale)
        fid = framework.id
        dossier = oral = automated = final = constraints = None
        if "dossier_grid" in rules:
            dossier = GridRule.from_mapping(
                rules["dossier_grid"],
                framework=fid,
                ladder=ladder,
                grids=framework.grids,
                path="rules.dossier_grid",
            )
        if "oral_sheet" in rules:
            oral = OralRule.from_mapping(
                rules["oral_sheet"],
                framework=fid,
                ladder=ladder,
                sheets=framework.score_sheets,
                path="rules.oral_sheet",
            )
        if "automated" in rules:
            automated = AutomatedRule.from_mapping(
                rules["automated"],
                framework=framework,
                others=others or {},
                ladder=ladder,
                path="rules.automated",
            )
        if "final" in rules:
            final = final_from_mapping(
                rules["final"],
                framework=framework,
                ladder=ladder,
                validity_years=None if automated is None else automated.validity_years,
                path="rules.final",
            )
        if "constraints" in rules:
            constraints = ConstraintRule.from_mapping(
                rules["constraints"], framework=framework, path="rules.constraints"
            )
        return cls(fid, ladder, dossier, oral, automated, final, constraints)

    @property
    def components(self) -> dict[str, GridRule | OralRule | AutomatedRule | FinalRule | ConstraintRule]:
        """The case components this framework can evaluate, each with its rule."""
        pairs = (
            ("dossier", self.dossier),
            ("oral", self.oral),
            ("automated", self.automated),
            ("final", self.final),
            ("constraints", self.constraints),
        )
        return {name: rule for name, rule in pairs if rule is not None}

    def evaluate(self, case: Any) -> Evaluation:
        """Evaluate a parsed case JSON (a component, or a whole ``deliberation``, see
        :mod:`certeval.domain.rules.deliberation`); raises :class:`CaseError` naming where it is wrong."""
        case = CASE.obj(case, "")
        if "component" not in case:
            raise CaseError("component", "required key is missing")
        rules = self.components
        component = case["component"]
        if component == DELIBERATION:
            return evaluate_deliberation_case(self, case)
        if not isinstance(component, str) or component not in rules:
            shown = repr(component) if isinstance(component, str) else "a non-string value"
            raise CaseError(
                "component",
                f"unknown component {shown} for framework {self.framework!r} "
                f"(expected one of {', '.join([*rules, DELIBERATION])})",
            )
        return rules[component].evaluate_case(case)
