"""The national results file: header and rows, formula neutralisation (OWASP), CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from certeval.domain.results_file import (
    BOM,
    FORMULA_TRIGGERS,
    IDENTITY_HEADER,
    CompetenceColumn,
    ResultLine,
    Sheet,
    neutralise,
    result_row,
    results_header,
    write_csv,
    write_xlsx,
)

COMPETENCES = [CompetenceColumn("1.1", "Communiquer"), CompetenceColumn("1.2", "Collaborer")]

cells = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.sampled_from([*FORMULA_TRIGGERS, "'", '"', ";", "\n", "a", "é", "1", " ", "\x01"])),
    st.text(),
)


def line(**changes: object) -> ResultLine:
    values: dict[str, object] = {
        "number": 12,
        "birth_name": "Martin",
        "usual_name": "",
        "first_names": "Léa Marie",
        "birth_date": date(1990, 2, 1),
        "birth_place": "Lyon",
        "academy": "Versailles",
        "campaign": "Pix+ Édu 2026",
        "session": "Session de mai",
        "session_date": date(2026, 5, 12),
        "training": "Formation continue",
        "school_level": "Second degré",
        "jury": "Jury 1",
        "oral_date": date(2026, 5, 12),
        "decision": "Certifié",
        "final_level": "Avancé",
        "marks": {"1.2": "Validée"},
        "decided_on": date(2026, 5, 13),
    }
    values.update(changes)
    return ResultLine(**values)  # type: ignore[arg-type]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_header_identity_then_decision_then_one_column_per_competence() -> None:
    header = results_header(COMPETENCES)
    assert header[: len(IDENTITY_HEADER)] == list(IDENTITY_HEADER)
    assert header[len(IDENTITY_HEADER) :] == [
        "Décision",
        "Niveau final",
        "1.1 Communiquer",
        "1.2 Collaborer",
        "Date de la décision",
    ]
    row = result_row(line(), COMPETENCES)
    assert len(row) == len(header)
    assert row[0] == 12 and row[4] == "01/02/1990" and row[-3:] == ["", "Validée", "13/05/2026"]


def test_formula_triggers_are_prefixed_and_numbers_stay_numbers() -> None:
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tcmd") == "'\tcmd" and neutralise("\rcmd") == "'\rcmd"
    assert neutralise("Jean-Pierre") == "Jean-Pierre"
    assert neutralise(-5) == -5 and neutralise(2.5) == 2.5 and neutralise(None) == ""
    with pytest.raises(TypeError):
        neutralise(True)


def test_csv_is_bom_semicolon_quoted_text_and_bare_numbers() -> None:
    out = io.StringIO(newline="")
    write_csv(
        results_header(COMPETENCES), [result_row(line(birth_name="=cmd|' /C calc'!A0"), COMPETENCES)], out
    )
    text = out.getvalue()
    assert text.startswith(BOM + '"N° d\'inscription";"Nom de naissance"')
    assert "\r\n12;" in text
    rows = read_csv(text)
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][4] == "01/02/1990"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=5))
def test_no_csv_cell_starts_with_a_formula_trigger_unless_prefixed(rows: list[list[object]]) -> None:
    out = io.StringIO(newline="")
    write_csv(["a"], rows, out)  # type: ignore[arg-type]
    written = read_csv(out.getvalue())[1:]
    assert len(written) == len(rows)
    for given_row, row in zip(rows, written, strict=True):
        assert len(row) == len(given_row)
        for value, cell in zip(given_row, row, strict=True):
            if isinstance(value, int | float):
                assert float(cell) == value  # a number, never prefixed
            else:
                assert not cell.startswith(FORMULA_TRIGGERS)
                expected = "" if value is None else str(value)
                assert cell in (expected, "'" + expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=4))
@example([["\x01=cmd"]])  # a character XML cannot hold, dropped before the neutralisation
def test_no_xlsx_cell_starts_with_a_formula_trigger_and_numbers_stay_numbers(
    rows: list[list[object]],
) -> None:
    out = io.BytesIO()
    write_xlsx([Sheet("Résultats", ["a"], rows)], out)  # type: ignore[list-item]
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.cell(1, 1).value == "a"
    for r, given_row in enumerate(rows, start=2):
        for c, value in enumerate(given_row, start=1):
            cell = sheet.cell(r, c)
            assert cell.data_type != "f"
            if isinstance(value, int | float):
                assert cell.value == value
            elif isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_TRIGGERS)


def test_xlsx_has_the_results_and_the_missing_sheets_read_back_by_openpyxl() -> None:
    out = io.BytesIO()
    header = results_header(COMPETENCES)
    write_xlsx(
        [
            Sheet("Résultats", header, [result_row(line(), COMPETENCES)]),
            Sheet("Sans décision validée", ["Nom", "Ce qui manque"], [["Durand", "Aucune décision"]]),
        ],
        out,
    )
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Résultats", "Sans décision validée"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == header
    assert rows[1][0] == 12 and rows[1][3] == "Léa Marie" and rows[1][-2] == "Validée"
    assert list(book.worksheets[1].iter_rows(values_only=True))[1] == ("Durand", "Aucune décision")
    with pytest.raises(ValueError):
        write_xlsx([], io.BytesIO())
