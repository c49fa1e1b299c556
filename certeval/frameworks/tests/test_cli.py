from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_is_idempotent_and_list_shows_all() -> None:
    first = run("frameworks", "load")
    assert first.count("(published)") == 6
    second = run("frameworks", "load")
    assert second.count("(unchanged)") == 6
    listing = run("frameworks", "list").strip().splitlines()
    assert len(listing) == 6


def test_show_json_has_the_documented_shape() -> None:
    run("frameworks", "load")
    for line in run("frameworks", "list").strip().splitlines():
        _check_shape(line.split("\t")[0])


def _check_shape(framework_id: str) -> None:
    shown = json.loads(run("frameworks", "show", framework_id, "--json"))
    assert {"id", "title", "version", "levels", "domains", "grids"} <= shown.keys()
    assert shown["id"] == framework_id
    assert all({"id", "label"} <= level.keys() for level in shown["levels"])
    assert shown["domains"], "a framework shows at least one domain holding its competences"
    for domain in shown["domains"]:
        for competence in domain["competences"]:
            assert "criteria" in competence
    for grid in shown["grids"]:
        for criterion in grid["criteria"]:
            assert set(criterion["descriptors"]) <= {level["id"] for level in shown["levels"]}


def test_show_unknown_framework_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="unknown framework 'nope'"):
        run("frameworks", "show", "nope")


def test_export_case_and_yaml() -> None:
    run("frameworks", "load")
    package = json.loads(run("frameworks", "export", "langues-vivantes-innovation", "--format", "case"))
    assert package["CFDocument"]["title"]
    assert run("frameworks", "export", "crcn", "--format", "yaml").startswith(
        (Path(__file__).resolve().parents[2] / "data" / "frameworks" / "crcn.yaml").read_text(
            encoding="utf-8"
        )[:40]
    )


def test_load_reports_an_invalid_file_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("frameworks", "load", "--dir", str(tmp_path), stdout=StringIO(), stderr=err)
    assert error.value.returncode == 2
    assert "broken.yaml" in err.getvalue()


def test_settings_refuse_debug_off_with_the_demo_secret() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "certeval.settings"})
    result = subprocess.run(
        [sys.executable, "-m", "certeval", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    env["SECRET_KEY"] = "x" * 60  # long, but one distinct character (docs/security-http.md)
    weak = subprocess.run(
        [sys.executable, "-m", "certeval", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert weak.returncode != 0 and "fewer than 5" in weak.stderr
    env["SECRET_KEY"] = secrets.token_urlsafe(64)
    ok = subprocess.run(
        [sys.executable, "-m", "certeval", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert ok.returncode == 0, ok.stderr
