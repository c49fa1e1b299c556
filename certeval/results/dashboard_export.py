"""The candidate table of the dashboard as a CSV file: `;`-separated, UTF-8 with a BOM (read as is
by spreadsheet software set to French), dates DD/MM/YYYY. A cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an
apostrophe, so an imported name can never run as a formula (the results file's writer,
``certeval.domain.results_file.write_csv``)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.domain.results_file import write_csv
from certeval.results.dashboard_selectors import CandidateRow


def dashboard_csv(rows: Iterable[CandidateRow]) -> bytes:
    out = io.StringIO()
    header = [
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
    write_csv(
        header,
        (
            (
                row.name,
                row.email,
                row.academy,
                row.school_level_label,
                row.session,
                row.target_level_label,
                row.state_label,
                timezone.localtime(row.oral_at).strftime("%d/%m/%Y") if row.oral_at else "",
                row.decision_label,
                row.final_level_label,
            )
            for row in rows
        ),
        out,
    )
    return out.getvalue().encode("utf-8")
