"""The candidate's pages: their oral and, once results are published, their decision and bordereau."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.results import permissions, selectors
from certeval.results.candidate_feedback import candidate_feedback
from certeval.results.services import score_sheet_candidate_read


@login_required
@require_GET
def candidate_result(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """The candidate's oral (once juries are composed) and, once results are published, their decision."""
    enrolment = get_visible_or_404(
        permissions.enrolments_of_candidate(request.user).select_related(
            "campaign__framework_version", "candidate"
        ),
        pk=enrolment_id,
    )
    result = selectors.candidate_result(enrolment)
    feedback = candidate_feedback(enrolment, result.slot_id) if result is not None else None
    return render(
        request,
        "results/candidate_result.html",
        {
            "enrolment": enrolment,
            "oral": selectors.oral_convocation(enrolment),
            "published": selectors.published_for(enrolment),
            "result": result,
            "has_awards": result is not None and enrolment.awards.exists(),
            "level_rows": [list(row) for row in result.levels] if result else [],
            "level_headers": [_("Épreuve"), _("Niveau")],
            "mark_headers": [_("Domaine, critère ou compétence"), _("Niveau ou validation")],
            "strength_rows": [[m.label, m.level] for m in result.strengths] if result else [],
            "work_rows": [[m.label, m.level] for m in result.to_work_on] if result else [],
            "feedback": feedback,
            "comment_headers": [_("Compétence, bloc, domaine ou item"), _("Commentaire du jury")],
            "valid_headers": [_("Ce qui reste acquis"), _("Validité")],
            "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Oral et résultat"), "")],
        },
    )


@login_required
@require_GET
def candidate_score_sheet(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """The candidate's own bordereau (PDF), only once the campaign's results are published."""
    slot = get_visible_or_404(
        permissions.score_sheets_of_candidate(request.user).select_related("jury__campaign", "enrolment"),
        enrolment_id=enrolment_id,
    )
    response = HttpResponse(
        score_sheet_candidate_read(slot=slot, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="bordereau-{enrolment_id}.pdf"'
    return response
