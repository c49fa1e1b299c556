"""The dossiers context's part in campaigns (registered in ``DossiersConfig.ready``): a dossier is
opened at enrolment and closed with the deposit; the candidate's record is frozen with it; the
enrolment page shows the dossier's state and, to its readers, its files."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, CampaignState, Enrolment
from certeval.dossiers import permissions, selectors
from certeval.dossiers.models import Dossier, DossierState
from certeval.dossiers.services import dossiers_close_deposit
from certeval.dossiers.views import file_headers, file_rows


def open_dossier(enrolment: Enrolment) -> None:
    Dossier.objects.get_or_create(enrolment=enrolment)


def close_deposit(campaign: Campaign, to_state: str, by: User | None) -> None:
    if to_state == CampaignState.DEPOSIT_CLOSED:
        dossiers_close_deposit(campaign=campaign, by=by)


def record_frozen(enrolment: Enrolment) -> bool:
    return Dossier.objects.filter(enrolment=enrolment).exclude(state=DossierState.DRAFT).exists()


def enrolment_section(request: HttpRequest, enrolment: Enrolment) -> SafeString:
    dossier = selectors.dossier_of(enrolment)
    readable = permissions.can_read_dossier(request.user, enrolment)  # type: ignore[arg-type]
    return render_to_string(
        "dossiers/enrolment_section.html",
        {
            "state": dossier.get_state_display() if dossier is not None else DossierState.DRAFT.label,
            "rows": file_rows(selectors.files_for_reading(enrolment), with_hash=True) if readable else None,
            "headers": [*file_headers(), _("Empreinte SHA-256")],
        },
        request=request,
    )
