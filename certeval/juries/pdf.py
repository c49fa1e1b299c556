"""The score sheet (bordereau, Annexe 4 of seed 004) of a validated decision, as a PDF (WeasyPrint),
and the helper every jury document is printed with (the jury minutes of ``certeval.results``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from certeval.domain.framework import Framework
from certeval.domain.rules.deliberation import BLOCKS, COMPETENCES
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.models import Deliberation, OralSlot
from certeval.juries.presidency import presiding_person, signatories


def _verdict_rows(framework: Framework, kind: str, deliberation: Deliberation) -> list[dict[str, Any]]:
    """Competences (or blocs) with the jury's validation, its date for a bloc, and its comment."""
    verdicts = selectors.decided_verdicts(deliberation)
    marks: dict[str, tuple[bool, date | None]]
    if kind == COMPETENCES:
        marks = {k: (v, None) for k, v in verdicts.competences.items()}
        labels = {c.id: f"{c.id} — {c.title}" for c in framework.competences}
    elif kind == BLOCKS:
        marks = {k: (v.validated, v.on) for k, v in verdicts.blocks.items()}
        labels = {d.id: f"Bloc {d.id} — {d.title}" for d in framework.domains if d.kind == "bloc"}
    else:
        return []
    return [
        {
            "label": label,
            "validated": marks[key][0] if key in marks else None,
            "on": marks[key][1] if key in marks else None,
            "comment": deliberation.verdict_comments.get(key, ""),
        }
        for key, label in labels.items()
    ]


def score_sheet_context(slot: OralSlot, deliberation: Deliberation) -> dict[str, Any]:
    campaign = slot.jury.campaign
    framework, rules = framework_of(campaign.framework_version)
    levels = [(level.id, level.label) for level in framework.levels]
    labels = dict(levels)
    sheet = selectors.oral_sheet(framework, rules)
    layout = {str(row["domain"]): row for row in framework.extras.get("oral_score_sheet", {}).get("rows", ())}
    domains = {d.id: d for d in framework.domains}
    rows = []
    for domain_id in sheet.domains if sheet is not None else ():
        row = layout.get(domain_id, {})
        domain = domains.get(domain_id)
        rows.append(
            {
                "label": row.get("label") or (f"{domain_id}. {domain.title}" if domain else domain_id),
                "competences": [c["label"] for c in row.get("competences", ())]
                or ([f"{c.id} {c.title}" for c in domain.competences] if domain else []),
                "level": deliberation.oral_levels.get(domain_id, ""),
                "comment": deliberation.oral_comments.get(domain_id, ""),
            }
        )
    outcome = selectors.deliberation_outcome(deliberation)
    kind = outcome.kind
    # The president who signs is the one who validated: the validation check
    # (certeval.juries.presidency) only lets the jury's president validate.
    president = deliberation.validated_by or presiding_person(slot.jury)
    return {
        "campaign": campaign,
        "candidate": slot.enrolment.candidate,
        "enrolment": slot.enrolment,
        "title": sheet.title if sheet is not None else "Bordereau d'évaluation",
        "levels": levels,
        "rows": rows,
        # What each level means on the sheet (the column headings of Annexe 4), printed under it.
        "level_texts": [
            (label, sheet.level_texts[level_id])
            for level_id, label in levels
            if sheet is not None and sheet.level_texts.get(level_id)
        ],
        "dossier": outcome.dossier,
        "oral": outcome.oral,
        "practice": outcome.practice,
        "final": outcome.final,
        "labels": labels,
        "final_label": labels.get(deliberation.final_level, "Aucun niveau"),
        "kind": kind,
        "verdicts": _verdict_rows(framework, kind, deliberation),
        "interview": {
            True: "réussi",
            False: "non réussi",
            None: "non passé",
        }[selectors.deliberation_verdicts(deliberation).final_interview],
        "interview_comment": deliberation.verdict_comments.get("final_interview", ""),
        "outcome": deliberation.get_outcome_display(),
        "deliberation": deliberation,
        "validated_at": timezone.localtime(deliberation.validated_at) if deliberation.validated_at else None,
        "signatories": signatories(slot.jury, president),
        "president": president,
        "slot": slot,
    }


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """A printed document in French, tagged (structure and language for screen readers), in the look
    shared by the jury documents (``juries/_pdf_style.html``)."""
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string(template_name, context)
    pdf: bytes = HTML(string=html).write_pdf(pdf_tags=True)
    return pdf


def score_sheet_pdf(*, slot: OralSlot, deliberation: Deliberation) -> bytes:
    return render_pdf("juries/score_sheet_pdf.html", score_sheet_context(slot, deliberation))
