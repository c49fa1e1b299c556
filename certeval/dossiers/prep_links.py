"""Where the candidate finds their preparation support: the links shown on « Mes certifications »
(``campaigns.hooks.CANDIDATE_NOTICES``), on the enrolment page (``ENROLMENT_SECTIONS``; both
registered in ``DossiersConfig.ready``) and on the deposit page (the ``prep_links`` template tag)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certeval.campaigns.models import Enrolment
from certeval.campaigns.permissions import enrolments_own_or_managed
from certeval.dossiers.guide_data import guide_for
from certeval.dossiers.models import Dossier, DossierState


def links(enrolment: Enrolment) -> list[tuple[str, str]]:
    """(label, url) of the candidate's preparation pages for this enrolment."""
    found: list[tuple[str, str]] = []
    if guide_for(enrolment.campaign.framework_version.framework_id) is not None:
        found.append(
            (_("Guide du candidat (dossier, traces, conseils)"), reverse("prep:guide", args=[enrolment.pk]))
        )
    # Peer review reads a draft: offered while the dossier is a draft, and afterwards only to read
    # the feedback received.
    draft = Dossier.objects.filter(enrolment=enrolment, state=DossierState.DRAFT).exists()
    if draft or enrolment.peer_invitations.exists():
        found.append(
            (_("Relecture de mon brouillon par des pairs"), reverse("prep:peer_review", args=[enrolment.pk]))
        )
    return found


def render_links(request: HttpRequest | None, enrolment: Enrolment) -> SafeString:
    return render_to_string("dossiers/prep_links.html", {"links": links(enrolment)}, request=request)


def candidate_notice(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    if enrolment.candidate.user_id != getattr(request.user, "pk", None):
        return ""
    return render_links(request, enrolment)


def enrolment_section(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """The « Préparation » section of the enrolment page: the candidate's preparation links; for the
    organisers who manage the candidate, the guide the candidate reads."""
    user = request.user
    if enrolment.candidate.user_id == getattr(user, "pk", None):
        shown = links(enrolment)
    elif enrolments_own_or_managed(user).filter(pk=enrolment.pk).exists():  # type: ignore[arg-type]
        shown = [
            (label, url)
            for label, url in links(enrolment)
            if url == reverse("prep:guide", args=[enrolment.pk])
        ]
    else:
        return ""
    if not shown:
        return ""
    return render_to_string("dossiers/prep_section.html", {"links": shown}, request=request)
