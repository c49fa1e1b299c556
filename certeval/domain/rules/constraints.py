"""Dossier constraints and evidence requirements, as checks returning findings.

* ``pages`` — Pix+ Édu dossier, written format: 2 to 10 pages (seed 004, §6.3.1 « Précisions
  sur le dossier »); a digital-format dossier (``"pages": null``) is not subject to it.
* ``max_characters`` — professional title, bloc 4: at most 140,000 characters including spaces
  (seed 003).
* ``pages`` — professional title, bloc 3: the written synthesis of « quatre pages », read as at
  most 4 (seed 003; the reading is recorded in the framework's ``decisions``).
* ``evidence`` — requirements of the framework listed by id (Facilitateur DEP: ≥ 2 lived
  situations, ≥ 5 accompaniment paths, per-competence tools and learners' feedback, seed 001;
  langues C2: ≥ 2 platforms or tools, C5: GDPR compliance shown, seed 000).

Inputs are counts and declared items; a check whose input is absent is reported as not checked.
A dossier is compliant when no check fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from certeval.domain.framework import EvidenceRequirement, Framework
from certeval.domain.rules.errors import CaseError, index_path, item_path, key_path
from certeval.domain.rules.reading import CASE, RULES, kind_of
from certeval.domain.rules.result import Evaluation
from certeval.domain.rules.text import NBSP, count

COMPONENT = "constraints"
OK: Final = "ok"
FAILED: Final = "failed"
NOT_CHECKED: Final = "not_checked"
NOT_APPLICABLE: Final = "not_applicable"
STATUS_TEXT: Final = {
    OK: "conforme",
    FAILED: "non conforme",
    NOT_CHECKED: "non vérifié",
    NOT_APPLICABLE: "sans objet",
}


@dataclass(frozen=True, slots=True)
class PageLimit:
    minimum: int
    maximum: int
    component: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class CharacterLimit:
    maximum: int
    component: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    id: str
    text: str
    competence: str | None
    minimum: int  # 1 when the requirement states none
    kind: str  # count | item | boolean


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    status: str
    value: int | bool | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "status": self.status, "value": self.value}


def thousands(n: int) -> str:
    """``140000`` → ``140 000`` with a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")


def evidence_check(requirement: EvidenceRequirement) -> EvidenceCheck:
    """The check of one evidence requirement of the framework."""
    return EvidenceCheck(
        requirement.id, requirement.text, requirement.competence, requirement.minimum or 1, requirement.kind
    )


def evidence_findings(
    checks: tuple[EvidenceCheck, ...], evidence: Mapping[str, int | bool]
) -> tuple[Finding, ...]:
    """One finding per check against the declared ``evidence`` (requirement id → count or yes/no;
    an absent id is « non déclaré », not checked)."""
    findings: list[Finding] = []
    for check in checks:
        who = f"{check.competence}{NBSP}: " if check.competence else ""
        where = f"{who}{check.text.rstrip(' :.')}"
        value = evidence.get(check.id)
        if value is None:
            findings.append(Finding(check.id, NOT_CHECKED, None, f"{where} — non déclaré"))
        elif isinstance(value, bool):
            findings.append(
                Finding(check.id, OK if value else FAILED, value, f"{where} — {'oui' if value else 'non'}")
            )
        else:
            status = OK if value >= check.minimum else FAILED
            findings.append(
                Finding(
                    check.id,
                    status,
                    value,
                    f"{where} — {value} déclaré(s), au moins {check.minimum} attendu(s)",
                )
            )
    return tuple(findings)


def declared_evidence(checks: tuple[EvidenceCheck, ...], raw: Any, path: str) -> dict[str, int | bool]:
    """Read a case's ``evidence`` object (``{"<requirement id>": 3 | true | null}``) against the
    checks; ``null`` or an absent object declares nothing."""
    declared: dict[str, int | bool] = {}
    known = {check.id: check for check in checks}
    for evidence_id, value in CASE.obj({} if raw is None else raw, path).items():
        where = item_path(path, evidence_id)
        check = known.get(evidence_id)
        if check is None:
            raise CaseError(where, f"unknown evidence requirement (expected one of {', '.join(known)})")
        if value is None:
            continue
        if check.kind == "boolean" and not isinstance(value, bool):
            raise CaseError(where, f"expected true or false, got {kind_of(value)}")
        if check.kind == "count" and isinstance(value, bool):
            raise CaseError(where, "expected a count (an integer ≥ 0), got a boolean")
        declared[evidence_id] = value if isinstance(value, bool) else CASE.integer(value, where, 0)
    return declared


@dataclass(frozen=True, slots=True)
class ConstraintRule:
    framework: str
    pages: PageLimit | None
    characters: CharacterLimit | None
    evidence: tuple[EvidenceCheck, ...]

    @classmethod
    def from_mapping(cls, data: Any, *, framework: Framework, path: str) -> ConstraintRule:
        """From ``rules.constraints``: ``{pages?: {min, max, component, source},
        max_characters?: {max, component, source}, evidence?: [requirement ids]}``."""
        data = RULES.obj(data, path)
        RULES.keys(data, path, (), ("pages", "max_characters", "evidence"))
        components = {c.id: c.title for c in framework.components}
        pages = characters = None
        if "pages" in data:
            where = key_path(path, "pages")
            spec = RULES.obj(data["pages"], where)
            RULES.keys(spec, where, ("min", "max", "component", "source"), ())
            component = RULES.ident(
                spec["component"], key_path(where, "component"), list(components), "component"
            )
            pages = PageLimit(
                RULES.integer(spec["min"], key_path(where, "min"), 0),
                RULES.integer(spec["max"], key_path(where, "max"), 1),
                component,
                components[component],
                RULES.string(spec["source"], key_path(where, "source")),
            )
            if pages.minimum > pages.maximum:
                raise RULES.fail(where, f"min {pages.minimum} is greater than max {pages.maximum}")
        if "max_characters" in data:
            where = key_path(path, "max_characters")
            spec = RULES.obj(data["max_characters"], where)
            RULES.keys(spec, where, ("max", "component", "source"), ())
            component = RULES.ident(
                spec["component"], key_path(where, "component"), list(components), "component"
            )
            characters = CharacterLimit(
                RULES.integer(spec["max"], key_path(where, "max"), 1),
                component,
                components[component],
                RULES.string(spec["source"], key_path(where, "source")),
            )
        requirements = {e.id: e for e in framework.evidence}
        evidence = []
        where = key_path(path, "evidence")
        for i, evidence_id in enumerate(RULES.seq(data.get("evidence", ()), where)):
            req = requirements[
                RULES.ident(evidence_id, index_path(where, i), sorted(requirements), "evidence requirement")
            ]
            evidence.append(evidence_check(req))
        return cls(framework.id, pages, characters, tuple(evidence))

    def only(self, components: Iterable[str]) -> ConstraintRule:
        """The rule restricted to the limits of the given components (a title's candidate is
        checked only on the épreuves of the blocs they present, seed 003)."""
        kept = set(components)
        return replace(
            self,
            pages=self.pages if self.pages is not None and self.pages.component in kept else None,
            characters=(
                self.characters if self.characters is not None and self.characters.component in kept else None
            ),
        )

    @property
    def components(self) -> tuple[tuple[str, str], ...]:
        """The components whose documents a page or character limit applies to, as ``(id, title)``,
        pages first, each once: a deposited document is counted against its component's limits."""
        found: dict[str, str] = {}
        for limit in (self.pages, self.characters):
            if limit is not None:
                found.setdefault(limit.component, limit.title)
        return tuple(found.items())

    def evaluate(
        self,
        pages: int | None,
        characters: int | None,
        evidence: Mapping[str, int | bool],
        digital: bool = False,
    ) -> Evaluation:
        """Findings for the figures given (``None``: not given, not checked); ``digital`` marks a
        digital-format dossier; an evidence id absent from ``evidence`` is not checked."""
        findings = self.findings(pages, characters, evidence, digital)
        tally = {status: sum(f.status == status for f in findings) for status in STATUS_TEXT}
        reasons = [
            f"Contrôles du dossier : {count(len(findings), 'contrôle')} — {tally[OK]} conforme(s), "
            f"{tally[FAILED]} non conforme(s), {tally[NOT_CHECKED]} non vérifié(s), "
            f"{tally[NOT_APPLICABLE]} sans objet"
        ]
        reasons.extend(f"{f.text} : {STATUS_TEXT[f.status]}" for f in findings)
        details = {"compliant": tally[FAILED] == 0, "findings": [f.to_json() for f in findings]}
        return Evaluation(self.framework, COMPONENT, None, None, tuple(reasons), details)

    def findings(
        self,
        pages: int | None,
        characters: int | None,
        evidence: Mapping[str, int | bool],
        digital: bool = False,
    ) -> tuple[Finding, ...]:
        """One finding per check, in the order pages, characters, evidence (see :meth:`evaluate`)."""
        findings: list[Finding] = []
        if self.pages is not None:
            limit = self.pages
            where = f"{limit.title} ({limit.source})"
            expected = f"entre {limit.minimum} et {limit.maximum} pages attendues"
            if digital:
                findings.append(
                    Finding(
                        "pages",
                        NOT_APPLICABLE,
                        None,
                        f"{where} : format numérique, la limite de pages "
                        f"({expected}) ne vaut que pour le format écrit",
                    )
                )
            elif isinstance(pages, int):
                status = OK if limit.minimum <= pages <= limit.maximum else FAILED
                findings.append(
                    Finding("pages", status, pages, f"{where} : {count(pages, 'page')}, {expected}")
                )
            else:
                findings.append(
                    Finding("pages", NOT_CHECKED, None, f"{where} : nombre de pages non fourni, {expected}")
                )
        if self.characters is not None:
            limit_c = self.characters
            where = f"{limit_c.title} ({limit_c.source})"
            expected = f"au plus {thousands(limit_c.maximum)} caractères espaces compris"
            if characters is None:
                findings.append(
                    Finding(
                        "characters",
                        NOT_CHECKED,
                        None,
                        f"{where} : nombre de caractères non fourni, {expected}",
                    )
                )
            else:
                status = OK if characters <= limit_c.maximum else FAILED
                findings.append(
                    Finding(
                        "characters",
                        status,
                        characters,
                        f"{where} : {thousands(characters)} caractères, {expected}",
                    )
                )
        findings.extend(evidence_findings(self.evidence, evidence))
        return tuple(findings)

    def evaluate_case(self, case: Mapping[str, Any]) -> Evaluation:
        """``{"component": "constraints", "pages": 7 | null, "characters": 120000,
        "evidence": {"<requirement id>": 3 | true, …}}``, every field optional and only those
        the framework declares allowed; ``"pages": null`` is a digital-format dossier."""
        optional = [
            *(["pages"] if self.pages else []),
            *(["characters"] if self.characters else []),
            *(["evidence"] if self.evidence else []),
        ]
        CASE.keys(case, "", ("component",), optional)
        digital = "pages" in case and case["pages"] is None
        pages = None if digital or "pages" not in case else CASE.integer(case["pages"], "pages", 0)
        characters = (
            None if case.get("characters") is None else CASE.integer(case["characters"], "characters", 0)
        )
        declared = declared_evidence(self.evidence, case.get("evidence", {}), "evidence")
        return self.evaluate(pages, characters, declared, digital)
