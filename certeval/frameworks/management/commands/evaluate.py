"""``certeval evaluate FRAMEWORK_ID CASE.json``: apply a framework's rules to one case.

Reads the framework from ``certeval/data/frameworks/<id>.yaml`` through the loader (not the
database), evaluates the case with :mod:`certeval.domain.rules` and prints one JSON object. A
``deliberation`` case runs the whole decision as the web app's jury deliberation does (same
function: :func:`certeval.domain.rules.deliberation.evaluate_deliberation`).
Invalid input exits with status 2 and a message naming what is wrong and where.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from certeval.domain.framework import Framework
from certeval.domain.loader import FrameworkError, load_framework
from certeval.domain.rules import CaseError, Evaluation, RulesError, RuleSet
from certeval.frameworks.services import DATA_DIR


class InputError(Exception):
    """A problem with the command's input, printed as is."""


class Command(BaseCommand):
    help = "Evaluate a case (JSON) against the rules of a framework and print the result as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework_id", metavar="FRAMEWORK_ID", help="e.g. pix-plus-edu")
        parser.add_argument("case", metavar="CASE.json", help="the case to evaluate, see docs/rules.md")

    def handle(self, *args: Any, framework_id: str, case: str, **options: Any) -> None:
        try:
            result = evaluate(framework_id, case)
        except InputError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from exc
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))


def evaluate(framework_id: str, case_file: str) -> Evaluation:
    rules = _rules(framework_id)
    try:
        text = Path(case_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{case_file}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{case_file}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"
        ) from exc
    try:
        return rules.evaluate(data)
    except CaseError as exc:
        raise InputError(f"{case_file}: {exc}") from exc


def _rules(framework_id: str) -> RuleSet:
    framework = _framework(framework_id)
    parts = framework.rules.get("automated", {}).get("parts", {})
    names = {part["framework"] for part in parts.values() if "framework" in part}
    others = {name: _framework(name) for name in names}
    try:
        return RuleSet.from_framework(framework, others)
    except RulesError as exc:
        raise InputError(f"{DATA_DIR / (framework_id + '.yaml')}: {exc}") from exc


def _framework(framework_id: str) -> Framework:
    known = sorted(path.stem for path in DATA_DIR.glob("*.yaml"))
    if framework_id not in known:
        raise InputError(
            f"FRAMEWORK_ID: unknown framework {framework_id!r} (expected one of {', '.join(known)})"
        )
    try:
        return load_framework(DATA_DIR / f"{framework_id}.yaml")
    except FrameworkError as exc:
        raise InputError(str(exc)) from exc
