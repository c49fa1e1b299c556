"""Downloads of the results files and the jury minutes: each one is audited in its transaction
(``results.file_download``, ``results.minutes_download``). The caller has resolved what the actor
may read (certeval.results.files_permissions); ``by`` is ``None`` on the command line."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import override

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Enrolment
from certeval.domain.results_file import Sheet, write_csv, write_xlsx
from certeval.juries.models import Jury
from certeval.results.files_selectors import ResultsTable, Scope, minutes_of, results_table
from certeval.results.minutes_pdf import minutes_pdf

FORMATS: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RESULTS_SHEET: Final = "Résultats"
MISSING_SHEET: Final = "Sans décision validée"


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    filename: str
    content_type: str
    table: ResultsTable


def render_results(table: ResultsTable, fmt: str) -> bytes:
    """The file's bytes. The CSV holds the results only (so that files concatenate); the XLSX adds
    a sheet listing the candidates without validated decision and why."""
    if fmt == "csv":
        text = io.StringIO(newline="")
        write_csv(table.header, table.rows, text)
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        binary = io.BytesIO()
        write_xlsx(
            [
                Sheet(RESULTS_SHEET, table.header, table.rows),
                Sheet(MISSING_SHEET, table.missing_header, [m.cells() for m in table.missing]),
            ],
            binary,
        )
        return binary.getvalue()
    raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")


def results_table_read(
    *, scope: Scope, enrolments: QuerySet[Enrolment], fmt: str, by: User | None
) -> ResultsTable:
    """The results of ``scope`` over the readable ``enrolments`` (labels in French); the read is
    audited with its format (``csv``, ``xlsx`` or ``json`` for the API's table)."""
    with override("fr"):
        table = results_table(scope, enrolments)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="results.file_download",
            target=scope.campaign,
            data={
                "format": fmt,
                "academy": None if scope.academy is None else scope.academy.code,
                "session": None if scope.session is None else scope.session.pk,
                "decisions": len(table.rows),
                "missing": len(table.missing),
            },
        )
    return table


def results_file_export(
    *, scope: Scope, enrolments: QuerySet[Enrolment], fmt: str, by: User | None
) -> ExportedFile:
    """The results file of ``scope`` over the readable ``enrolments``; the download is audited."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")
    table = results_table_read(scope=scope, enrolments=enrolments, fmt=fmt, by=by)
    return ExportedFile(render_results(table, fmt), f"resultats-{scope.slug}.{fmt}", FORMATS[fmt], table)


def minutes_download(*, jury: Jury, by: User | None) -> bytes:
    """The jury's minutes (PDF) from its validated deliberations; the download is audited."""
    with override("fr"):
        minutes = minutes_of(jury)
        pdf = minutes_pdf(minutes)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="results.minutes_download",
            target=jury,
            data={"decisions": len(minutes.lines), "missing": len(minutes.missing)},
        )
    return pdf
