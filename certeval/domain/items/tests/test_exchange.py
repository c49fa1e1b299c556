"""Whole-item CSV and QTI 2.1: round trips over the demo bank, XSD validity, precise errors."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certeval.domain.cat.tests.test_bank_io import schema
from certeval.domain.items.content import Blank, Content, Kind, Option, Resource, Usage
from certeval.domain.items.exchange import (
    ExchangeError,
    items_to_csv,
    items_to_qti,
    parse_items_csv,
    parse_items_qti,
    read_path,
    read_upload,
    write_zip,
)
from certeval.domain.items.records import Irt, ItemRecord

DEMO = Path(__file__).resolve().parents[3] / "data" / "items" / "pix-plus-edu"


@pytest.fixture(scope="module")
def demo() -> tuple[ItemRecord, ...]:
    return read_path(DEMO).records


def test_the_demo_bank_reads_as_a_directory_with_its_media(demo: tuple[ItemRecord, ...]) -> None:
    package = read_path(DEMO)
    assert len(demo) == 512
    assert {r.image for r in demo if r.image} | {r.attachment for r in demo if r.attachment} == set(
        package.media
    )


def test_csv_round_trip_of_the_demo_bank(demo: tuple[ItemRecord, ...]) -> None:
    assert tuple(parse_items_csv(items_to_csv(demo))) == demo


def test_qti_round_trip_of_the_demo_bank(demo: tuple[ItemRecord, ...]) -> None:
    files = items_to_qti(demo)
    usage = files.pop("usagedata.xml")
    files.pop("imsmanifest.xml")
    assert tuple(parse_items_qti(files, usage)) == tuple(sorted(demo, key=lambda r: r.code))


def test_the_qti_package_has_a_content_packaging_manifest(demo: tuple[ItemRecord, ...]) -> None:
    """imsmanifest.xml (IMS CP 1.1) declares each item as a QTI 2.1 item resource with the files it
    uses, and the usage data; every file it names is in the package."""
    import xml.etree.ElementTree as ET

    media = read_path(DEMO).media
    package = zipfile.ZipFile(io.BytesIO(write_zip(demo, media, "qti")))
    names = set(package.namelist())
    root = ET.fromstring(package.read("imsmanifest.xml"))  # noqa: S314 (our own export)
    cp = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
    assert root.tag == f"{cp}manifest"
    resources = root.findall(f"{cp}resources/{cp}resource")
    items = {r.get("href"): r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"}
    assert set(items) == {f"{r.code}.xml" for r in demo}
    for record in demo:
        files = {f.get("href") for f in items[f"{record.code}.xml"].findall(f"{cp}file")}
        assert files == {f"{record.code}.xml"} | {n for n in (record.image, record.attachment) if n}
    assert {f.get("href") for f in root.iter(f"{cp}file")} <= names
    assert any(r.get("href") == "usagedata.xml" for r in resources)


def test_qti_export_is_valid_against_the_qti_21_schemas(demo: tuple[ItemRecord, ...]) -> None:
    item_schema, etree = schema("imsqti_v2p1.xsd")
    usage_schema, _ = schema("imsqti_usagedata_v2p1.xsd")
    kinds = {Kind.SINGLE, Kind.MULTIPLE, Kind.SHORT, Kind.SHORTS}
    sample = [next(r for r in demo if r.content.kind is k) for k in kinds]
    sample += [r for r in demo if r.image or r.attachment or r.content.resources][:10]
    files = items_to_qti(sample)
    files.pop("imsmanifest.xml")  # IMS CP, not QTI: checked by the test above
    for name, xml in files.items():
        target = usage_schema if name == "usagedata.xml" else item_schema
        assert target.validate(etree.fromstring(xml)), (name, target.error_log)


def test_zip_packages_round_trip_with_media(demo: tuple[ItemRecord, ...]) -> None:
    media = read_path(DEMO).media
    for fmt in ("csv", "qti"):
        package = read_upload("bank.zip", write_zip(demo, media, fmt))
        assert sorted(package.records, key=lambda r: r.code) == sorted(demo, key=lambda r: r.code)
        assert dict(package.media) == dict(media)


HEADER = "code,part,competence,level,usage,kind,stem,option_a,option_b,option_c,correct,explanation"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "q1,crcn,1.1,initie,practice,single,,Oui,Non,Peut-être,a,Parce que.",
            "items.csv line 2, column stem: empty",
        ),
        (
            "q1,crcn,1.1,initie,practice,single,Q ?,Oui,Non,Peut-être,e,Parce que.",
            "line 2, column correct: no option 'e'",
        ),
        (
            "q1,crcn,1.1,initie,practice,odd,Q ?,Oui,Non,Peut-être,a,Parce que.",
            "column kind: 'odd' is not one of",
        ),
        ("q1,crcn,1.1,initie,practice,single,Q ?,Oui,,Peut-être,a,Parce que.", "column option_b: empty"),
        (
            "q1,crcn,1.1,initie,practice,single,Q ?,Oui,Non,Peut-être,a|b,Parce que.",
            "items.csv line 2 (q1): a single-choice item has exactly one right option, not 2",
        ),
        (
            "q1,crcn,1.1,initie,practice,single,Q ?,Oui,Non,Peut-être,a,Parce que.\n"
            "q2,crcn,1.1,initie,practice,single,q  ?,Oui,Non,Peut-être,a,Parce que.",
            "q2: same stem as q1",
        ),
    ],
)
def test_csv_errors_name_line_and_column(rows: str, message: str) -> None:
    with pytest.raises(ExchangeError) as refused:
        parse_items_csv(f"{HEADER}\n{rows}\n")
    assert any(message in error for error in refused.value.errors), refused.value.errors


def test_csv_collects_every_error_and_checks_the_header() -> None:
    text = f"{HEADER}\nq1,crcn,1.1,initie,practice,single,,Oui,Non,Peut-être,,\n"
    with pytest.raises(ExchangeError) as refused:
        parse_items_csv(text)
    assert len(refused.value.errors) == 3  # stem, explanation, correct
    with pytest.raises(ExchangeError, match="missing column"):
        parse_items_csv("code,stem\nq1,Q ?\n")


def test_numeric_answers_and_provisional_parameters_from_csv() -> None:
    header = "code,part,competence,level,usage,kind,stem,answer_1,tolerance_1,explanation,a,b"
    records = parse_items_csv(
        f'{header}\nn1,crcn,1.3,confirme,practice,short,Moyenne ?,"12,1|12.1",0.05,Voir.,,\n'
        f"n2,crcn,1.3,confirme,practice,short,Mot ?,site:|site,,Voir.,1.2,0.3\n"
    )
    assert records[0].content.blanks[0].answers == (12.1, 12.1) and records[0].irt.provisional
    assert records[1].content.blanks[0].answers == ("site:", "site")
    assert records[1].irt == Irt(1.2, 0.3, 0.0, provisional=False)


def test_qti_errors_name_the_element() -> None:
    good = items_to_qti([_record()])
    xml = good["q1.xml"].replace(
        b'<simpleChoice identifier="b">Non</simpleChoice>', b'<simpleChoice identifier="b"/>'
    )
    with pytest.raises(ExchangeError) as refused:
        parse_items_qti({"q1.xml": xml}, good["usagedata.xml"])
    assert refused.value.errors == ["q1.xml, element simpleChoice 2: empty"]
    with pytest.raises(ExchangeError, match=r"q1.xml, line 1: not well-formed"):
        parse_items_qti({"q1.xml": b"<assessmentItem"}, None)


def test_an_svg_with_a_script_is_refused() -> None:
    record = replace(_record(), image="x.svg", content=replace(_record().content, image_alt="Schéma"))
    data = write_zip([record], {"x.svg": b'<svg onload="alert(1)"/>'}, "csv")
    with pytest.raises(ExchangeError, match="scripts or event handlers"):
        read_upload("x.zip", data)


def _record(**changes: object) -> ItemRecord:
    return ItemRecord(
        code="q1",
        part="crcn",
        competence="1.1",
        level="initie",
        usage=Usage.PRACTICE,
        content=Content(
            kind=Kind.SINGLE,
            stem="Question ?",
            options=(Option("Oui", True), Option("Non"), Option("Peut-être")),
            explanation="Parce que.",
            resources=(Resource("Eduscol", "https://eduscol.education.fr/"),),
        ),
        irt=Irt(1.1, -0.2, 0.0, provisional=True),
    )


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s.strip() and "|" not in s)


@given(
    stem=TEXT,
    options=st.lists(TEXT, min_size=3, max_size=6, unique_by=lambda s: s.casefold()),
    right=st.integers(0, 5),
)
@settings(max_examples=50, deadline=None)
def test_round_trip_property(stem: str, options: list[str], right: int) -> None:
    content = Content(
        kind=Kind.SINGLE,
        stem=stem,
        options=tuple(Option(text, i == right % len(options)) for i, text in enumerate(options)),
        explanation="Explication.",
    )
    record = replace(_record(), content=content)
    try:
        parsed = parse_items_csv(items_to_csv([record]))
    except ExchangeError:
        return  # options that normalise to the same text are refused: not a round-trip concern
    assert parsed == [record]
    files = items_to_qti([record])
    assert parse_items_qti({"q1.xml": files["q1.xml"]}, files["usagedata.xml"]) == [record]


def test_blank_round_trip_keeps_labels_and_tolerances() -> None:
    content = Content(
        kind=Kind.SHORTS,
        stem="Valeurs ?",
        blanks=(Blank((8.0,), "a", 0.0), Blank(("huit", "8 "), "b")),
        explanation="Voir.",
    )
    record = replace(_record(), content=content)
    files = items_to_qti([record])
    assert parse_items_qti({"q1.xml": files["q1.xml"]}, files["usagedata.xml"])[0].content == content
    assert parse_items_csv(items_to_csv([record]))[0].content.blanks[0] == Blank((8.0,), "a", 0.0)
    assert not zipfile.ZipFile(io.BytesIO(write_zip([record], {}, "qti"))).testzip()
