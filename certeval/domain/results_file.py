"""The national results file: its columns, its rows, formula neutralisation and the CSV and XLSX
writers (pure Python: the web app, the API, ``certeval results export`` and the benchmark call it).

One structure for every academy and session of a campaign, so that files sent by several jury
presidents concatenate: the identity columns, the decision and the final level, then one column per
competence of the référentiel (a label: the level or the validation, never a code), then the date
of the decision. Dates are written ``DD/MM/YYYY``.

Formula injection (OWASP, « CSV Injection »): a text cell starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is prefixed with a single quote, in the CSV and in the XLSX alike; numbers
are written as numbers. The CSV is UTF-8 with a byte order mark, ``;``-separated, every text cell in
double quotes (embedded quotes doubled), lines ending in CRLF.

The XLSX writer streams the sheet's XML into the zip itself (inline strings, no styles beyond the
default): building 100,000 rows with openpyxl's write-only mode took about four times the budget of
``bench/results_export.py``; openpyxl reads the files back in the tests.
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain
from typing import IO, Final
from xml.sax.saxutils import escape

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
BOM: Final = "\ufeff"

Cell = str | int | float | None

IDENTITY_HEADER: Final = (
    "N° d'inscription",
    "Nom de naissance",
    "Nom d'usage",
    "Prénoms",
    "Date de naissance",
    "Lieu de naissance",
    "Académie",
    "Campagne",
    "Session",
    "Date de la session",
    "Formation",
    "Degré",
    "Jury",
    "Date de l'oral",
)
DECISION_HEADER: Final = ("Décision", "Niveau final")
TAIL_HEADER: Final = ("Date de la décision",)
MISSING_HEADER: Final = ("N° d'inscription", "Nom", "Prénoms", "Académie", "Session", "Ce qui manque")


def neutralise(value: Cell) -> str | int | float:
    """The cell as written: numbers unchanged, ``None`` empty, a text starting with a formula
    trigger prefixed with ``'``."""
    if type(value) is str:
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("A results cell is text or a number, not a boolean.")
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


@lru_cache(maxsize=4096)
def french_date(value: date | None) -> str:
    """``DD/MM/YYYY`` (a file repeats its dates: each is formatted once)."""
    return "" if value is None else value.strftime("%d/%m/%Y")


@dataclass(frozen=True, slots=True)
class CompetenceColumn:
    """One competence of the référentiel: its id and title make the header ``« id title »``."""

    id: str
    title: str

    @property
    def header(self) -> str:
        return f"{self.id} {self.title}"


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One candidate's validated decision, as the file shows it (labels, not codes)."""

    number: int
    birth_name: str
    usual_name: str
    first_names: str
    birth_date: date | None
    birth_place: str
    academy: str
    campaign: str
    session: str
    session_date: date | None
    training: str
    school_level: str
    jury: str
    oral_date: date | None
    decision: str
    final_level: str
    marks: dict[str, str] = field(default_factory=dict)
    decided_on: date | None = None


def results_header(competences: Sequence[CompetenceColumn]) -> list[str]:
    """The header of a campaign's file: it depends only on the référentiel's competences."""
    return [*IDENTITY_HEADER, *DECISION_HEADER, *(c.header for c in competences), *TAIL_HEADER]


def result_row(line: ResultLine, competences: Sequence[CompetenceColumn]) -> list[Cell]:
    """The line's cells in the order of :func:`results_header` (a competence without mark: empty)."""
    return [
        line.number,
        line.birth_name,
        line.usual_name,
        line.first_names,
        french_date(line.birth_date),
        line.birth_place,
        line.academy,
        line.campaign,
        line.session,
        french_date(line.session_date),
        line.training,
        line.school_level,
        line.jury,
        french_date(line.oral_date),
        line.decision,
        line.final_level,
        *(line.marks.get(c.id, "") for c in competences),
        french_date(line.decided_on),
    ]


@dataclass(frozen=True, slots=True)
class Sheet:
    """A table of the file: its name (the XLSX sheet), header and rows."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], stream: IO[str]) -> None:
    """UTF-8 with BOM (the caller opens ``stream`` in UTF-8 with ``newline=""``), ``;``-separated,
    text in double quotes, numbers bare, every cell neutralised."""
    stream.write(BOM)
    writer = csv.writer(stream, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)


# Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _cell_xml(value: Cell) -> str:
    """A cell without reference: the reader places it after the previous one of its row (an empty
    cell is written ``<c/>`` so that the columns stay in place)."""
    if type(value) is str:
        # Characters XML cannot hold go first, so that what follows them is neutralised as written.
        value = _INVALID_XML.sub("", value)
    cell = neutralise(value)
    if isinstance(cell, int) or (isinstance(cell, float) and math.isfinite(cell)):
        return f"<c><v>{cell!r}</v></c>"
    cell = str(cell)
    if not cell:
        return "<c/>"
    text = escape(_INVALID_XML.sub("", cell))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    # Results repeat their labels (decisions, levels, academies, dates): each distinct value is
    # turned into XML once, in a cache emptied when it grows large.
    cache: dict[Cell, str] = {}
    for number, row in enumerate(chain([sheet.header], sheet.rows), start=1):
        parts = []
        for value in row:
            xml = cache.get(value)
            if xml is None or type(value) is bool:
                xml = _cell_xml(value)
                if len(cache) > 50_000:
                    cache.clear()
                cache[value] = xml
            parts.append(xml)
        yield f'<row r="{number}">{"".join(parts)}</row>'
    yield "</sheetData></worksheet>"


def _sheet_names(sheets: Sequence[Sheet]) -> list[str]:
    names: list[str] = []
    for index, sheet in enumerate(sheets, start=1):
        name = _SHEET_NAME.sub(" ", sheet.name).strip()[:31] or f"Feuille {index}"
        while name.lower() in (n.lower() for n in names):
            name = f"{name[:28]} {index}"
        names.append(name)
    return names


def write_xlsx(sheets: Sequence[Sheet], stream: IO[bytes]) -> None:
    """An Office Open XML workbook with one sheet per table, every cell neutralised."""
    if not sheets:
        raise ValueError("A workbook has at least one sheet.")
    names = _sheet_names(sheets)
    main = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{main}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{main}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{package}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{main}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for index, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True) as part:
                buffer: list[str] = []
                for chunk in _sheet_xml(sheet):
                    buffer.append(chunk)
                    if len(buffer) >= 2000:
                        part.write("".join(buffer).encode())
                        buffer.clear()
                part.write("".join(buffer).encode())
