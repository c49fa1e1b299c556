"""The rehearsals' part in the campaign pages (registered in ``JuriesConfig.ready``): a link on the
candidate's « Mes certifications », on the campaign page for those who open slots, and the booked
rehearsal on the enrolment page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import campaigns_run
from certeval.core.dates import paris_text
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


def enrolment_section(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """The candidate's rehearsal on the enrolment page, for the candidate and those who run the
    campaign (nothing when none was booked)."""
    user = request.user
    is_candidate = enrolment.candidate.user_id == getattr(user, "pk", None)
    if not is_candidate and not campaigns_run(user).filter(pk=enrolment.campaign_id).exists():  # type: ignore[arg-type]
        return ""
    bookings = list(RehearsalBooking.objects.filter(enrolment=enrolment).select_related("slot__rehearser"))
    if not bookings:
        return ""
    return render_to_string(
        "juries/rehearsal/enrolment_section.html",
        {
            "rows": [
                (
                    paris_text(b.slot.starts_at),
                    b.slot.rehearser.get_full_name() or b.slot.rehearser.email,
                    _("Écrit") if b.feedback_at else _("À écrire"),
                )
                for b in bookings
            ],
            "url": reverse("rehearsals:candidate", args=[enrolment.pk]) if is_candidate else "",
        },
        request=request,
    )
