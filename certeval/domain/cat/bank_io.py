"""Item bank import/export: CSV (``id,a,b,c[,d][,competence][,part][,level][,accessibility]``) and
QTI 2.1 (one ``assessmentItem`` per item plus one ``usageData`` document with the IRT parameters).

QTI 2.1 has no slot for IRT parameters inside an item: the specification puts item statistics in
*usage data* (``imsqti_usagedata_v2p1``), "e.g. IRT parameters", as ``ordinaryStatistic`` elements
that name the target item. The export therefore writes ``usagedata.xml`` with statistics ``a``, ``b``,
``c`` and ``d`` (context :data:`IRT_CONTEXT`), and each item's content attributes (competence, part,
level, accessibility) as outcome declarations with a default value, so a delivery engine ignores them
and an import gets them back.
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from certeval.domain.cat.irt import FloatArray, ItemBank

REQUIRED_COLUMNS = ("id", "a", "b", "c")
OPTIONAL_COLUMNS = ("d", "competence", "part", "domain", "level", "accessibility")
ACCESSIBILITY_SEPARATOR = "|"

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
USAGE_NS = "http://www.imsglobal.org/xsd/imsqti_usagedata_v2p1"
IRT_CONTEXT = "urn:certeval:irt:4pl-logistic"
CONTENT_OUTCOMES = {"competence": "COMPETENCE", "part": "PART", "domain": "DOMAIN", "level": "LEVEL"}
ACCESSIBILITY_OUTCOME = "ACCESSIBILITY"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class BankFormatError(ValueError):
    """A bank or abilities file that cannot be read; the message names file, line and column."""

    def __init__(self, path: str, line: int | None, column: str | None, message: str) -> None:
        where = path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column


def _float(raw: str, path: str, line: int, column: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise BankFormatError(path, line, column, f"not a number: {raw!r}") from None
    if not math.isfinite(value):
        raise BankFormatError(path, line, column, f"not a finite number: {raw!r}")
    return value


def parse_bank_csv(text: str, path: str = "bank.csv", scale: float = 1.0) -> ItemBank:
    """Read a bank from CSV text (comma or semicolon separated, optional UTF-8 BOM)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BankFormatError(path, 1, None, "the file is empty") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise BankFormatError(
            path, 1, None, f"missing column(s) {', '.join(missing)} (header: {','.join(header)})"
        )
    position = {name: header.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in header}
    ids: list[str] = []
    numbers: dict[str, list[float]] = {"a": [], "b": [], "c": [], "d": []}
    texts: dict[str, list[str]] = {"competence": [], "part": [], "domain": [], "level": []}
    accessibility: list[frozenset[str]] = []
    first_line: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise BankFormatError(
                path, line, header[len(row)], f"expected {len(header)} columns, got {len(row)}"
            )
        item_id = row[position["id"]].strip()
        if not item_id:
            raise BankFormatError(path, line, "id", "empty item id")
        if item_id in first_line:
            raise BankFormatError(
                path, line, "id", f"duplicate id {item_id!r} (first on line {first_line[item_id]})"
            )
        first_line[item_id] = line
        a = _float(row[position["a"]], path, line, "a")
        if a <= 0:
            raise BankFormatError(path, line, "a", f"a must be > 0, got {a}")
        b = _float(row[position["b"]], path, line, "b")
        c = _float(row[position["c"]], path, line, "c")
        if not 0 <= c < 1:
            raise BankFormatError(path, line, "c", f"c must be in [0, 1), got {c}")
        d = (
            _float(row[position["d"]], path, line, "d")
            if "d" in position and row[position["d"]].strip()
            else 1.0
        )
        if not c < d <= 1:
            raise BankFormatError(path, line, "d", f"d must be in (c, 1], got {d}")
        ids.append(item_id)
        for name, value in (("a", a), ("b", b), ("c", c), ("d", d)):
            numbers[name].append(value)
        for name, values in texts.items():
            values.append(row[position[name]].strip() if name in position else "")
        raw_access = row[position["accessibility"]] if "accessibility" in position else ""
        accessibility.append(
            frozenset(f.strip() for f in raw_access.split(ACCESSIBILITY_SEPARATOR) if f.strip())
        )
    if not ids:
        raise BankFormatError(path, None, None, "the bank has no items")
    return ItemBank(
        ids=tuple(ids),
        a=np.array(numbers["a"]),
        b=np.array(numbers["b"]),
        c=np.array(numbers["c"]),
        d=np.array(numbers["d"]),
        competence=tuple(texts["competence"]),
        part=tuple(texts["part"]),
        domain=tuple(texts["domain"]) if "domain" in position else (),
        level=tuple(texts["level"]),
        accessibility=tuple(accessibility),
        scale=scale,
    )


def read_bank_csv(path: Path, scale: float = 1.0) -> ItemBank:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankFormatError(str(path), None, None, f"cannot read the file: {exc}") from exc
    return parse_bank_csv(text, str(path), scale)


def bank_to_csv(bank: ItemBank) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "a", "b", "c", "d", "competence", "part", "domain", "level", "accessibility"])
    for i, item_id in enumerate(bank.ids):
        writer.writerow(
            [
                item_id,
                repr(float(bank.a[i])),
                repr(float(bank.b[i])),
                repr(float(bank.c[i])),
                repr(float(bank.d[i])),
                bank.competence[i],
                bank.part[i],
                bank.domain[i],
                bank.level[i],
                ACCESSIBILITY_SEPARATOR.join(sorted(bank.accessibility[i])),
            ]
        )
    return out.getvalue()


def parse_thetas(text: str, path: str = "thetas.csv") -> FloatArray:
    """One ability per line (an optional non-numeric header line ``theta`` is skipped)."""
    values: list[float] = []
    for line, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        cell = raw.strip().split(",")[0].strip()
        if not cell:
            continue
        if line == 1 and cell.lower() == "theta":
            continue
        values.append(_float(cell, path, line, "theta"))
    if not values:
        raise BankFormatError(path, None, None, "no ability values")
    return np.array(values)


def read_thetas(path: Path) -> FloatArray:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankFormatError(str(path), None, None, f"cannot read the file: {exc}") from exc
    return parse_thetas(text, str(path))


# --- QTI 2.1 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QtiDocuments:
    """The XML of an exported bank: item files by item id, and the usage-data document."""

    items: dict[str, bytes]
    usage_data: bytes

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for item_id, xml in self.items.items():
            (directory / f"{item_id}.xml").write_bytes(xml)
        (directory / "usagedata.xml").write_bytes(self.usage_data)


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _u(tag: str) -> str:
    return f"{{{USAGE_NS}}}{tag}"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def _parse(document: bytes) -> ET.Element:
    # The standard library parser (expat ≥ 2.4) neither fetches external entities nor expands
    # entity bombs; certeval only reads banks a certifier uploads on purpose.
    return ET.fromstring(document)  # noqa: S314


def _outcome(parent: ET.Element, identifier: str, value: str) -> None:
    declaration = ET.SubElement(
        parent, "outcomeDeclaration", identifier=identifier, cardinality="single", baseType="string"
    )
    ET.SubElement(ET.SubElement(declaration, "defaultValue"), "value").text = value


def export_qti(bank: ItemBank, titles: dict[str, str] | None = None) -> QtiDocuments:
    """QTI 2.1 documents for ``bank`` (item ids must be XML NCNames, as QTI identifiers are)."""
    items: dict[str, bytes] = {}
    # Elements are written unqualified under a default namespace declared on the root.
    usage = ET.Element("usageData", xmlns=USAGE_NS)
    for i, item_id in enumerate(bank.ids):
        if not NCNAME.match(item_id):
            raise ValueError(f"item id {item_id!r} is not a valid QTI identifier (an XML NCName)")
        item = ET.Element(
            "assessmentItem",
            xmlns=QTI_NS,
            identifier=item_id,
            title=(titles or {}).get(item_id, item_id),
            adaptive="false",
            timeDependent="false",
        )
        for name, identifier in CONTENT_OUTCOMES.items():
            value: str = getattr(bank, name)[i]
            if value:
                _outcome(item, identifier, value)
        if bank.accessibility[i]:
            _outcome(item, ACCESSIBILITY_OUTCOME, ACCESSIBILITY_SEPARATOR.join(sorted(bank.accessibility[i])))
        items[item_id] = _xml(item)
        for name in ("a", "b", "c", "d"):
            statistic = ET.SubElement(usage, "ordinaryStatistic", name=name, context=IRT_CONTEXT)
            ET.SubElement(statistic, "targetObject", identifier=item_id)
            number = ET.SubElement(statistic, "value", baseType="float")
            number.text = repr(float(getattr(bank, name)[i]))
    return QtiDocuments(items, _xml(usage))


def import_qti(item_documents: Iterable[bytes], usage_data: bytes, scale: float = 1.0) -> ItemBank:
    """Rebuild a bank from QTI 2.1 items and the usage data carrying their IRT parameters."""
    parameters: dict[str, dict[str, float]] = {}
    usage = _parse(usage_data)
    for statistic in usage.iter(_u("ordinaryStatistic")):
        if statistic.get("context") != IRT_CONTEXT:
            continue
        value = statistic.findtext(_u("value"))
        name = statistic.get("name", "")
        for target in statistic.iter(_u("targetObject")):
            parameters.setdefault(target.get("identifier", ""), {})[name] = float(value or "nan")
    ids: list[str] = []
    content: dict[str, list[str]] = {name: [] for name in CONTENT_OUTCOMES}
    accessibility: list[frozenset[str]] = []
    for document in item_documents:
        item = _parse(document)
        item_id = item.get("identifier", "")
        outcomes = {
            d.get("identifier"): d.findtext(f"{_q('defaultValue')}/{_q('value')}") or ""
            for d in item.iter(_q("outcomeDeclaration"))
        }
        ids.append(item_id)
        for name, identifier in CONTENT_OUTCOMES.items():
            content[name].append(outcomes.get(identifier, ""))
        accessibility.append(
            frozenset(f for f in outcomes.get(ACCESSIBILITY_OUTCOME, "").split(ACCESSIBILITY_SEPARATOR) if f)
        )
    missing = [i for i in ids if not {"a", "b", "c"} <= set(parameters.get(i, {}))]
    if missing:
        raise ValueError(f"no IRT parameters in the usage data for item(s) {', '.join(missing[:5])}")
    return ItemBank(
        ids=tuple(ids),
        a=np.array([parameters[i]["a"] for i in ids]),
        b=np.array([parameters[i]["b"] for i in ids]),
        c=np.array([parameters[i]["c"] for i in ids]),
        d=np.array([parameters[i].get("d", 1.0) for i in ids]),
        competence=tuple(content["competence"]),
        part=tuple(content["part"]),
        domain=tuple(content["domain"]),
        level=tuple(content["level"]),
        accessibility=tuple(accessibility),
        scale=scale,
    )


def read_qti_directory(directory: Path, scale: float = 1.0) -> ItemBank:
    usage = directory / "usagedata.xml"
    documents = [p.read_bytes() for p in sorted(directory.glob("*.xml")) if p != usage]
    return import_qti(documents, usage.read_bytes(), scale)
