"""Loader: valid documents load, invalid ones fail with the file, the path and the fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from certeval.domain.framework import Level, Scale
from certeval.domain.loader import FrameworkError, framework_from_dict, load_framework, load_frameworks


def valid_document() -> dict[str, Any]:
    """A small framework using every section of the format."""
    return {
        "id": "exemple",
        "title": "Référentiel d'exemple",
        "version": "1",
        "source": {"seed": "004", "section": "Annexe 3", "title": "Rapport de jury"},
        "levels": [
            {"id": "initie", "label": "Initié"},
            {"id": "confirme", "label": "Confirmé"},
            {"id": "avance", "label": "Avancé"},
            {"id": "expert", "label": "Expert"},
        ],
        "groups": [{"id": "f1", "title": "Fonction 1"}],
        "domains": [
            {
                "id": "1",
                "title": "Domaine 1",
                "kind": "bloc",
                "group": "f1",
                "competences": [
                    {
                        "id": "1.1",
                        "title": "Communiquer",
                        "descriptors": {"initie": "a", "confirme": "b", "avance": "c", "expert": "d"},
                        "criteria": [{"id": "Cr1.1", "text": "Critère", "descriptors": {"initie": "x"}}],
                        "evidence": [
                            {"id": "E1", "text": "Au moins un outil", "minimum": 1, "kind": "count"}
                        ],
                    },
                    {"id": "1.2", "title": "Collaborer"},
                ],
            },
            {"id": "2", "title": "Domaine 2", "competences": [{"id": "2.1", "title": "Sélectionner"}]},
        ],
        "components": [
            {
                "id": "dossier",
                "kind": "dossier",
                "title": "Dossier",
                "limits": {"pages_min": 2, "pages_max": 10},
                "evidence": [{"id": "E2", "text": "Traces", "competence": "1.2", "kind": "item"}],
                "grid": "g",
                "assesses": ["1", "2"],
                "source": "004, §4.2",
            },
            {
                "id": "oral",
                "kind": "oral",
                "title": "Entretien",
                "duration_minutes": 45,
                "source": "004, §4.2",
            },
        ],
        "grids": [
            {
                "id": "g",
                "title": "Grille",
                "levels": ["initie", "confirme", "avance", "expert"],
                "phases": [
                    {
                        "id": "p1",
                        "title": "Phase 1",
                        "items": [
                            {
                                "id": "1",
                                "title": "Item 1",
                                "criteria": [
                                    {
                                        "id": "1.1",
                                        "text": "A",
                                        "descriptors": {
                                            "initie": "a1",
                                            "confirme": "a2",
                                            "avance": "a3",
                                            "expert": "a4",
                                        },
                                    },
                                    {
                                        "id": "1.2",
                                        "text": "B",
                                        "descriptors": {
                                            "initie": "b1",
                                            "confirme": "b2",
                                            "avance": "b3",
                                            "expert": "b4",
                                        },
                                    },
                                ],
                            }
                        ],
                    },
                    {
                        "id": "p2",
                        "title": "Phase 2",
                        "items": [
                            {
                                "id": "2",
                                "title": "Item 2",
                                "criteria": [
                                    {
                                        "id": "2.1",
                                        "text": "C",
                                        "descriptors": {
                                            "initie": "c1",
                                            "confirme": "c2",
                                            "avance": "c3",
                                            "expert": "c4",
                                        },
                                    },
                                ],
                            }
                        ],
                    },
                ],
            }
        ],
        "score_sheets": [{"id": "bordereau", "title": "Bordereau", "domains": ["1", "2"]}],
        "rules": {
            "dossier_grid": {
                "grid": "g",
                "min_criteria": 2,
                "cascade": [
                    {"level": "expert", "floor": "avance"},
                    {"level": "avance", "floor": "confirme"},
                    {"level": "confirme", "floor": None},
                    {"level": "initie", "floor": None},
                ],
                "source": "004, Annexe 3",
            },
            "oral_sheet": {"sheet": "bordereau", "tie_break": "lower", "source": "004, Annexe 4"},
            "automated": {
                "validity_years": 3,
                "parts": {
                    "crcn-edu": {
                        "domains": ["1", "2"],
                        "thresholds": {"initie": None, "confirme": {"global": 0.5, "per_domain": 0.5}},
                    }
                },
                "source": "004, §4.1",
            },
            "final": {
                "kind": "joint_level",
                "policies": ["joint", "adjourn"],
                "default_policy": "adjourn",
                "source": "004, §4.3",
            },
            "constraints": {
                "pages": {"min": 2, "max": 10, "component": "dossier", "source": "004, §4.2"},
                "evidence": ["E1", "E2"],
            },
        },
        "extras": {"jury_questions": [{"domain": "1", "question": "Pourquoi ?"}]},
        "decisions": ["Une décision."],
    }


def problems_of(document: Any) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document, "exemple.yaml")
    return [f"{p.path}: {p.message}" for p in info.value.problems]


def test_valid_document_builds_the_model() -> None:
    fw = framework_from_dict(valid_document())
    assert fw.scale.ids == ("initie", "confirme", "avance", "expert")
    assert [c.id for c in fw.competences] == ["1.1", "1.2", "2.1"]
    assert fw.competence("1.1").descriptors["expert"] == "d"
    assert fw.competence("1.1").evidence[0].competence == "1.1"
    assert [c.id for c in fw.grid("g").criteria] == ["1.1", "1.2", "2.1"]
    assert fw.component("oral").duration_minutes == 45
    assert fw.component("dossier").limits["pages_max"] == 10
    assert fw.rules["dossier_grid"]["cascade"][0]["floor"] == "avance"
    assert fw.domains[1].kind == "domaine"
    assert [e.id for e in fw.evidence] == ["E1", "E2"]
    assert [c.id for c in fw.criteria] == ["Cr1.1"]
    with pytest.raises(KeyError):
        fw.competence("9.9")


def test_framework_is_immutable_and_hashable() -> None:
    fw = framework_from_dict(valid_document())
    assert hash(fw) == hash(framework_from_dict(valid_document()))
    assert fw == framework_from_dict(valid_document())
    with pytest.raises(AttributeError):
        fw.id = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fw.competence("1.1").descriptors["initie"] = "changed"  # type: ignore[index]


def test_content_hash_changes_with_any_text() -> None:
    document = valid_document()
    before = framework_from_dict(document).content_hash
    document["grids"][0]["phases"][0]["items"][0]["criteria"][0]["descriptors"]["expert"] = "a4 modifié"
    assert framework_from_dict(document).content_hash != before


def test_scale_order_helpers() -> None:
    scale = Scale((Level("initie", "Initié"), Level("confirme", "Confirmé"), Level("avance", "Avancé")))
    assert scale.rank("initie") == 0 and scale.rank("avance") == 2
    assert "confirme" in scale and "expert" not in scale
    assert scale.label("avance") == "Avancé"
    assert scale.lower("avance", "confirme") == "confirme"
    assert scale.higher("avance", "confirme") == "avance"
    with pytest.raises(KeyError):
        scale.rank("expert")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\ntitle: [unclosed\n", "x.yaml: line 3, column 1: YAML syntax error"),
        ("id: x\n  title: y\n", "x.yaml: line 2, column 8: YAML syntax error"),
        ("id: x\nid: y\n", "x.yaml: line 2, column 1: YAML syntax error: found duplicate key 'id'"),
    ],
)
def test_yaml_syntax_errors_give_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert str(info.value).startswith(expected), str(info.value)


def test_error_message_names_file_path_and_fix() -> None:
    document = valid_document()
    del document["grids"][0]["phases"][1]["items"][0]["criteria"][0]["descriptors"]["expert"]
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document, "pix-plus-edu.yaml")
    assert str(info.value) == (
        "pix-plus-edu.yaml: grids[0].phases[1].items[0].criteria[0].descriptors: "
        "missing descriptor for level 'expert' — add a text for 'expert' or remove the level from the grid"
    )
    assert isinstance(info.value, ValueError)


def test_every_problem_is_listed_one_per_line() -> None:
    document = valid_document()
    document["levels"].append({"id": "initie", "label": "Encore"})
    document["domains"][1]["competences"][0]["id"] = "1.1"
    error_text = "\n".join(problems_of(document))
    assert "levels[4].id: duplicate level id 'initie'" in error_text
    assert "domains[1].competences[0].id: duplicate competence id '1.1'" in error_text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("title"), "title: missing required key 'title'"),
        (lambda d: d["domains"][0].update(colour="red"), "domains[0].colour: unknown key 'colour'"),
        (lambda d: d["domains"][0].update(id=1), "domains[0].id: expected string, got int 1"),
        (lambda d: d["levels"][0].update(id="Initié"), "levels[0].id: invalid id 'Initié'"),
        (lambda d: d["domains"][0].update(kind="famille"), "domains[0].kind: invalid value 'famille'"),
        (lambda d: d["domains"][0].update(group="f9"), "domains[0].group: unknown group 'f9'"),
        (
            lambda d: d["domains"][0]["competences"][0]["descriptors"].update(maitre="e"),
            "domains[0].competences[0].descriptors.maitre: descriptor for unknown level 'maitre'",
        ),
        (
            lambda d: d["domains"][0]["competences"][1].update(criteria=[{"id": "Cr1.1", "text": "t"}]),
            "domains[0].competences[1].criteria[0].id: duplicate criterion id 'Cr1.1'",
        ),
        (
            lambda d: d["components"][0]["evidence"][0].update(competence="9.9"),
            "components[0].evidence[0].competence: unknown competence '9.9'",
        ),
        (
            lambda d: d["domains"][0]["competences"][0]["evidence"][0].update(competence="1.2"),
            "domains[0].competences[0].evidence[0].competence: evidence under competence '1.1' names",
        ),
        (lambda d: d["components"][0].update(grid="annexe-9"), "components[0].grid: unknown grid 'annexe-9'"),
        (
            lambda d: d["components"][0].update(assesses=["7"]),
            "components[0].assesses[0]: unknown domain '7'",
        ),
        (
            lambda d: d["score_sheets"][0].update(domains=["1", "6"]),
            "score_sheets[0].domains[1]: unknown domain '6'",
        ),
        (
            lambda d: d["score_sheets"][0].update(level_texts={"initie": "a", "maitre": "b"}),
            "score_sheets[0].level_texts.maitre: descriptor for unknown level 'maitre'",
        ),
        (
            lambda d: d["score_sheets"][0].update(level_texts={"initie": ""}),
            "score_sheets[0].level_texts.initie:",
        ),
        (
            lambda d: d["grids"][0].update(levels=["initie", "maitre"]),
            "grids[0].levels[1]: unknown level 'maitre'",
        ),
        (
            lambda d: d["grids"][0]["phases"][1]["items"][0]["criteria"][0].update(id="1.2"),
            "grids[0].phases[1].items[0].criteria[0].id: duplicate grid criterion id '1.2'",
        ),
        (
            lambda d: d["rules"]["dossier_grid"].update(grid="annexe-9"),
            "rules.dossier_grid.grid: unknown grid 'annexe-9'",
        ),
        (
            lambda d: d["rules"]["dossier_grid"].update(min_criteria=9),
            "rules.dossier_grid.min_criteria: 9 criteria required but the grid has 3",
        ),
        (
            lambda d: d["rules"]["dossier_grid"]["cascade"][1].update(floor="maitre"),
            "rules.dossier_grid.cascade[1].floor: unknown level 'maitre'",
        ),
        (
            lambda d: d["rules"]["oral_sheet"].update(sheet="annexe-9"),
            "rules.oral_sheet.sheet: unknown score sheet 'annexe-9'",
        ),
        (
            lambda d: d["rules"]["oral_sheet"].update(tie_break="random"),
            "rules.oral_sheet.tie_break: invalid value 'random'",
        ),
        (
            lambda d: d["rules"]["automated"]["parts"]["crcn-edu"]["thresholds"].update(maitre=None),
            "rules.automated.parts.crcn-edu.thresholds.maitre: unknown level 'maitre'",
        ),
        (
            lambda d: d["rules"]["automated"]["parts"]["crcn-edu"].update(domains=["1", "8"]),
            "rules.automated.parts.crcn-edu.domains[1]: unknown domain '8'",
        ),
        (
            lambda d: d["rules"]["automated"]["parts"]["crcn-edu"]["thresholds"].update(
                expert={"global": 80}
            ),
            "rules.automated.parts.crcn-edu.thresholds.expert.global: value 80 out of range",
        ),
        (
            lambda d: d["rules"]["final"].update(default_policy="joint", policies=["adjourn"]),
            "rules.final.default_policy: default policy 'joint' not in policies",
        ),
        (lambda d: d["rules"]["final"].update(blocks=["1", "2"]), "rules.final.blocks[1]: unknown bloc '2'"),
        (
            lambda d: d["rules"]["constraints"]["pages"].update(component="memoire"),
            "rules.constraints.pages.component: unknown component 'memoire'",
        ),
        (
            lambda d: d["rules"]["constraints"]["pages"].update(min=12),
            "rules.constraints.pages: min is greater than max",
        ),
        (
            lambda d: d["rules"]["constraints"].update(evidence=["E1", "E9"]),
            "rules.constraints.evidence[1]: unknown evidence requirement 'E9'",
        ),
    ],
)
def test_semantic_and_schema_errors_name_the_path(mutate: Any, expected: str) -> None:
    document = copy.deepcopy(valid_document())
    mutate(document)
    problems = problems_of(document)
    assert any(p.startswith(expected) for p in problems), problems


def test_criteria_outside_a_competence_are_refused_with_a_fix() -> None:
    document = valid_document()
    document["domains"][0]["criteria"] = [{"id": "Cr9", "text": "orphelin"}]
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document, "x.yaml")
    [problem] = info.value.problems
    assert problem.path == "domains[0].criteria"
    assert "move them under domains[i].competences[j].criteria" in problem.fix


def test_load_frameworks_reports_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_frameworks(tmp_path)
    files = {p.file for p in info.value.problems}
    assert files == {"a.yaml", "b.yaml"}


def test_score_sheet_level_texts_are_loaded() -> None:
    document = copy.deepcopy(valid_document())
    document["score_sheets"][0]["level_texts"] = {"initie": "Texte initié", "expert": "Texte expert"}
    framework = framework_from_dict(document)
    sheet = framework.score_sheet("bordereau")
    assert dict(sheet.level_texts) == {"initie": "Texte initié", "expert": "Texte expert"}
