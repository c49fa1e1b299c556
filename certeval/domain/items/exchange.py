"""Whole-item import and export: CSV and QTI 2.1 (content, metadata and IRT parameters).

**CSV** (``items.csv``, UTF-8 with or without BOM, ``,`` or ``;``): one row per item, columns
:data:`CSV_COLUMNS` (the required ones: :data:`REQUIRED`). Several values in one cell are separated by
``|``: the right options (``correct``: option letters, ``a|c``), the accepted variants of a typed
answer (``answer_1``…), the accessibility flags. A typed answer is numeric when its ``tolerance_n``
cell is filled (``0`` for an exact number). ``resources``: one link per line, ``label | url``.
``accessibility`` empty means compatible with every accommodation, ``none`` with none. ``a``, ``b``,
``c`` empty: provisional parameters derived from the level (``records.provisional_irt``).

**QTI 2.1**: one ``assessmentItem`` per item (``<code>.xml``): a ``choiceInteraction`` (single or
multiple cardinality, the right options in ``correctResponse``) or one ``textEntryInteraction`` per
typed answer (``correctResponse`` + a ``mapping`` of the accepted variants, ``baseType`` float for
numbers); the stem in ``div.certeval-stem``, the image as ``img`` with its ``alt``, the attached file as
a link in ``p.certeval-attachment``; the explanation and the resource links in a ``modalFeedback``;
metadata as outcome declarations with a default value (``COMPETENCE``, ``PART``, ``LEVEL``, as
``certeval.domain.cat.bank_io`` does, plus ``AUDIENCE``, ``USAGE``, ``EXPECTED_SECONDS``,
``ACCESSIBILITY``, ``TOLERANCE_n``, ``IRT_PROVISIONAL``). The IRT parameters go in ``usagedata.xml``
(written by ``bank_io.export_qti``: QTI 2.1 keeps item statistics in usage data).

Every reading error names its place (« items.csv line 12, column stem: empty »; « q1.xml, element
simpleChoice 2: empty »); all of them are collected before :class:`ExchangeError` is raised, and
nothing is returned unless the whole file is correct.
"""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import quoteattr

import numpy as np

from certeval.domain.cat.bank_io import IRT_CONTEXT, NCNAME, QTI_NS, USAGE_NS, export_qti
from certeval.domain.cat.irt import ItemBank
from certeval.domain.items.content import (
    ACCOMMODATIONS,
    Blank,
    Content,
    Kind,
    Option,
    Resource,
    Usage,
    as_number,
    option_id,
)
from certeval.domain.items.records import (
    Irt,
    ItemFileError,
    ItemRecord,
    bank_errors,
    provisional_irt,
    read_item_file,
    structural_errors,
)

MAX_OPTIONS, MAX_BLANKS = 6, 4
OPTION_IDS = tuple(option_id(i) for i in range(MAX_OPTIONS))
OPTION_COLUMNS = tuple(f"option_{i}" for i in OPTION_IDS)
BLANK_COLUMNS = tuple(
    name for n in range(1, MAX_BLANKS + 1) for name in (f"answer_{n}", f"label_{n}", f"tolerance_{n}")
)
CSV_COLUMNS = (
    "code",
    "part",
    "competence",
    "level",
    "audience",
    "usage",
    "kind",
    "stem",
    *OPTION_COLUMNS,
    "correct",
    *BLANK_COLUMNS,
    "explanation",
    "resources",
    "image",
    "image_alt",
    "attachment",
    "expected_seconds",
    "accessibility",
    "a",
    "b",
    "c",
    "irt_provisional",
)
REQUIRED = ("code", "part", "competence", "level", "usage", "kind", "stem", "explanation")
SEPARATOR = "|"
CSV_NAME, USAGE_NAME, MANIFEST_NAME = "items.csv", "usagedata.xml", "imsmanifest.xml"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
ATTACHMENT_SUFFIXES = (".csv", ".txt", ".xlsx", ".ods", ".pdf", ".odt", ".docx")
MEDIA_SUFFIXES = {*IMAGE_SUFFIXES, *ATTACHMENT_SUFFIXES}
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_PACKAGE_FILES = 5000
SVG_HANDLER = re.compile(r"\son[a-z]+\s*=")
TRUE, FALSE = {"1", "true", "yes", "oui", "vrai"}, {"0", "false", "no", "non", "faux", ""}


class ExchangeError(ValueError):
    """A file of items that cannot be imported; ``errors`` says where and what, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Package:
    """What an import brings: the item records and the media files they name (name → bytes)."""

    records: tuple[ItemRecord, ...]
    media: Mapping[str, bytes] = field(default_factory=dict)
    source: str = ""


# --- CSV -----------------------------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def _flags(cell: str) -> frozenset[str]:
    if not cell.strip():
        return frozenset(ACCOMMODATIONS)
    if cell.strip().lower() == "none":
        return frozenset()
    return frozenset(_split(cell))


class _Row:
    """One CSV row being read: its cells by column, and the errors found, each with its place."""

    def __init__(self, path: str, line: int, cells: dict[str, str]) -> None:
        self.where = f"{path} line {line}"
        self.cells = cells
        self.errors: list[str] = []

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(
            f"{self.where}, column {column}: {message}" if column else f"{self.where}: {message}"
        )

    def number(self, column: str, default: float | None = None) -> float | None:
        raw = self.get(column)
        if not raw:
            return default
        value = as_number(raw)
        if value is None:
            self.error(column, f"not a number: {raw!r}")
        return value

    def choice(self, column: str, kinds: type[Kind] | type[Usage]) -> str:
        raw = self.get(column)
        values = [k.value for k in kinds]
        if raw not in values:
            self.error(column, f"{raw!r} is not one of {', '.join(values)}" if raw else "empty")
        return raw


def _csv_record(row: _Row) -> ItemRecord | None:
    for column in REQUIRED:
        if column not in ("kind", "usage") and not row.get(column):
            row.error(column, "empty")
    kind_raw = row.choice("kind", Kind)
    usage_raw = row.choice("usage", Usage)
    kind = Kind(kind_raw) if kind_raw in Kind.__members__.values() else None
    options: list[Option] = []
    blanks: list[Blank] = []
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        texts = [row.get(c) for c in OPTION_COLUMNS]
        while texts and not texts[-1]:
            texts.pop()
        for column, text in zip(OPTION_COLUMNS, texts, strict=False):
            if not text:
                row.error(column, "empty (options are filled from option_a without a gap)")
        letters = _split(row.get("correct").lower())
        for letter in letters:
            if letter not in [option_id(i) for i in range(len(texts))]:
                row.error("correct", f"no option {letter!r}")
        if not letters:
            row.error("correct", "empty: give the letter(s) of the right option(s)")
        options = [Option(text, option_id(i) in letters) for i, text in enumerate(texts)]
    elif kind in (Kind.SHORT, Kind.SHORTS):
        for n in range(1, MAX_BLANKS + 1):
            variants = _split(row.get(f"answer_{n}"))
            if not variants:
                continue
            tolerance = row.number(f"tolerance_{n}")
            answers: tuple[str | float, ...] = tuple(variants)
            if tolerance is not None:
                numbers = [as_number(v) for v in variants]
                if any(number is None for number in numbers):
                    row.error(f"answer_{n}", "a numeric answer (tolerance given) must be numbers")
                answers = tuple(float(number) for number in numbers if number is not None)
            blanks.append(Blank(answers=answers, label=row.get(f"label_{n}"), tolerance=tolerance or 0.0))
        if not blanks:
            row.error("answer_1", "empty: give the accepted answer(s)")
    resources: list[Resource] = []
    for text in row.cells.get("resources", "").splitlines():
        if not text.strip():
            continue
        label, bar, url = text.partition(SEPARATOR)
        if not bar or not url.strip().startswith(("http://", "https://")):
            row.error("resources", f"expected « label | https://… », got {text.strip()!r}")
        else:
            resources.append(Resource(label.strip(), url.strip()))
    seconds = row.number("expected_seconds", 60.0)
    a, b, c = row.number("a"), row.number("b"), row.number("c", 0.0)
    if (a is None) != (b is None):
        row.error("a" if a is None else "b", "give both a and b, or neither (provisional parameters)")
    provisional_raw = row.get("irt_provisional").lower()
    if provisional_raw not in TRUE | FALSE:
        row.error("irt_provisional", f"{provisional_raw!r} is not yes or no")
    if row.errors or kind is None:
        return None
    code, level = row.get("code"), row.get("level")
    if a is not None and b is not None:
        irt = Irt(a, b, c or 0.0, provisional=provisional_raw in TRUE)
    else:
        irt = (
            provisional_irt(code, level) if level in ("initie", "confirme", "avance", "expert") else Irt(1, 0)
        )
    content = Content(
        kind=kind,
        stem=row.cells.get("stem", "").strip(),
        options=tuple(options),
        blanks=tuple(blanks),
        explanation=row.cells.get("explanation", "").strip(),
        resources=tuple(resources),
        image_alt=row.get("image_alt"),
        expected_seconds=int(seconds or 0) if seconds is not None and seconds == int(seconds) else -1,
        accessibility=_flags(row.get("accessibility")),
    )
    return ItemRecord(
        code=code,
        part=row.get("part"),
        competence=row.get("competence"),
        level=level,
        usage=Usage(usage_raw),
        content=content,
        irt=irt,
        audience=row.get("audience"),
        image=row.get("image"),
        attachment=row.get("attachment"),
    )


def parse_items_csv(text: str, path: str = CSV_NAME) -> list[ItemRecord]:
    """Read items from CSV text; raises :class:`ExchangeError` with every error, each with its line
    and column (structural rules of ``records.structural_errors`` included)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ExchangeError([f"{path}: the file is empty"]) from None
    except csv.Error as exc:
        raise ExchangeError([f"{path} line 1: {exc}"]) from None
    errors: list[str] = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing:
        errors.append(f"{path} line 1: missing column(s) {', '.join(missing)}")
    if unknown:
        errors.append(f"{path} line 1: unknown column(s) {', '.join(unknown)}")
    if errors:
        raise ExchangeError(errors)
    records: list[ItemRecord] = []
    lines: dict[str, int] = {}
    try:
        for row_cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row_cells):
                continue
            if len(row_cells) > len(header):
                errors.append(f"{path} line {line}: {len(row_cells)} cells for {len(header)} columns")
                continue
            row = _Row(path, line, dict(zip(header, row_cells, strict=False)))
            record = _csv_record(row)
            errors += row.errors
            if record is None:
                continue
            errors += [f"{row.where} ({record.code}): {e}" for e in structural_errors(record)]
            lines[record.code] = line
            records.append(record)
    except csv.Error as exc:
        errors.append(f"{path} line {reader.line_num}: {exc}")
    errors += [f"{path}: {e}" for e in bank_errors(records)]
    if not records and not errors:
        errors.append(f"{path}: the file has no items")
    if errors:
        raise ExchangeError(errors)
    return records


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def items_to_csv(records: Iterable[ItemRecord]) -> str:
    """The CSV of :func:`parse_items_csv` (a round trip gives the same records)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        c = record.content
        row: dict[str, str] = {
            "code": record.code,
            "part": record.part,
            "competence": record.competence,
            "level": record.level,
            "audience": record.audience,
            "usage": record.usage.value,
            "kind": c.kind.value,
            "stem": c.stem,
            "correct": SEPARATOR.join(sorted(c.right_options())),
            "explanation": c.explanation,
            "resources": "\n".join(f"{r.label} {SEPARATOR} {r.url}" for r in c.resources),
            "image": record.image,
            "image_alt": c.image_alt,
            "attachment": record.attachment,
            "expected_seconds": str(c.expected_seconds),
            "accessibility": SEPARATOR.join(sorted(c.accessibility)) if c.accessibility else "none",
            "a": repr(record.irt.a),
            "b": repr(record.irt.b),
            "c": repr(record.irt.c),
            "irt_provisional": "yes" if record.irt.provisional else "no",
        }
        for column, option in zip(OPTION_COLUMNS, c.options, strict=False):
            row[column] = option.text
        for n, blank in enumerate(c.blanks, 1):
            row[f"answer_{n}"] = SEPARATOR.join(
                _number_text(a) if isinstance(a, float) else a for a in blank.answers
            )
            row[f"label_{n}"] = blank.label
            if blank.numeric:
                row[f"tolerance_{n}"] = _number_text(blank.tolerance)
        writer.writerow(row)
    return out.getvalue()


# --- QTI 2.1 -------------------------------------------------------------------------------------

STEM_CLASS, ATTACHMENT_CLASS = "certeval-stem", "certeval-attachment"
EXPLANATION_CLASS, RESOURCES_CLASS = "certeval-explanation", "certeval-resources"
FEEDBACK = "FEEDBACK"


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _u(tag: str) -> str:
    return f"{{{USAGE_NS}}}{tag}"


def _paragraphs(parent: ET.Element, text: str) -> None:
    """Paragraphs (blank lines) of ``text`` as ``p``, line breaks inside them as ``br``."""
    for block in text.split("\n\n"):
        p = ET.SubElement(parent, "p")
        lines = block.split("\n")
        p.text = lines[0]
        for line in lines[1:]:
            ET.SubElement(p, "br").tail = line


def _read_paragraphs(parent: ET.Element) -> str:
    blocks = []
    for p in parent.findall(_q("p")):
        parts = [p.text or ""]
        for child in p:
            if child.tag == _q("br"):
                parts.append("\n")
            parts.append(child.tail or "")
        blocks.append("".join(parts))
    return "\n\n".join(blocks)


def _outcome(parent: ET.Element, identifier: str, value: str) -> None:
    declaration = ET.SubElement(
        parent, "outcomeDeclaration", identifier=identifier, cardinality="single", baseType="string"
    )
    ET.SubElement(ET.SubElement(declaration, "defaultValue"), "value").text = value


def _item_xml(record: ItemRecord) -> bytes:
    c = record.content
    root = ET.Element(
        "assessmentItem",
        xmlns=QTI_NS,
        identifier=record.code,
        title=record.code,
        adaptive="false",
        timeDependent="false",
    )
    if c.kind in (Kind.SINGLE, Kind.MULTIPLE):
        declaration = ET.SubElement(
            root,
            "responseDeclaration",
            identifier="RESPONSE",
            cardinality="single" if c.kind is Kind.SINGLE else "multiple",
            baseType="identifier",
        )
        correct = ET.SubElement(declaration, "correctResponse")
        for letter in sorted(c.right_options()):
            ET.SubElement(correct, "value").text = letter
    else:
        for n, blank in enumerate(c.blanks, 1):
            declaration = ET.SubElement(
                root,
                "responseDeclaration",
                identifier=f"RESPONSE_{n}",
                cardinality="single",
                baseType="float" if blank.numeric else "string",
            )
            texts = [_number_text(a) if isinstance(a, float) else a for a in blank.answers]
            ET.SubElement(ET.SubElement(declaration, "correctResponse"), "value").text = texts[0]
            mapping = ET.SubElement(declaration, "mapping", defaultValue="0")
            for text in texts:
                ET.SubElement(mapping, "mapEntry", mapKey=text, mappedValue="1")
    ET.SubElement(root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    ET.SubElement(
        root, "outcomeDeclaration", identifier=FEEDBACK, cardinality="single", baseType="identifier"
    )
    metadata = {
        "COMPETENCE": record.competence,
        "PART": record.part,
        "LEVEL": record.level,
        "AUDIENCE": record.audience,
        "USAGE": record.usage.value,
        "EXPECTED_SECONDS": str(c.expected_seconds),
        "ACCESSIBILITY": SEPARATOR.join(sorted(c.accessibility)) if c.accessibility else "none",
        "IRT_PROVISIONAL": "true" if record.irt.provisional else "false",
    }
    for n, blank in enumerate(c.blanks, 1):
        if blank.numeric:
            metadata[f"TOLERANCE_{n}"] = _number_text(blank.tolerance)
    for identifier, value in metadata.items():
        if value:
            _outcome(root, identifier, value)
    body = ET.SubElement(root, "itemBody")
    _paragraphs(ET.SubElement(body, "div", {"class": STEM_CLASS}), c.stem)
    if record.image:
        ET.SubElement(ET.SubElement(body, "p"), "img", src=record.image, alt=c.image_alt)
    if record.attachment:
        link = ET.SubElement(
            ET.SubElement(body, "p", {"class": ATTACHMENT_CLASS}), "a", href=record.attachment
        )
        link.text = record.attachment
    if c.kind in (Kind.SINGLE, Kind.MULTIPLE):
        interaction = ET.SubElement(
            body,
            "choiceInteraction",
            responseIdentifier="RESPONSE",
            shuffle="false",
            maxChoices="1" if c.kind is Kind.SINGLE else "0",
        )
        for i, option in enumerate(c.options):
            ET.SubElement(interaction, "simpleChoice", identifier=option_id(i)).text = option.text
    else:
        for n, blank in enumerate(c.blanks, 1):
            p = ET.SubElement(body, "p")
            if blank.label:
                p.text = blank.label + " "
            ET.SubElement(p, "textEntryInteraction", responseIdentifier=f"RESPONSE_{n}")
    if c.kind in (Kind.SINGLE, Kind.MULTIPLE):
        ET.SubElement(
            root,
            "responseProcessing",
            template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
        )
    feedback = ET.SubElement(
        root, "modalFeedback", outcomeIdentifier=FEEDBACK, identifier="EXPLANATION", showHide="show"
    )
    _paragraphs(ET.SubElement(feedback, "div", {"class": EXPLANATION_CLASS}), c.explanation)
    if c.resources:
        listing = ET.SubElement(feedback, "ul", {"class": RESOURCES_CLASS})
        for resource in c.resources:
            ET.SubElement(ET.SubElement(listing, "li"), "a", href=resource.url).text = resource.label
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def items_to_qti(records: Iterable[ItemRecord]) -> dict[str, bytes]:
    """QTI 2.1 documents: ``<code>.xml`` per item and ``usagedata.xml`` with the IRT parameters.
    Codes must be XML NCNames (QTI identifiers); raises ``ValueError`` otherwise."""
    records = list(records)
    for record in records:
        if not NCNAME.match(record.code):
            raise ValueError(f"item code {record.code!r} is not a valid QTI identifier (an XML NCName)")
    bank = ItemBank(
        ids=tuple(r.code for r in records),
        a=np.array([r.irt.a for r in records], dtype=float),
        b=np.array([r.irt.b for r in records], dtype=float),
        c=np.array([r.irt.c for r in records], dtype=float),
        d=np.ones(len(records)),
        competence=tuple(r.competence for r in records),
        part=tuple(r.part for r in records),
        level=tuple(r.level for r in records),
        accessibility=tuple(r.content.accessibility for r in records),
    )
    files = {f"{r.code}.xml": _item_xml(r) for r in records}
    files[USAGE_NAME] = export_qti(bank).usage_data
    files[MANIFEST_NAME] = _manifest(records)
    return files


def _manifest(records: list[ItemRecord]) -> bytes:
    """The IMS Content Packaging 1.1 manifest of a QTI 2.1 package: one ``imsqti_item_xmlv2p1``
    resource per item with the files it uses (its document, image, attached file), and the usage data
    (the IRT parameters) as web content."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest xmlns="{CP_NS}" identifier="certeval-items">',
        "  <metadata><schema>IMS Content</schema><schemaversion>1.1</schemaversion></metadata>",
        "  <organizations/>",
        "  <resources>",
    ]
    for record in records:
        href = f"{record.code}.xml"
        lines.append(
            f'    <resource identifier={quoteattr("item-" + record.code)} type="imsqti_item_xmlv2p1"'
            f" href={quoteattr(href)}>"
        )
        lines += [f"      <file href={quoteattr(n)}/>" for n in (href, record.image, record.attachment) if n]
        lines.append("    </resource>")
    lines += [
        f'    <resource identifier="usage-data" type="webcontent" href="{USAGE_NAME}">',
        f'      <file href="{USAGE_NAME}"/>',
        "    </resource>",
        "  </resources>",
        "</manifest>",
        "",
    ]
    return "\n".join(lines).encode()


class _Xml:
    """Errors of one QTI document, each naming the file and the element."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[str] = []

    def error(self, element: str, message: str) -> None:
        self.errors.append(f"{self.name}, element {element}: {message}")


def _parse_xml(name: str, data: bytes) -> ET.Element:
    try:
        # The standard library parser (expat ≥ 2.4) neither fetches external entities nor expands
        # entity bombs.
        return ET.fromstring(data)  # noqa: S314
    except ET.ParseError as exc:
        raise ExchangeError([f"{name}, line {exc.position[0]}: not well-formed XML ({exc})"]) from None


def _usage_parameters(data: bytes | None, errors: list[str]) -> dict[str, dict[str, float]]:
    if data is None:
        return {}
    try:
        root = _parse_xml(USAGE_NAME, data)
    except ExchangeError as exc:
        errors += exc.errors
        return {}
    parameters: dict[str, dict[str, float]] = {}
    for n, statistic in enumerate(root.iter(_u("ordinaryStatistic")), 1):
        if statistic.get("context") != IRT_CONTEXT:
            continue
        raw = statistic.findtext(_u("value")) or ""
        value = as_number(raw)
        if value is None or not math.isfinite(value):
            errors.append(f"{USAGE_NAME}, element ordinaryStatistic {n}: value {raw!r} is not a number")
            continue
        for target in statistic.iter(_u("targetObject")):
            parameters.setdefault(target.get("identifier", ""), {})[statistic.get("name", "")] = value
    return parameters


def _qti_record(
    name: str, root: ET.Element, parameters: dict[str, dict[str, float]]
) -> tuple[ItemRecord | None, list[str]]:
    doc = _Xml(name)
    if root.tag != _q("assessmentItem"):
        doc.error(root.tag.rsplit("}", 1)[-1], f"expected a QTI 2.1 assessmentItem (namespace {QTI_NS})")
        return None, doc.errors
    code = root.get("identifier", "")
    if not code:
        doc.error("assessmentItem", "no identifier")
    outcomes = {
        d.get("identifier", ""): d.findtext(f"{_q('defaultValue')}/{_q('value')}") or ""
        for d in root.findall(_q("outcomeDeclaration"))
    }
    body = root.find(_q("itemBody"))
    if body is None:
        doc.error("assessmentItem", "no itemBody")
        return None, doc.errors
    stem_div = next((d for d in body.iter(_q("div")) if d.get("class") == STEM_CLASS), None)
    stem = _read_paragraphs(stem_div) if stem_div is not None else ""
    if not stem.strip():
        doc.error("itemBody", f"no stem (div class={STEM_CLASS!r} with its paragraphs)")
    image = next(iter(body.iter(_q("img"))), None)
    attachment = next(
        (a for p in body.iter(_q("p")) if p.get("class") == ATTACHMENT_CLASS for a in p.iter(_q("a"))), None
    )
    declarations = {d.get("identifier", ""): d for d in root.findall(_q("responseDeclaration"))}
    choice = body.find(f".//{_q('choiceInteraction')}")
    options: list[Option] = []
    blanks: list[Blank] = []
    kind: Kind | None = None
    if choice is not None:
        declaration = declarations.get(choice.get("responseIdentifier", ""))
        if declaration is None:
            doc.error("choiceInteraction", "no responseDeclaration for its responseIdentifier")
            return None, doc.errors
        kind = Kind.SINGLE if declaration.get("cardinality") == "single" else Kind.MULTIPLE
        right = {v.text or "" for v in declaration.iter(_q("value"))}
        choices = choice.findall(_q("simpleChoice"))
        identifiers = [c.get("identifier", "") for c in choices]
        for letter in sorted(right - set(identifiers)):
            doc.error("correctResponse", f"value {letter!r} is not a simpleChoice identifier")
        for n, simple in enumerate(choices, 1):
            text = "".join(simple.itertext()).strip()
            if not text:
                doc.error(f"simpleChoice {n}", "empty")
            options.append(Option(text, simple.get("identifier", "") in right))
    else:
        entries = list(body.iter(_q("textEntryInteraction")))
        if not entries:
            doc.error("itemBody", "no choiceInteraction nor textEntryInteraction")
            return None, doc.errors
        kind = Kind.SHORT if len(entries) == 1 else Kind.SHORTS
        parents = {child: parent for parent in body.iter() for child in parent}
        for n, entry in enumerate(entries, 1):
            identifier = entry.get("responseIdentifier", "")
            declaration = declarations.get(identifier)
            if declaration is None:
                doc.error(f"textEntryInteraction {n}", f"no responseDeclaration {identifier!r}")
                continue
            variants = [e.get("mapKey", "") for e in declaration.iter(_q("mapEntry"))] or [
                v.text or "" for v in declaration.iter(_q("value"))
            ]
            answers: tuple[str | float, ...] = tuple(variants)
            tolerance = 0.0
            if declaration.get("baseType") in ("float", "integer"):
                numbers = [as_number(v) for v in variants]
                if any(number is None for number in numbers):
                    doc.error(f"responseDeclaration {identifier}", "a numeric answer that is not a number")
                answers = tuple(float(number) for number in numbers if number is not None)
                raw = outcomes.get(f"TOLERANCE_{n}", "0")
                tolerance = as_number(raw) or 0.0
            label = (parents[entry].text or "").strip() if entry in parents else ""
            blanks.append(Blank(answers=answers, label=label, tolerance=tolerance))
    feedback = root.find(_q("modalFeedback"))
    explanation, resources = "", []
    if feedback is not None:
        div = next((d for d in feedback.iter(_q("div")) if d.get("class") == EXPLANATION_CLASS), None)
        explanation = _read_paragraphs(div) if div is not None else "".join(feedback.itertext()).strip()
        for link in feedback.iter(_q("a")):
            resources.append(Resource("".join(link.itertext()).strip(), link.get("href", "")))
    seconds_raw = outcomes.get("EXPECTED_SECONDS", "60")
    seconds = as_number(seconds_raw)
    if seconds is None or not seconds.is_integer():
        doc.error("outcomeDeclaration EXPECTED_SECONDS", f"not a whole number: {seconds_raw!r}")
    usage_raw = outcomes.get("USAGE", "")
    if usage_raw not in [u.value for u in Usage]:
        doc.error("outcomeDeclaration USAGE", f"{usage_raw!r} is not one of practice, certification")
    level = outcomes.get("LEVEL", "")
    given = parameters.get(code, {})
    if {"a", "b"} <= set(given):
        irt = Irt(given["a"], given["b"], given.get("c", 0.0), outcomes.get("IRT_PROVISIONAL") == "true")
    else:
        irt = (
            provisional_irt(code, level) if level in ("initie", "confirme", "avance", "expert") else Irt(1, 0)
        )
    if doc.errors or kind is None:
        return None, doc.errors
    record = ItemRecord(
        code=code,
        part=outcomes.get("PART", ""),
        competence=outcomes.get("COMPETENCE", ""),
        level=level,
        usage=Usage(usage_raw),
        content=Content(
            kind=kind,
            stem=stem,
            options=tuple(options),
            blanks=tuple(blanks),
            explanation=explanation,
            resources=tuple(resources),
            image_alt=image.get("alt", "") if image is not None else "",
            expected_seconds=int(seconds or 0),
            accessibility=_flags(outcomes.get("ACCESSIBILITY", "")),
        ),
        irt=irt,
        audience=outcomes.get("AUDIENCE", ""),
        image=image.get("src", "") if image is not None else "",
        attachment=attachment.get("href", "") if attachment is not None else "",
    )
    return record, [f"{name}, item {code}: {e}" for e in structural_errors(record)]


def parse_items_qti(documents: Mapping[str, bytes], usage_data: bytes | None) -> list[ItemRecord]:
    """Read items from QTI 2.1 documents (name → XML) and the usage data with their IRT parameters
    (an item without parameters gets provisional ones from its level)."""
    errors: list[str] = []
    parameters = _usage_parameters(usage_data, errors)
    records: list[ItemRecord] = []
    for name, data in sorted(documents.items()):
        try:
            root = _parse_xml(name, data)
        except ExchangeError as exc:
            errors += exc.errors
            continue
        record, found = _qti_record(name, root, parameters)
        errors += found
        if record is not None and not found:
            records.append(record)
    errors += bank_errors(records)
    if not records and not errors:
        errors.append("no assessmentItem document")
    if errors:
        raise ExchangeError(errors)
    return records


# --- packages (zip, directory) -------------------------------------------------------------------


def _media_errors(records: Iterable[ItemRecord], media: Mapping[str, bytes]) -> list[str]:
    errors = []
    for record in records:
        for name in (record.image, record.attachment):
            if not name:
                continue
            if name not in media:
                errors.append(f"{record.code}: file {name} not found beside the items")
            elif PurePosixPath(name).suffix.lower() not in MEDIA_SUFFIXES:
                errors.append(
                    f"{record.code}: file {name}: type not accepted ({', '.join(sorted(MEDIA_SUFFIXES))})"
                )
            elif len(media[name]) > MAX_MEDIA_BYTES:
                errors.append(
                    f"{record.code}: file {name} is larger than {MAX_MEDIA_BYTES // 1024 // 1024} MB"
                )
            elif name.lower().endswith(".svg") and unsafe_svg(media[name]):
                errors.append(f"{record.code}: file {name}: an SVG with scripts or event handlers is refused")
    return errors


def unsafe_svg(data: bytes) -> bool:
    """An SVG with a script, a ``javascript:`` link or an event handler (``onload=`` …)."""
    text = data.decode("utf-8", "replace").lower()
    return "<script" in text or "javascript:" in text or SVG_HANDLER.search(text) is not None


def read_files(files: Mapping[str, bytes], source: str = "") -> Package:
    """Items from the files of a package (name → bytes, names relative to its root): ``items.csv``
    (or the only CSV naming the columns), else the QTI documents and ``usagedata.xml``; every other
    file is a medium the items may name."""
    flat = {PurePosixPath(name).name: data for name, data in files.items() if not name.endswith("/")}
    csv_names = [
        n
        for n in flat
        if n.lower().endswith(".csv") and flat[n][:200].lower().lstrip(b"\xef\xbb\xbf").startswith(b"code")
    ]
    xml_names = [n for n in flat if n.lower().endswith(".xml") and n not in (USAGE_NAME, MANIFEST_NAME)]
    if CSV_NAME in flat or csv_names:
        name = CSV_NAME if CSV_NAME in flat else csv_names[0]
        try:
            text = flat[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExchangeError([f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
        records = parse_items_csv(text, name)
        used = {name}
    elif xml_names:
        records = parse_items_qti({n: flat[n] for n in xml_names}, flat.get(USAGE_NAME))
        used = {*xml_names, USAGE_NAME, MANIFEST_NAME}
    else:
        raise ExchangeError([f"{source or 'the package'}: no items.csv and no QTI item (.xml) found"])
    media = {n: data for n, data in flat.items() if n not in used}
    errors = _media_errors(records, media)
    if errors:
        raise ExchangeError(errors)
    return Package(tuple(records), media, source)


def read_upload(name: str, data: bytes) -> Package:
    """An uploaded file: a CSV, one QTI item, or a zip of a package (CSV or QTI, with the media)."""
    lower = name.lower()
    if lower.endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise ExchangeError([f"{name}: not a zip archive"]) from None
        infos = [
            i
            for i in archive.infolist()
            if not i.is_dir() and not PurePosixPath(i.filename).name.startswith(".")
        ]
        if len(infos) > MAX_PACKAGE_FILES:
            raise ExchangeError([f"{name}: more than {MAX_PACKAGE_FILES} files"])
        if sum(i.file_size for i in infos) > 50 * MAX_MEDIA_BYTES:
            raise ExchangeError(
                [
                    f"{name}: the archive is larger than {50 * MAX_MEDIA_BYTES // 1024 // 1024} MB once unpacked"
                ]
            )
        return read_files({i.filename: archive.read(i) for i in infos}, name)
    if lower.endswith(".csv"):
        return read_files({CSV_NAME: data}, name)
    if lower.endswith(".xml"):
        return read_files({name: data}, name)
    raise ExchangeError([f"{name}: expected a .csv, a QTI .xml or a .zip package"])


def read_path(path: Path) -> Package:
    """A file (as :func:`read_upload`) or a directory: YAML item files (the demo bank's format,
    ``records.read_item_file``), or a CSV or QTI package, with the media beside them."""
    if not path.is_dir():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExchangeError([f"{path}: cannot read the file ({exc.strerror})"]) from None
        if path.suffix.lower() in (".yaml", ".yml"):
            return _read_yaml([path], {p.name: p.read_bytes() for p in path.parent.iterdir() if _is_media(p)})
        if path.suffix.lower() == ".csv":
            media = {p.name: p.read_bytes() for p in path.parent.iterdir() if _is_media(p) and p != path}
            return read_files({CSV_NAME: data, **media}, str(path))
        return read_upload(path.name, data)
    yaml_files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if yaml_files:
        return _read_yaml(yaml_files, {p.name: p.read_bytes() for p in path.iterdir() if _is_media(p)})
    files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    return read_files(files, str(path))


def _is_media(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in MEDIA_SUFFIXES


def _read_yaml(paths: list[Path], media: dict[str, bytes]) -> Package:
    errors: list[str] = []
    records: list[ItemRecord] = []
    for path in paths:
        try:
            records += read_item_file(path)
        except ItemFileError as exc:
            errors += exc.errors
    errors += bank_errors(records)
    errors += _media_errors(records, media)
    if errors:
        raise ExchangeError(errors)
    used = {name for r in records for name in (r.image, r.attachment) if name}
    return Package(tuple(records), {n: d for n, d in media.items() if n in used}, str(paths[0].parent))


def write_zip(records: Iterable[ItemRecord], media: Mapping[str, bytes], fmt: str) -> bytes:
    """A package: ``items.csv`` (fmt ``csv``) or the QTI documents (``qti``), with the media."""
    records = list(records)
    files = {CSV_NAME: items_to_csv(records).encode()} if fmt == "csv" else items_to_qti(records)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, data in sorted(media.items()):
            archive.writestr(name, data)
    return out.getvalue()
