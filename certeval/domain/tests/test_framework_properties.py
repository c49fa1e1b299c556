"""Property-based tests: mutate a valid framework document and check that the error names the right path."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certeval.domain.loader import FrameworkError, format_path, framework_from_dict, load_framework
from certeval.domain.serialize import framework_to_document
from certeval.domain.tests.test_framework_loader import valid_document

type Path_ = tuple[str | int, ...]

DATA = Path(__file__).resolve().parents[2] / "data" / "frameworks"
DOCUMENTS = {
    "sample": valid_document(),
    "titre": framework_to_document(load_framework(DATA / "titre-responsable-formation.yaml")),
    "langues": framework_to_document(load_framework(DATA / "langues-vivantes-innovation.yaml")),
}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def nodes(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every dict and list of the document with its path, ``extras`` left out (free-form)."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            if not (path == () and key == "extras") and isinstance(child, (dict, list)):
                yield from nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, (dict, list)):
                yield from nodes(child, (*path, index))


def at(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkError) as info:
        framework_from_dict(document, "mutated.yaml")
    assert all(p.file == "mutated.yaml" and p.fix for p in info.value.problems)
    return [(p.path, p.message) for p in info.value.problems]


def level_uses(document: dict[str, Any]) -> list[tuple[Path_, str]]:
    """Places where a level id appears: descriptor keys, grid levels, rule thresholds and cascades."""
    uses: list[tuple[Path_, str]] = []
    for path, node in nodes(document):
        if path and path[-1] in ("descriptors", "thresholds") and isinstance(node, dict):
            uses.extend(((*path, key), "key") for key in node)
        if len(path) == 2 and path[0] == "grids":
            uses.extend(((*path, "levels", i), "value") for i in range(len(node["levels"])))
        if path[-2:-1] == ("cascade",):
            uses.extend(((*path, key), "value") for key in ("level", "floor") if node[key] is not None)
    return uses


def document_names() -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(DOCUMENTS))


@SETTINGS
@given(name=document_names(), data=st.data())
def test_deleting_a_required_key_names_it(name: str, data: st.DataObject) -> None:
    document = copy.deepcopy(DOCUMENTS[name])
    candidates = [
        (path, key)
        for path, node in nodes(document)
        if isinstance(node, dict)
        for key in ("id", "title", "text", "label")
        if key in node and path[:1] != ("rules",)
    ]
    path, key = data.draw(st.sampled_from(candidates))
    del at(document, path)[key]
    assert (format_path((*path, key)), f"missing required key '{key}'") in problems(document)


@SETTINGS
@given(name=document_names(), data=st.data())
def test_duplicating_an_id_names_the_second_one(name: str, data: st.DataObject) -> None:
    document = copy.deepcopy(DOCUMENTS[name])
    candidates = [
        (path, i, j)
        for path, node in nodes(document)
        if isinstance(node, list) and len(node) > 1 and all(isinstance(x, dict) and "id" in x for x in node)
        for i in range(len(node))
        for j in range(i + 1, len(node))
    ]
    path, i, j = data.draw(st.sampled_from(candidates))
    items = at(document, path)
    items[j]["id"] = items[i]["id"]
    found = problems(document)
    assert any(p == format_path((*path, j, "id")) and "duplicate" in m for p, m in found), found


@SETTINGS
@given(
    name=document_names(),
    data=st.data(),
    unknown=st.from_regex(r"[a-z]{3,12}", fullmatch=True).filter(
        lambda s: s not in {"initie", "confirme", "avance", "expert", "acquis"}
    ),
)
def test_an_unknown_level_id_is_reported_where_it_is_used(
    name: str, data: st.DataObject, unknown: str
) -> None:
    document = copy.deepcopy(DOCUMENTS[name])
    uses = level_uses(document)
    if not uses:
        return
    path, how = data.draw(st.sampled_from(uses))
    parent = at(document, path[:-1])
    if how == "key":
        parent[unknown] = parent.pop(path[-1])
        expected = format_path((*path[:-1], unknown))
    else:
        parent[path[-1]] = unknown
        expected = format_path(path)
    found = problems(document)
    assert any(p == expected and unknown in m for p, m in found), found


@SETTINGS
@given(name=document_names(), data=st.data())
def test_dropping_a_grid_descriptor_names_the_criterion_and_level(name: str, data: st.DataObject) -> None:
    document = copy.deepcopy(DOCUMENTS[name])
    candidates = [
        (path, level)
        for path, node in nodes(document)
        if path[:1] == ("grids",) and path[-1:] == ("descriptors",)
        for level in node
    ]
    if not candidates:
        return
    path, level = data.draw(st.sampled_from(candidates))
    del at(document, path)[level]
    assert (format_path(path), f"missing descriptor for level '{level}'") in problems(document)
