"""Every source document the référentiels cite has a title, and citations read by title."""

from __future__ import annotations

from pathlib import Path

import pytest

from certeval.domain.sources import cite, load_titles, seed_files

DATA = Path(__file__).resolve().parents[2] / "data"


def test_every_cited_seed_file_has_a_title() -> None:
    titles = load_titles(DATA / "sources.yaml")
    cited = set().union(*(seed_files(p.read_text(encoding="utf-8")) for p in DATA.glob("frameworks/*.yaml")))
    assert len(cited) == 5
    assert cited <= set(titles)


def test_cite_replaces_known_files_and_keeps_the_rest() -> None:
    titles = {"004_c07952bd9563431b.txt": "Rapport de jury"}
    assert cite("(004_c07952bd9563431b.txt, Annexe 3)", titles) == "(Rapport de jury, Annexe 3)"
    assert cite("999_0000000000000000.txt, §1", titles) == "999_0000000000000000.txt, §1"
    assert cite("aucune source", titles) == "aucune source"


def test_a_malformed_sources_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("- 004_c07952bd9563431b.txt\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        load_titles(bad)
