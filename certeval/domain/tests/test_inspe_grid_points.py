"""Grid items may carry their points in the source's words (``items[].points``): seed 002's items
and points in the INSPÉ grid, over Annexe 3's criteria and descriptors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from certeval.domain.loader import FrameworkError, framework_from_dict, load_framework
from certeval.domain.serialize import framework_to_document
from certeval.domain.tests.test_framework_loader import valid_document

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "frameworks"


def test_points_load_round_trip_and_count_in_the_hash() -> None:
    document = valid_document()
    item = document["grids"][0]["phases"][0]["items"][0]
    before = framework_from_dict(document).content_hash
    item["points"] = ["Préparer et gérer le matériel", "Réguler la mise en œuvre"]
    fw = framework_from_dict(document)
    assert fw.grids[0].items[0].points == ("Préparer et gérer le matériel", "Réguler la mise en œuvre")
    assert fw.content_hash != before
    again = framework_from_dict(framework_to_document(fw))
    assert again.content_hash == fw.content_hash
    # Without points the serialised item has no key (the loader's default).
    assert (
        "points"
        not in framework_to_document(framework_from_dict(valid_document()))["grids"][0]["phases"][0]["items"][
            0
        ]
    )


@pytest.mark.parametrize("points", [[1, 2], "un seul texte", [""]])
def test_points_must_be_a_list_of_texts(points: object) -> None:
    document = copy.deepcopy(valid_document())
    document["grids"][0]["phases"][0]["items"][0]["points"] = points
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document)
    assert "points" in str(info.value)


def test_inspe_grid_has_seed_002_items_and_points_over_annexe_3_criteria() -> None:
    fw = load_framework(DATA_DIR / "inspe-crcn-edu.yaml")
    grid = fw.grid("annexe-3")
    assert [p.title for p in grid.phases] == [
        "Phase 1 : Conception",
        "Phase 2 : Mise en œuvre",
        "Phase 3 : Retour réflexif",
    ]
    items = {i.id: i for i in grid.items}
    assert items["4"].title == "Enseigner, animer, éduquer"
    assert items["4"].points == (
        "Préparer et gérer le matériel, les outils, la partie technique",
        "Éduquer les apprenants aux apports du numérique",
        "Réguler la mise en œuvre pour prendre en compte la réalité",
    )
    assert items["3"].title == "Prise en compte de mon public"
    assert sum(len(i.points) for i in grid.items) == 19
    assert [c.id for c in grid.criteria] == [f"{n}.{k}" for n in range(1, 9) for k in (1, 2)]
    assert all(len(c.descriptors) == 4 for c in grid.criteria)
    assert "phases_002" not in fw.extras
    assert any("correspondent un à un" in d for d in fw.decisions)
