"""Oral score sheet, Annexe 4 of seed 004: a level per domain, the level obtained is the one on
which the candidate is positioned in the majority (§6.3.1). Domains may be left unassessed
(``null``): « Toutes les compétences ne seront pas évaluées lors de l'entretien ».

The seed does not settle a tie between levels with the same number of domains: the
``tie_break`` setting picks the ``lower`` (default) or the ``higher`` of the tied levels, and the
reasons say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from certeval.domain.framework import ScoreSheet
from certeval.domain.rules.errors import CaseError, item_path, key_path
from certeval.domain.rules.ladder import Ladder
from certeval.domain.rules.reading import CASE, RULES
from certeval.domain.rules.result import Evaluation
from certeval.domain.rules.text import count, enumerate_fr, quoted

COMPONENT = "oral"
TIE_BREAKS: Final = ("lower", "higher")
DEFAULT_TIE_BREAK: Final = "lower"


@dataclass(frozen=True, slots=True)
class OralRule:
    framework: str
    sheet: str
    title: str
    domains: tuple[str, ...]
    tie_break: str
    source: str
    ladder: Ladder

    @classmethod
    def from_mapping(
        cls, data: Any, *, framework: str, ladder: Ladder, sheets: Sequence[ScoreSheet], path: str
    ) -> OralRule:
        """From ``rules.oral_sheet``: ``{sheet, tie_break: lower | higher, source}``."""
        data = RULES.obj(data, path)
        RULES.keys(data, path, ("sheet", "source"), ("tie_break",))
        by_id = {sheet.id: sheet for sheet in sheets}
        sheet = by_id[RULES.ident(data["sheet"], key_path(path, "sheet"), list(by_id), "score sheet")]
        return cls(
            framework=framework,
            sheet=sheet.id,
            title=sheet.title,
            domains=sheet.domains,
            tie_break=RULES.choice(
                data.get("tie_break", DEFAULT_TIE_BREAK), key_path(path, "tie_break"), TIE_BREAKS
            ),
            source=RULES.string(data["source"], key_path(path, "source")),
            ladder=ladder,
        )

    def evaluate(self, positions: Mapping[str, str | None], path: str = "domains") -> Evaluation:
        """Level from ``{domain id: level id or None}``; absent or ``None`` = not assessed."""
        ladder = self.ladder
        by_level: dict[str, list[str]] = {}
        for domain, level in positions.items():
            if domain not in self.domains:
                raise CaseError(
                    item_path(path, domain), f"unknown domain (expected one of {', '.join(self.domains)})"
                )
            checked = CASE.level(level, item_path(path, domain), ladder, nullable=True)
            if checked is not None:
                by_level.setdefault(checked, []).append(domain)
        assessed = sum(len(domains) for domains in by_level.values())
        header = (
            f"Bordereau {quoted(self.title)} ({self.source}) : "
            f"le niveau obtenu est celui sur lequel le candidat "
            f"est majoritairement positionné"
        )
        details: dict[str, Any] = {
            "sheet": self.sheet,
            "assessed": assessed,
            "counts": {level: len(by_level.get(level, ())) for level in ladder.ids},
            "tie": [],
            "tie_break": self.tie_break,
            "source": self.source,
        }
        if not assessed:
            none = (header, "Aucun domaine n'est positionné : aucun niveau n'est attribué")
            return Evaluation(self.framework, COMPONENT, None, None, none, details)
        ordered = sorted(by_level, key=ladder.rank, reverse=True)
        spread = " ; ".join(
            f"{ladder.label(level)} pour {count(len(by_level[level]), 'domaine')} "
            f"({enumerate_fr(by_level[level])})"
            for level in ordered
        )
        reasons = [f"{header} ; {count(assessed, 'domaine positionné', 'domaines positionnés')} : {spread}"]
        most = max(len(domains) for domains in by_level.values())
        tied = [level for level in ordered if len(by_level[level]) == most]
        level = tied[-1] if self.tie_break == "lower" else tied[0]
        if len(tied) > 1:
            details["tie"] = sorted(tied, key=ladder.rank)
            names = enumerate_fr([ladder.label(t) for t in reversed(tied)])
            which = "le plus bas" if self.tie_break == "lower" else "le plus élevé"
            reasons.append(
                f"Égalité entre {names} ({count(most, 'domaine')} chacun) ; les sources ne tranchent pas, "
                f"le paramètre de départage ({self.tie_break}) retient {which} : niveau {ladder.label(level)}"
            )
        else:
            reasons.append(
                f"Niveau majoritaire {ladder.label(level)} ({most} domaine{'s' if most > 1 else ''} "
                f"sur {assessed}) : niveau {ladder.label(level)}"
            )
        return Evaluation(self.framework, COMPONENT, level, None, tuple(reasons), details)

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "oral", "domains": {"1": "avance", "2": null, …}}``."""
        CASE.keys(case, "", ("component", "domains"), ())
        return self.evaluate(CASE.obj(case["domains"], "domains"))
