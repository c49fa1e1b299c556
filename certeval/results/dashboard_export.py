"""The candidate table of the dashboard as a CSV file: `;`-separated, UTF-8 with a BOM (read as is
by spreadsheet software set to French), dates DD/MM/YYYY. A cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an
apostrophe, so an imported name can never run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.results.dashboard_selectors import CandidateRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """The cell as text that no spreadsheet evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def dashboard_csv(rows: Iterable[CandidateRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Candidat"),
            _("Adresse électronique"),
            _("Académie"),
            _("Degré"),
            _("Session"),
            _("Niveau visé"),
            _("État"),
            _("Date de l'oral"),
            _("Décision"),
            _("Niveau obtenu"),
        ]
    )
    for row in rows:
        oral = timezone.localtime(row.oral_at).strftime("%d/%m/%Y") if row.oral_at else ""
        writer.writerow(
            [
                neutralise(cell)
                for cell in (
                    row.name,
                    row.email,
                    row.academy,
                    row.school_level_label,
                    row.session,
                    row.target_level_label,
                    row.state_label,
                    oral,
                    row.decision_label,
                    row.final_level_label,
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
