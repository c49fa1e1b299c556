"""What the results context adds to campaigns and testing about awards, through their registries
(registered in ``ResultsConfig.ready``): issue on publication and at the end of a placement run, and
links to the awards pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, CampaignState, Enrolment
from certeval.juries.models import Deliberation
from certeval.results.award_services import (
    award_issue_for_placement,
    awards_issue_for_campaign,
    awards_issue_for_enrolments,
)
from certeval.results.models import Award
from certeval.results.permissions import can_manage_campaign_awards
from certeval.results.selectors import published_for
from certeval.testing.models import Run


def issue_on_publication(campaign: Campaign, state: str, by: User | None) -> None:
    """Publishing a campaign's results issues its awards (inside the state change's transaction)."""
    if state == CampaignState.PUBLISHED:
        awards_issue_for_campaign(campaign, by)


def issue_on_validation(deliberation: Deliberation, by: User) -> None:
    """A decision validated once the candidate's results are published — the campaign's or their
    session's (a new decision after a review) — gets its awards at once; before, the publication
    issues them."""
    enrolment = deliberation.slot.enrolment
    if published_for(enrolment):
        awards_issue_for_enrolments([enrolment], by)


def issue_on_placement(run: Run, by: User) -> None:
    award_issue_for_placement(run, by)


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    if not can_manage_campaign_awards(request.user, campaign):  # type: ignore[arg-type]
        return []
    return [(_("Attestations délivrées"), reverse("results:campaign_awards", args=[campaign.pk]))]


def placement_result_links(request: HttpRequest, run: Run) -> list[tuple[str, str]]:
    user = request.user
    if not user.is_authenticated or run.candidate.user_id != user.pk:
        return []
    if not Award.objects.filter(source_run=run).exists():
        return []
    return [(_("Mon attestation de niveau (Mes attestations)"), reverse("results:my_awards"))]


def candidate_notice(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """On « Mes certifications »: a link to « Mes attestations » under an enrolment with awards."""
    count = Award.objects.filter(enrolment=enrolment).count()
    if not count:
        return ""
    label = ngettext(
        "Mes attestations : %(n)s attestation délivrée (PDF, code de vérification)",
        "Mes attestations : %(n)s attestations délivrées (PDF, codes de vérification)",
        count,
    ) % {"n": count}
    return format_html('<p><a href="{}">{}</a></p>', reverse("results:my_awards"), label)
