"""``certeval items import|export``: all or nothing, exit 2 with the precise error, round trip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from certeval.domain.items.exchange import items_to_csv, read_upload
from certeval.testing.models import Item, ItemVersion
from certeval.testing.tests.item_factories import BANK, bank, record, short_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bank() -> None:
    bank()


def test_import_a_csv_then_export_it_as_qti_and_csv(tmp_path: Path) -> None:
    source = tmp_path / "items.csv"
    source.write_text(items_to_csv([record("t-001"), short_record("t-002")]), encoding="utf-8")
    out = io.StringIO()
    call_command("items", "import", str(source), "--bank", BANK, "--status", "active", stdout=out)
    assert "2 items imported" in out.getvalue()
    assert set(Item.objects.values_list("status", flat=True)) == {"active"}
    for fmt in ("qti", "csv"):
        target = tmp_path / f"bank-{fmt}.zip"
        call_command(
            "items", "export", "--bank", BANK, "--format", fmt, "--output", str(target), stdout=io.StringIO()
        )
        names = zipfile.ZipFile(target).namelist()
        assert ("usagedata.xml" in names) == (fmt == "qti")
        records = sorted(read_upload(target.name, target.read_bytes()).records, key=lambda r: r.code)
        assert records == [record("t-001"), short_record("t-002")]


def test_a_bad_file_exits_2_with_the_line_and_column_and_imports_nothing(tmp_path: Path) -> None:
    text = items_to_csv([record("t-001"), record("t-002")])
    lines = text.splitlines()
    lines[2] = lines[2].replace("Quelle messagerie utiliser pour écrire aux familles ? (t-002)", "")
    source = tmp_path / "items.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("items", "import", str(source), "--bank", BANK)
    assert refused.value.returncode == 2
    assert "items.csv line 3, column stem: empty" in str(refused.value)
    assert not Item.objects.exists() and not ItemVersion.objects.exists()


def test_a_code_already_in_the_bank_refuses_the_whole_file(tmp_path: Path) -> None:
    source = tmp_path / "items.csv"
    source.write_text(items_to_csv([record("t-001")]), encoding="utf-8")
    call_command("items", "import", str(source), "--bank", BANK, stdout=io.StringIO())
    source.write_text(items_to_csv([record("t-002"), record("t-001")]), encoding="utf-8")
    with pytest.raises(CommandError, match="t-001: code already in the bank") as refused:
        call_command("items", "import", str(source), "--bank", BANK)
    assert refused.value.returncode == 2
    assert list(Item.objects.values_list("code", flat=True)) == ["t-001"]


def test_unknown_bank_and_unreadable_file_exit_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown bank") as unknown:
        call_command("items", "export", "--bank", "nope")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError, match="cannot read the file") as missing:
        call_command("items", "import", str(tmp_path / "absent.csv"), "--bank", BANK)
    assert missing.value.returncode == 2
