"""The rehearsals' part in the campaign pages (registered in ``JuriesConfig.ready``): a link on the
candidate's « Mes certifications » and on the campaign page for those who open slots."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Enrolment
from certeval.juries.rehearsal_models import RehearsalBooking
from certeval.juries.rehearsal_services import BOOKABLE_STATES, campaigns_rehearsing


def candidate_notice(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    if enrolment.candidate.user_id != getattr(request.user, "pk", None):
        return ""
    booked = RehearsalBooking.objects.filter(enrolment=enrolment).exists()
    if not booked and enrolment.campaign.state not in BOOKABLE_STATES:
        return ""
    label = _("Ma répétition de l'oral (réservée)") if booked else _("Réserver une répétition de l'oral")
    return format_html(
        '<p><a href="{}">{}</a></p>', reverse("rehearsals:candidate", args=[enrolment.pk]), label
    )


def campaign_links(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    user = request.user
    if not campaigns_rehearsing(user).filter(pk=campaign.pk).exists():  # type: ignore[arg-type]
        return []
    return [(_("Répétitions de l'oral"), reverse("rehearsals:campaign", args=[campaign.pk]))]
