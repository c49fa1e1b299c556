"""YAML → :class:`Framework`, with errors that name the file, the path and the fix.

Validation runs in two passes: the JSON Schema (``schema/framework.schema.json``) checks the
shape (keys, types, id syntax); the semantic pass checks what a schema cannot express
(unique ids, references to levels, competences, grids, components, score sheets and domains,
one descriptor per grid level).  Every problem found is reported, not only the first one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from certeval.domain.framework import (
    AssessmentComponent,
    Competence,
    Criterion,
    Domain,
    EvidenceRequirement,
    Framework,
    GridItem,
    GridPhase,
    Group,
    Level,
    Scale,
    ScoreSheet,
    ScoringGrid,
    Source,
    freeze,
)

SCHEMA_PATH = Path(__file__).parent / "schema" / "framework.schema.json"

type PathPart = str | int


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message} — {self.fix}"


class FrameworkError(ValueError):
    """One or more problems in a framework file; ``str()`` lists one problem per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(parts: Iterable[PathPart]) -> str:
    """``['grids', 0, 'phases']`` → ``grids[0].phases``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """Safe loader (libyaml's when available, ten times faster) that refuses a key repeated
    in the same mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text; syntax errors become a :class:`FrameworkError` with line and column."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if "duplicate key" in (exc.problem or ""):
            fix = "keep a single occurrence of the key in this mapping"
        else:
            fix = "fix the YAML syntax at that position (indentation, quotes, a missing ':' or '-')"
        raise FrameworkError([Problem(file, where, message, fix)]) from exc
    except yaml.YAMLError as exc:
        raise FrameworkError([Problem(file, "", f"YAML error: {exc}", "fix the YAML syntax")]) from exc


def load_framework(path: str | Path) -> Framework:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(
            [Problem(path.name, "", f"cannot read the file: {exc}", "check the path")]
        ) from exc
    return framework_from_dict(parse_yaml(text, path.name), path.name)


def load_frameworks(directory: str | Path) -> list[Framework]:
    """Every ``*.yaml`` of a directory, sorted by file name; problems of all files reported together."""
    problems: list[Problem] = []
    frameworks: list[Framework] = []
    files: dict[str, str] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            framework = load_framework(path)
        except FrameworkError as exc:
            problems.extend(exc.problems)
            continue
        if framework.id in files:
            problems.append(
                Problem(
                    path.name,
                    "id",
                    f"duplicate framework id {framework.id!r} (also in {files[framework.id]})",
                    "give each framework file its own id",
                )
            )
        files[framework.id] = path.name
        frameworks.append(framework)
    by_id = {fw.id: fw for fw in frameworks}
    for framework in frameworks:
        problems.extend(_cross_framework_problems(framework, files[framework.id], by_id))
    if problems:
        raise FrameworkError(problems)
    return frameworks


def _cross_framework_problems(
    framework: Framework, file: str, by_id: Mapping[str, Framework]
) -> list[Problem]:
    problems: list[Problem] = []
    parts = framework.rules.get("automated", {}).get("parts", {})
    for name, part in parts.items():
        other_id = part.get("framework")
        if other_id is None:
            continue
        path = f"rules.automated.parts.{name}"
        other = by_id.get(other_id)
        if other is None:
            problems.append(
                Problem(
                    file,
                    f"{path}.framework",
                    f"unknown framework {other_id!r}",
                    f"use one of: {', '.join(sorted(by_id))}",
                )
            )
            continue
        known = {d.id for d in other.domains}
        for i, domain_id in enumerate(part["domains"]):
            if domain_id not in known:
                problems.append(
                    Problem(
                        file,
                        f"{path}.domains[{i}]",
                        f"unknown domain {domain_id!r} of framework {other_id!r}",
                        f"use one of: {', '.join(sorted(known))}",
                    )
                )
    return problems


def framework_from_dict(data: Any, file: str = "<data>") -> Framework:
    """Validate a parsed YAML document and build the framework, or raise :class:`FrameworkError`."""
    problems = schema_problems(data, file)
    if not problems:
        problems = _Checker(data, file).run()
    if problems:
        raise FrameworkError(problems)
    return _build(data)


# --- schema pass -----------------------------------------------------------------------------

_ID_HELP = "an id made of letters, digits, '.', '_' or '-' (e.g. '1.1', 'Cr2.1'); quote numbers: '1'"
_SLUG_HELP = "an ASCII slug in lower case with dashes (e.g. 'avance', 'non-acquis')"


def schema_problems(data: Any, file: str) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems: list[Problem] = []
    for error in errors:
        problems.extend(_schema_problem(error, file))
    return problems


def _schema_problem(error: ValidationError, file: str) -> list[Problem]:
    parts: list[PathPart] = list(error.absolute_path)
    path = format_path(parts)
    kind = error.validator
    instance = error.instance
    if kind == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        key = match.group(1) if match else str(error.validator_value)
        return [
            Problem(
                file,
                format_path([*parts, key]),
                f"missing required key {key!r}",
                f"add '{key}:' to {path or 'the top level'}",
            )
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = [k for k in instance if k not in allowed]
        return [
            Problem(
                file,
                format_path([*parts, key]),
                f"unknown key {key!r}",
                _unknown_key_fix(parts, key, allowed),
            )
            for key in unknown
        ]
    if kind == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
        fix = f"write a value of type {expected_text}"
        if "string" in expected_text and isinstance(instance, (int, float)):
            fix += f" (quote it: '{instance}')"
        return [
            Problem(file, path, f"expected {expected_text}, got {type(instance).__name__} {instance!r}", fix)
        ]
    if kind == "pattern":
        help_text = _SLUG_HELP if "a-z0-9]+(-" in str(error.validator_value) else _ID_HELP
        return [Problem(file, path, f"invalid id {instance!r}", f"use {help_text}")]
    if kind == "propertyNames":
        return [Problem(file, path, f"invalid key {instance!r}", f"use {_SLUG_HELP}")]
    if kind == "enum":
        choices = ", ".join(repr(v) for v in error.validator_value)
        return [Problem(file, path, f"invalid value {instance!r}", f"use one of: {choices}")]
    if kind in ("minItems", "minProperties"):
        return [Problem(file, path, "must not be empty", "add at least one entry")]
    if kind == "minLength":
        return [Problem(file, path, "empty text", "write the text or remove the key")]
    if kind in ("minimum", "maximum"):
        return [
            Problem(
                file,
                path,
                f"value {instance!r} out of range ({error.message})",
                f"use a value {'≥' if kind == 'minimum' else '≤'} {error.validator_value}",
            )
        ]
    return [
        Problem(file, path, error.message, "make the value match the format described in docs/frameworks.md")
    ]


def _unknown_key_fix(parts: list[PathPart], key: str, allowed: list[str]) -> str:
    if key == "criteria" and (len(parts) == 0 or parts[0] == "domains") and "competences" not in parts:
        return "criteria belong to a competence: move them under domains[i].competences[j].criteria"
    return f"remove it or check its spelling; allowed keys: {', '.join(allowed)}"


# --- semantic pass ---------------------------------------------------------------------------


class _Checker:
    def __init__(self, data: dict[str, Any], file: str) -> None:
        self.data = data
        self.file = file
        self.problems: list[Problem] = []
        self.levels = [level["id"] for level in data["levels"]]
        self.level_set = set(self.levels)

    def add(self, parts: Sequence[PathPart], message: str, fix: str) -> None:
        self.problems.append(Problem(self.file, format_path(parts), message, fix))

    def unique(self, entries: Iterable[tuple[Sequence[PathPart], str]], what: str) -> set[str]:
        seen: dict[str, str] = {}
        for parts, entry_id in entries:
            if entry_id in seen:
                self.add(
                    [*parts, "id"],
                    f"duplicate {what} id {entry_id!r} (first at {seen[entry_id]})",
                    f"give this {what} another id or remove the duplicate",
                )
            else:
                seen[entry_id] = format_path(parts)
        return set(seen)

    def ref(self, parts: Sequence[PathPart], value: str | None, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value is not None and value not in known:
            choices = ", ".join(repr(k) for k in known) or "none declared"
            self.add(parts, f"unknown {what} {value!r}", f"use one of: {choices}")

    def level(self, parts: Sequence[PathPart], value: str | None) -> None:
        self.ref(parts, value, self.levels, "level")

    def descriptor_levels(self, parts: Sequence[PathPart], descriptors: Mapping[str, str]) -> None:
        for level_id in descriptors:
            if level_id not in self.level_set:
                self.add(
                    [*parts, level_id],
                    f"descriptor for unknown level {level_id!r}",
                    f"use one of the framework levels: {', '.join(self.levels)}",
                )

    def run(self) -> list[Problem]:
        d = self.data
        self.unique(((["levels", i], lv["id"]) for i, lv in enumerate(d["levels"])), "level")
        groups = self.unique(((["groups", i], g["id"]) for i, g in enumerate(d.get("groups", []))), "group")
        domains = self.unique(((["domains", i], dm["id"]) for i, dm in enumerate(d["domains"])), "domain")
        for i, domain in enumerate(d["domains"]):
            self.ref(["domains", i, "group"], domain.get("group"), sorted(groups), "group")
        competences = self._competences()
        evidence = self._evidence(competences)
        grids = self._grids()
        components = self._components(grids, domains, competences)
        sheets = self.unique(
            ((["score_sheets", i], s["id"]) for i, s in enumerate(d.get("score_sheets", []))), "score sheet"
        )
        for i, sheet in enumerate(d.get("score_sheets", [])):
            self.descriptor_levels(["score_sheets", i, "level_texts"], sheet.get("level_texts", {}))
            for j, domain_id in enumerate(sheet["domains"]):
                self.ref(
                    ["score_sheets", i, "domains", j], domain_id, [dm["id"] for dm in d["domains"]], "domain"
                )
        self._rules(d.get("rules", {}), grids, sheets, components, evidence)
        return self.problems

    def _competences(self) -> list[str]:
        entries: list[tuple[Sequence[PathPart], str]] = []
        criteria: list[tuple[Sequence[PathPart], str]] = []
        for i, domain in enumerate(self.data["domains"]):
            for j, competence in enumerate(domain["competences"]):
                cpath: list[PathPart] = ["domains", i, "competences", j]
                entries.append((cpath, competence["id"]))
                self.descriptor_levels([*cpath, "descriptors"], competence.get("descriptors", {}))
                for k, criterion in enumerate(competence.get("criteria", [])):
                    criteria.append(([*cpath, "criteria", k], criterion["id"]))
                    self.descriptor_levels(
                        [*cpath, "criteria", k, "descriptors"], criterion.get("descriptors", {})
                    )
                for k, requirement in enumerate(competence.get("evidence", [])):
                    named = requirement.get("competence")
                    if named is not None and named != competence["id"]:
                        self.add(
                            [*cpath, "evidence", k, "competence"],
                            f"evidence under competence {competence['id']!r} names competence {named!r}",
                            "move it under the competence it names, or remove the 'competence' key",
                        )
        self.unique(criteria, "criterion")
        self.unique(entries, "competence")
        return [cid for _, cid in entries]

    def _evidence(self, competences: list[str]) -> set[str]:
        entries: list[tuple[Sequence[PathPart], str]] = []
        for i, domain in enumerate(self.data["domains"]):
            for j, competence in enumerate(domain["competences"]):
                for k, requirement in enumerate(competence.get("evidence", [])):
                    entries.append((["domains", i, "competences", j, "evidence", k], requirement["id"]))
        for i, component in enumerate(self.data.get("components", [])):
            for k, requirement in enumerate(component.get("evidence", [])):
                entries.append((["components", i, "evidence", k], requirement["id"]))
                self.ref(
                    ["components", i, "evidence", k, "competence"],
                    requirement.get("competence"),
                    competences,
                    "competence",
                )
        return self.unique(entries, "evidence")

    def _grids(self) -> dict[str, int]:
        grids = self.data.get("grids", [])
        self.unique(((["grids", i], g["id"]) for i, g in enumerate(grids)), "grid")
        sizes: dict[str, int] = {}
        for i, grid in enumerate(grids):
            gpath: list[PathPart] = ["grids", i]
            levels = grid["levels"]
            for j, level_id in enumerate(levels):
                self.level(["grids", i, "levels", j], level_id)
            if len(set(levels)) != len(levels):
                self.add([*gpath, "levels"], "a level is listed twice", "list each level once")
            phases, items, criteria = [], [], []
            for p, phase in enumerate(grid["phases"]):
                phases.append(([*gpath, "phases", p], phase["id"]))
                for q, item in enumerate(phase["items"]):
                    ipath: list[PathPart] = [*gpath, "phases", p, "items", q]
                    items.append((ipath, item["id"]))
                    for r, criterion in enumerate(item["criteria"]):
                        crpath: list[PathPart] = [*ipath, "criteria", r]
                        criteria.append((crpath, criterion["id"]))
                        self._grid_descriptors(
                            [*crpath, "descriptors"], levels, criterion.get("descriptors", {})
                        )
            self.unique(phases, "phase")
            self.unique(items, "item")
            self.unique(criteria, "grid criterion")
            sizes.setdefault(grid["id"], len(criteria))
        return sizes

    def _grid_descriptors(
        self, parts: list[PathPart], levels: list[str], descriptors: Mapping[str, str]
    ) -> None:
        self.descriptor_levels(parts, descriptors)
        for level_id in levels:
            if level_id not in descriptors:
                self.add(
                    parts,
                    f"missing descriptor for level {level_id!r}",
                    f"add a text for {level_id!r} or remove the level from the grid",
                )
        for level_id in descriptors:
            if level_id in self.level_set and level_id not in levels:
                self.add(
                    [*parts, level_id],
                    f"descriptor for level {level_id!r} which the grid does not list",
                    f"add {level_id!r} to the grid's levels or remove this descriptor",
                )

    def _components(self, grids: Mapping[str, int], domains: set[str], competences: list[str]) -> set[str]:
        components = self.data.get("components", [])
        ids = self.unique(((["components", i], c["id"]) for i, c in enumerate(components)), "component")
        for i, component in enumerate(components):
            self.ref(["components", i, "grid"], component.get("grid"), list(grids), "grid")
            for j, domain_id in enumerate(component.get("assesses", [])):
                self.ref(["components", i, "assesses", j], domain_id, sorted(domains), "domain")
        return ids

    def _rules(
        self,
        rules: Mapping[str, Any],
        grids: Mapping[str, int],
        sheets: set[str],
        components: set[str],
        evidence: set[str],
    ) -> None:
        if "dossier_grid" in rules:
            rule = rules["dossier_grid"]
            self.ref(["rules", "dossier_grid", "grid"], rule["grid"], list(grids), "grid")
            size = grids.get(rule["grid"])
            if size is not None and rule["min_criteria"] > size:
                self.add(
                    ["rules", "dossier_grid", "min_criteria"],
                    f"{rule['min_criteria']} criteria required but the grid has {size}",
                    f"use a number ≤ {size}",
                )
            for i, step in enumerate(rule["cascade"]):
                self.level(["rules", "dossier_grid", "cascade", i, "level"], step["level"])
                self.level(["rules", "dossier_grid", "cascade", i, "floor"], step["floor"])
        if "oral_sheet" in rules:
            self.ref(
                ["rules", "oral_sheet", "sheet"], rules["oral_sheet"]["sheet"], sorted(sheets), "score sheet"
            )
        if "automated" in rules:
            own_domains = [dm["id"] for dm in self.data["domains"]]
            for name, part in rules["automated"]["parts"].items():
                ppath: list[PathPart] = ["rules", "automated", "parts", name]
                if "framework" not in part:
                    for j, domain_id in enumerate(part["domains"]):
                        self.ref([*ppath, "domains", j], domain_id, own_domains, "domain")
                for level_id in part["thresholds"]:
                    self.level([*ppath, "thresholds", level_id], level_id)
        if "final" in rules:
            self._final(rules["final"], evidence)
        constraints = rules.get("constraints", {})
        for key in ("pages", "max_characters"):
            if key in constraints:
                self.ref(
                    ["rules", "constraints", key, "component"],
                    constraints[key]["component"],
                    sorted(components),
                    "component",
                )
        if "pages" in constraints and constraints["pages"]["min"] > constraints["pages"]["max"]:
            self.add(
                ["rules", "constraints", "pages"], "min is greater than max", "swap or correct the bounds"
            )
        for i, evidence_id in enumerate(constraints.get("evidence", [])):
            self.ref(
                ["rules", "constraints", "evidence", i], evidence_id, sorted(evidence), "evidence requirement"
            )

    def _final(self, final: Mapping[str, Any], evidence: set[str]) -> None:
        for i, evidence_id in enumerate(final.get("evidence", [])):
            self.ref(["rules", "final", "evidence", i], evidence_id, sorted(evidence), "evidence requirement")
        if final.get("evidence") and final.get("kind") != "competences":
            self.add(
                ["rules", "final", "evidence"],
                "explicit constraints of competences need kind: competences",
                "remove 'evidence' or decide by competences",
            )
        policies = final.get("policies", [])
        if "default_policy" in final and final["default_policy"] not in policies:
            self.add(
                ["rules", "final", "default_policy"],
                f"default policy {final['default_policy']!r} not in policies",
                "add it to 'policies' or choose one of them",
            )
        blocs = [dm["id"] for dm in self.data["domains"] if dm.get("kind") == "bloc"]
        for i, block_id in enumerate(final.get("blocks", [])):
            self.ref(["rules", "final", "blocks", i], block_id, blocs, "bloc")
        if "final_interview_grid" in final:
            grids = [g["id"] for g in self.data.get("grids", [])]
            self.ref(["rules", "final", "final_interview_grid"], final["final_interview_grid"], grids, "grid")


# --- building --------------------------------------------------------------------------------


def _criterion(data: Mapping[str, Any]) -> Criterion:
    return Criterion(
        id=data["id"],
        text=data["text"],
        descriptors=freeze(data.get("descriptors", {})),
        notes=data.get("notes"),
    )


def _evidence_requirement(data: Mapping[str, Any], competence: str | None = None) -> EvidenceRequirement:
    return EvidenceRequirement(
        id=data["id"],
        text=data["text"],
        competence=data.get("competence", competence),
        minimum=data.get("minimum"),
        kind=data["kind"],
    )


def _competence(data: Mapping[str, Any]) -> Competence:
    return Competence(
        id=data["id"],
        title=data["title"],
        statement=data.get("statement"),
        abilities=tuple(data.get("abilities", [])),
        descriptors=freeze(data.get("descriptors", {})),
        criteria=tuple(_criterion(c) for c in data.get("criteria", [])),
        evidence=tuple(_evidence_requirement(e, data["id"]) for e in data.get("evidence", [])),
        notes=data.get("notes"),
    )


def _grid(data: Mapping[str, Any]) -> ScoringGrid:
    phases = tuple(
        GridPhase(
            id=p["id"],
            title=p["title"],
            items=tuple(
                GridItem(
                    id=i["id"],
                    title=i["title"],
                    criteria=tuple(_criterion(c) for c in i["criteria"]),
                    points=tuple(i.get("points", ())),
                )
                for i in p["items"]
            ),
        )
        for p in data["phases"]
    )
    return ScoringGrid(
        id=data["id"],
        title=data["title"],
        levels=tuple(data["levels"]),
        phases=phases,
        source=data.get("source"),
    )


def _build(d: Mapping[str, Any]) -> Framework:
    return Framework(
        id=d["id"],
        title=d["title"],
        version=d["version"],
        source=Source(
            seed=d["source"]["seed"], title=d["source"]["title"], section=d["source"].get("section")
        ),
        description=d.get("description"),
        scale=Scale(tuple(Level(id=lv["id"], label=lv["label"]) for lv in d["levels"])),
        groups=tuple(Group(id=g["id"], title=g["title"]) for g in d.get("groups", [])),
        domains=tuple(
            Domain(
                id=dm["id"],
                title=dm["title"],
                description=dm.get("description"),
                kind=dm.get("kind", "domaine"),
                group=dm.get("group"),
                modality=dm.get("modality"),
                competences=tuple(_competence(c) for c in dm["competences"]),
            )
            for dm in d["domains"]
        ),
        components=tuple(
            AssessmentComponent(
                id=c["id"],
                kind=c["kind"],
                title=c["title"],
                description=c.get("description"),
                duration_minutes=c.get("duration_minutes"),
                limits=freeze(c.get("limits", {})),
                deliverable=c.get("deliverable"),
                evidence=tuple(_evidence_requirement(e) for e in c.get("evidence", [])),
                grid=c.get("grid"),
                assesses=tuple(c.get("assesses", [])),
                source=c["source"],
            )
            for c in d.get("components", [])
        ),
        grids=tuple(_grid(g) for g in d.get("grids", [])),
        score_sheets=tuple(
            ScoreSheet(
                id=s["id"],
                title=s["title"],
                domains=tuple(s["domains"]),
                notes=s.get("notes"),
                level_texts=freeze(s.get("level_texts", {})),
            )
            for s in d.get("score_sheets", [])
        ),
        rules=freeze(d.get("rules", {})),
        extras=freeze(d.get("extras", {})),
        decisions=tuple(d.get("decisions", [])),
    )
