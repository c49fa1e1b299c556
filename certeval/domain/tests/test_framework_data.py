"""The six référentiels of certeval/data/frameworks: they load, match the seeds' counts and round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from certeval.domain.framework import Framework
from certeval.domain.loader import framework_from_dict, load_framework, load_frameworks, parse_yaml
from certeval.domain.serialize import framework_to_dict, framework_to_yaml

DATA = Path(__file__).resolve().parents[2] / "data" / "frameworks"
IDS = [
    "crcn",
    "facilitateur-apprentissage",
    "inspe-crcn-edu",
    "langues-vivantes-innovation",
    "pix-plus-edu",
    "titre-responsable-formation",
]
CRCN_EDU = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "2.1",
    "2.2",
    "2.3",
    "3.1",
    "3.2",
    "3.3",
    "4.1",
    "4.2",
    "4.3",
    "5.1",
    "5.2",
]
GRID = [f"{item}.{n}" for item in range(1, 9) for n in (1, 2)]
FOUR = ("initie", "confirme", "avance", "expert")


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return {fw.id: fw for fw in load_frameworks(DATA)}


def test_every_file_loads_with_its_id(frameworks: dict[str, Framework]) -> None:
    assert sorted(frameworks) == IDS
    for framework_id in IDS:
        assert load_framework(DATA / f"{framework_id}.yaml").id == framework_id


@pytest.mark.parametrize("framework_id", IDS)
def test_yaml_round_trip_keeps_the_content_hash(frameworks: dict[str, Framework], framework_id: str) -> None:
    fw = frameworks[framework_id]
    again = framework_from_dict(parse_yaml(framework_to_yaml(fw), "export.yaml"), "export.yaml")
    assert again == fw
    assert again.content_hash == fw.content_hash


@pytest.mark.parametrize("framework_id", IDS)
def test_every_file_records_its_decisions_and_sources(
    frameworks: dict[str, Framework], framework_id: str
) -> None:
    fw = frameworks[framework_id]
    assert len(fw.decisions) >= 3
    assert all(component.source for component in fw.components)
    for name, rule in fw.rules.items():
        if name != "constraints":
            assert rule["source"], name


@pytest.mark.parametrize("framework_id", IDS)
def test_show_json_shape(frameworks: dict[str, Framework], framework_id: str) -> None:
    data = json.loads(json.dumps(framework_to_dict(frameworks[framework_id]), ensure_ascii=False))
    assert {"id", "title", "version", "levels", "domains", "grids", "content_hash"} <= set(data)
    assert all(set(level) == {"id", "label"} for level in data["levels"])
    for domain in data["domains"]:
        for competence in domain["competences"]:
            assert isinstance(competence["criteria"], list)
    for grid in data["grids"]:
        assert "phases" in grid
        for criterion in grid["criteria"]:
            assert {"id", "text", "descriptors"} <= set(criterion)


def test_crcn(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["crcn"]
    assert [len(d.competences) for d in fw.domains] == [3, 4, 4, 3, 2]
    assert len(fw.competences) == 16
    assert fw.scale.ids == tuple(f"niveau-{n}" for n in range(1, 9))


@pytest.mark.parametrize("framework_id", ["pix-plus-edu", "inspe-crcn-edu"])
def test_crcn_edu_competences_and_annexe_3_grid(frameworks: dict[str, Framework], framework_id: str) -> None:
    fw = frameworks[framework_id]
    assert fw.scale.ids == FOUR
    assert len(fw.domains) == 5
    assert [c.id for c in fw.competences] == CRCN_EDU
    for competence in fw.competences:
        assert competence.statement and competence.abilities
        assert tuple(competence.descriptors) == FOUR
    grid = fw.grid("annexe-3")
    assert len(grid.phases) == 3 and len(grid.items) == 8
    assert [c.id for c in grid.criteria] == GRID
    assert all(tuple(c.descriptors) == FOUR for c in grid.criteria)
    assert fw.rules["dossier_grid"]["min_criteria"] == 9
    assert [step["level"] for step in fw.rules["dossier_grid"]["cascade"]] == [
        "expert",
        "avance",
        "confirme",
        "initie",
    ]


def test_pix_plus_edu(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["pix-plus-edu"]
    assert sum(len(c.abilities) for c in fw.competences) == 51
    assert len(fw.competence("3.1").abilities) == 4
    assert fw.score_sheet("annexe-4").domains == ("1", "2", "3", "4", "5")
    assert len(fw.extras["jury_questions"]) == 308
    assert fw.component("automated").duration_minutes == 150
    assert fw.component("automated").limits["max_questions"] == 64
    assert fw.component("dossier").limits == {"pages_min": 2, "pages_max": 10}
    assert fw.component("oral").duration_minutes == 45
    parts = fw.rules["automated"]["parts"]
    assert parts["crcn-edu"]["thresholds"]["expert"] == {"global": 0.80, "per_domain": 0.60}
    assert parts["crcn-edu"]["thresholds"]["initie"] is None
    assert parts["crcn"]["thresholds"]["avance"] == {"global": 0.75}
    assert fw.rules["automated"]["validity_years"] == 3
    assert fw.rules["final"]["default_policy"] == "adjourn"
    assert fw.rules["oral_sheet"]["tie_break"] == "lower"
    assert {"statistics_2022_2023", "dossier_structure", "trace_kinds", "level_general_descriptions"} <= set(
        fw.extras
    )
    assert len(fw.decisions) == 46


def test_inspe(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["inspe-crcn-edu"]
    assert {c.id for c in fw.components} == {"inspe", "automated"}
    assert [m["id"] for m in fw.extras["mentions"]] == [1, 2, 3, 4]
    assert fw.rules["final"]["policies"] == ("joint",)


def test_langues(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["langues-vivantes-innovation"]
    assert len(fw.domains) == 1 and fw.domains[0].kind == "competences"
    assert [c.id for c in fw.competences] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert [len(c.criteria) for c in fw.competences] == [3, 2, 3, 3, 3, 2]
    assert [c.id for c in fw.competence("C6").criteria] == ["C6.1", "C6.2"]
    assert "Cr5.3" in (fw.competence("C5").criteria[2].notes or "")
    assert [c.kind for c in fw.components] == ["dossier", "interview"]
    assert all(len(c.evidence) == 6 for c in fw.components)
    assert fw.rules["final"] == {
        "kind": "competences",
        "require": "all",
        "evidence": ("C2-supports", "C5-rgpd"),
        "source": fw.rules["final"]["source"],
    }
    assert fw.rules["constraints"]["evidence"] == (
        "E1-C1",
        "E1-C2",
        "C2-supports",
        "E1-C3",
        "E1-C4",
        "E1-C5",
        "C5-rgpd",
        "E1-C6",
    )
    assert fw.competence("C2").evidence[0].minimum == 2


def test_facilitateur(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["facilitateur-apprentissage"]
    assert len(fw.domains) == 1
    assert [c.id for c in fw.competences] == ["C1", "C2", "C3", "C4", "C5"]
    assert [len(c.criteria) for c in fw.competences] == [4, 3, 3, 2, 1]
    dep = {e.id: e for e in fw.component("dep").evidence}
    assert dep["dep-situations"].minimum == 2 and dep["dep-parcours"].minimum == 5
    assert fw.extras["jury"]["size"] == 3
    assert "première expérience" in fw.extras["prerequisite"]["text"]
    checked = set(fw.rules["constraints"]["evidence"])
    assert {e.id for c in fw.competences for e in c.evidence} <= checked
    assert fw.rules["final"]["require"] == "all"


def test_titre(frameworks: dict[str, Framework]) -> None:
    fw = frameworks["titre-responsable-formation"]
    assert [g.id for g in fw.groups] == ["1", "2", "3"]
    assert [d.kind for d in fw.domains] == ["bloc"] * 6
    assert [d.group for d in fw.domains] == ["1", "1", "2", "2", "3", "3"]
    assert [len(d.competences) for d in fw.domains] == [6, 6, 6, 7, 6, 6]
    assert [len(fw.grid(f"bloc-{n}").criteria) for n in range(1, 7)] == [8, 6, 7, 7, 6, 5]
    assert all(d.modality for d in fw.domains)
    interview = fw.component("entretien-final")
    assert interview.duration_minutes == 30 and len(fw.grid("entretien-final").criteria) == 5
    assert fw.component("bloc-4-ecrit").limits["max_characters"] == 140000
    assert fw.rules["final"]["blocks"] == ("1", "2", "3", "4", "5", "6")
    assert fw.rules["final"]["final_interview"] is True


SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def test_pix_plus_edu_score_sheet_texts_are_the_seed_words(frameworks: dict[str, Framework]) -> None:
    """Annexe 4's level texts and Annexe 5's descriptors, shown beside each domain of the oral score
    sheet, are the seed's words (Annexe 4's heading row, Annexe 5's lines without their numbers)."""
    fw = frameworks["pix-plus-edu"]
    sheet = fw.score_sheet("annexe-4")
    assert list(sheet.level_texts) == ["initie", "confirme", "avance", "expert"]
    assert dict(sheet.level_texts) == dict(fw.extras["level_general_descriptions"]["bordereau"])
    seeds = sorted(SEEDS.glob("004_*.txt"))
    if not seeds:
        pytest.skip("seed 004 not available")
    text = seeds[0].read_text(encoding="utf-8")
    heading = next(
        line for line in text.splitlines() if line.startswith("\tLe candidat est capable de mobiliser")
    )
    assert [cell for cell in heading.split("\t") if cell.strip()] == list(sheet.level_texts.values())
    for domain_id in sheet.domains:
        for competence in fw.domain(domain_id).competences:
            for descriptor in competence.descriptors.values():
                assert descriptor in text, (competence.id, descriptor)
