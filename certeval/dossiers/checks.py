"""Pre-submission checks shown to the candidate as warnings (they never block the deposit).

The rules are the domain's: the framework's ``rules.constraints`` read by
:class:`certeval.domain.rules.constraints.ConstraintRule` (page range, character maximum), which
decides each finding. This module only gathers the figures — the page and character counts of the
current documents of the component each limit names — and words the findings in French. The
evidence checklist lists the framework's evidence requirements for the candidate to tick off,
unless the candidate declares them (``certeval.dossiers.evidence_selectors``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from certeval.domain.framework import Framework
from certeval.domain.loader import framework_from_dict, parse_yaml
from certeval.domain.rules.constraints import FAILED, OK, ConstraintRule, Finding, thousands
from certeval.domain.rules.titre_blocs import bloc_epreuves
from certeval.dossiers.models import DossierFile
from certeval.frameworks.models import FrameworkVersion


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool | None  # None: to be verified by the candidate
    message: str


_PARSED: dict[tuple[int, str], tuple[Framework, ConstraintRule | None]] = {}


def framework_rules(version: FrameworkVersion) -> tuple[Framework, ConstraintRule | None]:
    """The parsed référentiel of a published version and its dossier constraints (cached:
    versions never change)."""
    key = (version.pk, version.content_hash)
    if key not in _PARSED:
        framework = framework_from_dict(parse_yaml(version.source_yaml, f"{version.framework_id}.yaml"))
        data = framework.rules.get("constraints")
        rule = (
            None
            if data is None
            else ConstraintRule.from_mapping(data, framework=framework, path="rules.constraints")
        )
        _PARSED[key] = (framework, rule)
    return _PARSED[key]


def component_choices(version: FrameworkVersion, blocs: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The pieces of the dossier a document may be deposited for (those a limit applies to); for
    a title by blocs (``blocs``: those the candidate presents), the written productions of these
    blocs' épreuves (seed 003)."""
    framework, rule = framework_rules(version)
    if blocs is not None:
        labels = {d.id: d.id for d in framework.domains}
        return [
            (
                e.component.id,
                _("Bloc %(bloc)s — %(piece)s")
                % {"bloc": labels.get(e.bloc, e.bloc), "piece": e.component.deliverable or e.component.title},
            )
            for e in bloc_epreuves(framework, blocs)
            if not e.oral
        ]
    return [] if rule is None else list(rule.components)


def deposit_components(version: FrameworkVersion, blocs: Sequence[str] | None = None) -> set[str]:
    """Accepted values of ``DossierFile.component`` ("" for a file tied to no limited piece)."""
    return {"", *(component for component, _title in component_choices(version, blocs))}


def _documents_of(documents: list[DossierFile], component: str, sole: str | None) -> list[DossierFile]:
    """The documents of one component; with a single limited component, untagged documents
    count for it (the dossier is that piece)."""
    return [f for f in documents if (f.component or sole) == component]


def _total(files: list[DossierFile], attribute: str) -> tuple[int | None, list[str]]:
    known = [getattr(f, attribute) for f in files if getattr(f, attribute) is not None]
    unknown = [f.name for f in files if getattr(f, attribute) is None]
    return (sum(known) if known else None), unknown


def _ok(finding: Finding) -> bool | None:
    return True if finding.status == OK else (False if finding.status == FAILED else None)


def _worded(finding: Finding, *, label: str, expected: str, counted: str, unknown: list[str]) -> Check:
    if finding.value is None:
        message = _("Aucun document de cette pièce n'a de décompte ; attendu : %(expected)s.") % {
            "expected": expected
        }
    else:
        message = _("%(counted)s ; attendu : %(expected)s.") % {"counted": counted, "expected": expected}
    if unknown:
        message += " " + _("Non compté (format sans décompte) : %(names)s.") % {"names": ", ".join(unknown)}
    return Check(label=label, ok=_ok(finding), message=message)


def dossier_checks(
    *,
    version: FrameworkVersion,
    files: Iterable[DossierFile],
    declarable: bool = False,
    blocs: Sequence[str] | None = None,
) -> list[Check]:
    """Page and character checks, then the evidence checklist — left out when the candidate
    declares the evidence (``declarable``: the declarations section checks it); for a title by blocs
    (``blocs``: those presented), one check per written production of these blocs' épreuves and only
    their limits."""
    framework, rule = framework_rules(version)
    documents = [f for f in files if f.kind == DossierFile.Kind.DOCUMENT]
    checks: list[Check] = []
    if not documents:
        checks.append(Check(_("Document du dossier"), False, _("Aucun document n'est encore déposé.")))
    if blocs is not None:
        pieces = component_choices(version, blocs)
        for component, label in pieces:
            found = [f for f in documents if f.component == component]
            checks.append(
                Check(
                    label,
                    bool(found),
                    _("Déposé : %(names)s.") % {"names": ", ".join(f.name for f in found)}
                    if found
                    else _("Aucun document déposé pour cette pièce."),
                )
            )
        if rule is not None:
            rule = rule.only({component for component, _label in pieces})
    if rule is not None:
        sole = rule.components[0][0] if len(rule.components) == 1 and blocs is None else None
        pages, page_unknown = (
            _total(_documents_of(documents, rule.pages.component, sole), "page_count")
            if rule.pages
            else (None, [])
        )
        chars, char_unknown = (
            _total(_documents_of(documents, rule.characters.component, sole), "char_count")
            if rule.characters
            else (None, [])
        )
        for finding in rule.findings(pages, chars, {}):
            if finding.check == "pages" and rule.pages is not None:
                checks.append(
                    _worded(
                        finding,
                        label=_("Nombre de pages — %(piece)s") % {"piece": rule.pages.title},
                        expected=_("entre %(min)s et %(max)s pages")
                        % {"min": rule.pages.minimum, "max": rule.pages.maximum},
                        counted=_("%(n)s pages comptées") % {"n": pages},
                        unknown=page_unknown,
                    )
                )
            elif finding.check == "characters" and rule.characters is not None:
                checks.append(
                    _worded(
                        finding,
                        label=_("Caractères, espaces compris — %(piece)s") % {"piece": rule.characters.title},
                        expected=_("au plus %(max)s caractères")
                        % {"max": thousands(rule.characters.maximum)},
                        counted=_("%(n)s caractères comptés") % {"n": thousands(chars or 0)},
                        unknown=char_unknown,
                    )
                )
    for requirement in () if declarable else framework.evidence:
        label = (
            f"{requirement.competence} — {requirement.text}" if requirement.competence else requirement.text
        )
        message = (
            _("À vérifier : au moins %(n)s élément(s) attendu(s).") % {"n": requirement.minimum}
            if requirement.minimum
            else _("À vérifier dans votre dossier.")
        )
        checks.append(Check(label=label, ok=None, message=message))
    return checks
