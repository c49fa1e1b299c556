"""Reads of the evidence a candidate declares in their dossier (seeds 000 and 001).

The requirements a candidate declares are those of the référentiel's ``rules.constraints.evidence``
that belong to a competence or to a dossier component (the livrables of langues' épreuve 1, the
Facilitateur DEP's introduction, situations, accompaniment paths, « au moins un » items and
conclusion); those of an oral or interview component are observed by the jury, not declared.
The counts are checked by the domain (:func:`certeval.domain.rules.constraints.evidence_findings`),
and the same declared values feed the deliberation's explicit constraints (``rules.final.evidence``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from certeval.campaigns.models import Enrolment
from certeval.domain.rules.constraints import (
    FAILED,
    NOT_CHECKED,
    OK,
    EvidenceCheck,
    Finding,
    evidence_findings,
)
from certeval.dossiers.checks import framework_rules
from certeval.dossiers.models import Dossier, EvidenceDeclaration
from certeval.frameworks.models import FrameworkVersion

DOSSIER_KINDS = ("dossier",)


@dataclass(frozen=True)
class Requirement:
    """A declarable evidence requirement, with the competence it belongs to (``None``: the
    dossier as a whole) and whether it is an explicit constraint of the decision."""

    check: EvidenceCheck
    competence_title: str
    component_title: str
    decisive: bool

    @property
    def id(self) -> str:
        return self.check.id

    @property
    def label(self) -> str:
        prefix = self.check.competence or self.component_title
        return f"{prefix} — {self.check.text.rstrip(' :')}"


def declarable_requirements(version: FrameworkVersion) -> list[Requirement]:
    """The evidence requirements a candidate declares for this référentiel, in its order."""
    framework, rule = framework_rules(version)
    if rule is None:
        return []
    titles = {c.id: c.title for c in framework.competences}
    owner: dict[str, str] = {}
    for component in framework.components:
        for requirement in component.evidence:
            owner[requirement.id] = component.kind
    component_title = {e.id: c.title for c in framework.components for e in c.evidence}
    # The explicit constraints of competences (``rules.final.evidence``, read by
    # :class:`certeval.domain.rules.final.CompetenceRule`; checked when the version was published).
    final = framework.rules.get("final") or {}
    decisive = set(final.get("evidence", ())) if final.get("kind") == "competences" else set()
    return [
        Requirement(
            check=check,
            competence_title=titles.get(check.competence or "", ""),
            component_title=component_title.get(check.id, ""),
            decisive=check.id in decisive,
        )
        for check in rule.evidence
        if owner.get(check.id, "dossier") in DOSSIER_KINDS
    ]


def current_declarations(dossier: Dossier | None) -> list[EvidenceDeclaration]:
    if dossier is None or dossier.pk is None:
        return []
    return list(dossier.declarations.current().select_related("file"))


def counts(declaration: EvidenceDeclaration) -> bool:
    """A declaration counts while the file it points at is still in the dossier."""
    return declaration.file.is_current


def declared_values(
    requirements: Iterable[Requirement], declarations: Iterable[EvidenceDeclaration]
) -> dict[str, int | bool]:
    """Requirement id → the declared count (``count`` and ``item`` kinds: the sum of the counts
    of the declarations that count) or whether it is shown (``boolean``). A requirement with no
    declaration is absent (« non déclaré »)."""
    kinds = {r.id: r.check.kind for r in requirements}
    values: dict[str, int | bool] = {}
    for declaration in declarations:
        kind = kinds.get(declaration.requirement)
        if kind is None or not counts(declaration):
            continue
        if kind == "boolean":
            values[declaration.requirement] = True
        else:
            values[declaration.requirement] = int(values.get(declaration.requirement, 0)) + declaration.count
    return values


def deposit_findings(
    requirements: list[Requirement], declarations: Iterable[EvidenceDeclaration]
) -> list[tuple[Requirement, Finding]]:
    """Each declarable requirement with the domain's finding on what is declared."""
    values = declared_values(requirements, declarations)
    findings = evidence_findings(tuple(r.check for r in requirements), values)
    return list(zip(requirements, findings, strict=True))


def enrolment_evidence(enrolment: Enrolment, version: FrameworkVersion) -> dict[str, int | bool]:
    """The evidence declared in the enrolment's dossier (``version``: its campaign's référentiel),
    as the deliberation reads it; no query when the référentiel has no declarable evidence."""
    requirements = declarable_requirements(version)
    if not requirements:
        return {}
    dossier = Dossier.objects.filter(enrolment=enrolment).first()
    return declared_values(requirements, current_declarations(dossier))


def status_label(status: str) -> str:
    return {OK: _("Conforme"), FAILED: _("Insuffisant"), NOT_CHECKED: _("Non déclaré")}.get(status, status)


@dataclass
class RequirementRow:
    requirement: Requirement
    finding: Finding
    status: str
    declarations: list[EvidenceDeclaration] = field(default_factory=list)


@dataclass
class Group:
    title: str
    rows: list[RequirementRow] = field(default_factory=list)


def evidence_groups(
    requirements: list[Requirement], declarations: list[EvidenceDeclaration]
) -> tuple[list[Group], list[RequirementRow]]:
    """The requirements grouped by competence (the dossier as a whole first), each with its
    finding and declarations; and the rows not met (missing or insufficient)."""
    groups: dict[str, Group] = {}
    missing: list[RequirementRow] = []
    for requirement, finding in deposit_findings(requirements, declarations):
        title = (
            f"{requirement.check.competence} — {requirement.competence_title}"
            if requirement.check.competence
            else requirement.component_title or _("Ensemble du dossier")
        )
        row = RequirementRow(
            requirement,
            finding,
            status_label(finding.status),
            [d for d in declarations if d.requirement == requirement.id],
        )
        groups.setdefault(title, Group(title)).rows.append(row)
        if finding.status != OK:
            missing.append(row)
    return list(groups.values()), missing


def evidence_for_readers(enrolment: Enrolment, version: FrameworkVersion) -> list[Group]:
    """The declared evidence of an enrolment's dossier (``version``: its campaign's référentiel)
    grouped by competence, for the jurors and the president (empty, with no query, when the
    référentiel has no declarable evidence)."""
    requirements = declarable_requirements(version)
    if not requirements:
        return []
    dossier = Dossier.objects.filter(enrolment=enrolment).first()
    groups, _missing = evidence_groups(requirements, current_declarations(dossier))
    return groups
