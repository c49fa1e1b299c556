"""campaigns (a lower layer) never imports testing: it reads and records automated results through
the hooks that TestingConfig.ready registers."""

from __future__ import annotations

import ast
from pathlib import Path

import certeval.campaigns
from certeval.campaigns import prerequisites
from certeval.testing import hooks


def test_testing_registers_the_automated_result_hooks() -> None:
    assert prerequisites._automated and prerequisites._automated[0].lookup is hooks.lookup
    assert prerequisites._automated[0].record is hooks.record


def test_campaigns_never_imports_testing_nor_juries() -> None:
    root = Path(certeval.campaigns.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [
                f"{path.name}: {n}" for n in names if n.startswith(("certeval.testing", "certeval.juries"))
            ]
    assert offenders == []
