from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from certeval.domain.cat.bank_io import (
    BankFormatError,
    bank_to_csv,
    export_qti,
    import_qti,
    parse_bank_csv,
    parse_thetas,
    read_qti_directory,
)
from certeval.domain.cat.irt import ItemBank

STANDARDS = Path(__file__).resolve().parents[4] / ".." / "shared" / "standards" / "qti21"

# The QTI 2.1 item schema imports xml.xsd, XInclude, MathML 2 and APIP from sibling folders
# (../w3/..., ../apipv1p0/...) that are not shipped with the offline standards copy, and lxml would
# otherwise try to load them. A local resolver serves minimal stand-ins that declare just the
# attributes and elements the QTI schema refers to (xml:lang, xml:base, xi:include, m:math,
# apip:apipAccessibility), so every QTI construct is still validated and nothing is fetched.
STUBS = {
    "xml.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://www.w3.org/XML/1998/namespace">
      <xs:attribute name="lang" type="xs:language"/><xs:attribute name="base" type="xs:anyURI"/>
      <xs:attribute name="space" type="xs:NCName"/><xs:attribute name="id" type="xs:ID"/>
    </xs:schema>""",
    "XInclude.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://www.w3.org/2001/XInclude">
      <xs:element name="include"><xs:complexType><xs:sequence><xs:any processContents="skip"
        minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="skip"/>
      </xs:complexType></xs:element></xs:schema>""",
    "mathml2.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://www.w3.org/1998/Math/MathML">
      <xs:element name="math"><xs:complexType mixed="true"><xs:sequence><xs:any processContents="skip"
        minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="skip"/>
      </xs:complexType></xs:element></xs:schema>""",
    "apipv1p0_qtiextv2p1_v1p0.xsd": """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="http://www.imsglobal.org/xsd/apip/apipv1p0/imsapip_qtiv1p0">
      <xs:element name="apipAccessibility"><xs:complexType><xs:sequence><xs:any processContents="skip"
        minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element></xs:schema>""",
}


def schema(name: str):  # type: ignore[no-untyped-def]
    etree = pytest.importorskip("lxml.etree")
    if not (STANDARDS / name).is_file():
        pytest.skip(f"QTI 2.1 schemas not found in {STANDARDS.resolve()} (shared standards folder absent)")

    class Stubs(etree.Resolver):  # type: ignore[misc, name-defined]
        def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
            for suffix, text in STUBS.items():
                if url.endswith(suffix):
                    return self.resolve_string(text, context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Stubs())
    return etree.XMLSchema(etree.parse(str(STANDARDS / name), parser)), etree


def sample_bank() -> ItemBank:
    return ItemBank(
        ids=("q1", "q2", "q3"),
        a=np.array([1.1, 0.7, 2.05]),
        b=np.array([-0.5, 0.25, 1.75]),
        c=np.array([0.2, 0.0, 0.15]),
        d=np.array([1.0, 1.0, 0.97]),
        competence=("1.1", "2.3", "5.2"),
        part=("crcn", "crcn-edu", "crcn"),
        level=("", "Avancé", ""),
        accessibility=(frozenset({"screen-reader"}), frozenset(), frozenset({"screen-reader", "no-audio"})),
    )


def assert_same(left: ItemBank, right: ItemBank) -> None:
    assert left.ids == right.ids
    for name in ("a", "b", "c", "d"):
        np.testing.assert_array_equal(getattr(left, name), getattr(right, name))
    for name in ("competence", "part", "domain", "level", "accessibility"):
        assert getattr(left, name) == getattr(right, name)


def test_csv_round_trip_and_minimal_columns() -> None:
    bank = sample_bank()
    assert_same(parse_bank_csv(bank_to_csv(bank)), bank)
    minimal = parse_bank_csv("\ufeffid;a;b;c\nx;1,0;0;0\n".replace(",0", ".0"), "m.csv")
    assert minimal.ids == ("x",) and minimal.part == ("",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,a,b\nq,1,0\n", "bank.csv, line 1: missing column(s) c"),
        ("id,a,b,c\nq,0,0,0\n", "bank.csv, line 2, column 'a': a must be > 0, got 0.0"),
        ("id,a,b,c\nq,1,0,0\nr,-1,0,0\n", "line 3, column 'a': a must be > 0"),
        ("id,a,b,c\nq,1,0,1\n", "line 2, column 'c': c must be in [0, 1), got 1.0"),
        ("id,a,b,c\nq,1,0,-0.1\n", "column 'c': c must be in [0, 1)"),
        ("id,a,b,c\nq,1,0,0\nq,1,1,0\n", "line 3, column 'id': duplicate id 'q' (first on line 2)"),
        ("id,a,b,c\nq,1,easy,0\n", "line 2, column 'b': not a number: 'easy'"),
        ("id,a,b,c\nq,1,nan,0\n", "column 'b': not a finite number"),
        ("id,a,b,c\nq,1,0\n", "line 2, column 'c': expected 4 columns, got 3"),
        ("id,a,b,c\n", "bank.csv: the bank has no items"),
        ("", "bank.csv, line 1: the file is empty"),
    ],
)
def test_malformed_banks_are_reported_with_line_and_column(text: str, message: str) -> None:
    with pytest.raises(BankFormatError) as caught:
        parse_bank_csv(text, "bank.csv")
    assert message in str(caught.value)


def test_thetas_file() -> None:
    np.testing.assert_array_equal(parse_thetas("theta\n0.5\n\n-1\n"), [0.5, -1.0])
    with pytest.raises(BankFormatError, match=r"thetas\.csv, line 2, column 'theta': not a number"):
        parse_thetas("0.1\nhigh\n", "thetas.csv")


def test_qti_export_is_valid_qti_21_and_round_trips(tmp_path: Path) -> None:
    bank = sample_bank()
    documents = export_qti(bank, titles={"q1": "Recherche d'information"})
    item_schema, etree = schema("imsqti_v2p1.xsd")
    usage_schema, _ = schema("imsqti_usagedata_v2p1.xsd")
    for xml in documents.items.values():
        document = etree.fromstring(xml)
        assert item_schema.validate(document), item_schema.error_log
    usage = etree.fromstring(documents.usage_data)
    assert usage_schema.validate(usage), usage_schema.error_log
    assert_same(import_qti(documents.items.values(), documents.usage_data), bank)
    documents.write(tmp_path / "qti")
    assert_same(read_qti_directory(tmp_path / "qti"), bank)


def test_qti_export_refuses_ids_that_are_not_identifiers() -> None:
    bank = ItemBank(("1 bad",), np.ones(1), np.zeros(1), np.zeros(1), np.ones(1))
    with pytest.raises(ValueError, match="not a valid QTI identifier"):
        export_qti(bank)


def test_qti_import_needs_irt_parameters() -> None:
    documents = export_qti(sample_bank())
    with pytest.raises(ValueError, match="no IRT parameters"):
        import_qti(
            documents.items.values(),
            b'<usageData xmlns="http://www.imsglobal.org/xsd/imsqti_usagedata_v2p1"/>',
        )
