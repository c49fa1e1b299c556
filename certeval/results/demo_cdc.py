"""Demo of the Caisse des Dépôts declaration: the published Facilitateur campaign (juries/demo.py)
gets demo declaration codes (``CdcSettings``: RS « RS0000 », certifier « DEMO0001 », contract
« DEMO-2026 » — demo values, not real ones), its holder's sex is recorded, a flux is produced and
validated against the XSD, and an acknowledgement rejecting that holder's passage is imported, so the
page shows the rejected row to correct. Without the XSD (``CERTEVAL_CDC["xsd_path"]``) the flux is
not produced and the demo says so. Running it twice changes nothing."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign
from certeval.core.demo import DemoAccount
from certeval.juries.demo import FACILITATEUR_PUBLISHED_TITLE
from certeval.results import cdc_selectors
from certeval.results.cdc_services import (
    CdcRefused,
    cdc_acknowledgement_import,
    cdc_export,
    cdc_holder_correct,
    cdc_settings_update,
)
from certeval.results.models import CdcSettings, CdcSubmission

DEMO_SETTINGS = {
    "declares": True,
    "certification_type": "RS",
    "code": "RS0000",
    "certifier_id": "DEMO0001",
    "contract_id": "DEMO-2026",
}
REJECTION = "Aucun titulaire ne correspond aux critères obligatoires (nom de naissance, prénom, sexe, année de naissance)"


def populate(stdout: TextIO) -> list[DemoAccount]:
    campaign = (
        Campaign.objects.filter(title=FACILITATEUR_PUBLISHED_TITLE)
        .select_related("framework_version")
        .first()
    )
    admin = User.objects.filter(email="admin@demo.certeval.fr").first()
    organiser = User.objects.filter(email="organisateur@demo.certeval.fr").first()
    if campaign is None or admin is None or organiser is None:
        return []
    if CdcSubmission.objects.filter(campaign=campaign).exists():
        return []
    framework_id = campaign.framework_version.framework_id
    if not CdcSettings.objects.filter(framework_id=framework_id).exists():
        cdc_settings_update(framework_id=framework_id, by=admin, values=DEMO_SETTINGS)
    rows = cdc_selectors.holder_rows(campaign)
    for row in rows:
        if not row.holder.sex:
            cdc_holder_correct(
                enrolment=row.enrolment, by=organiser, identity={}, sex="F", birth_insee_code=""
            )
    try:
        submission = cdc_export(campaign=campaign, by=organiser)
    except CdcRefused as refused:
        stdout.write("Demo Caisse des Dépôts flux not produced: " + "; ".join(refused.reasons))
        return []
    passages = list(submission.passages.order_by("enrolment_id"))
    lines = ["idTechnique;statut;motif"]
    lines += [f"{passages[0].technical_id};KO;{REJECTION}"]
    lines += [f"{p.technical_id};OK;" for p in passages[1:]]
    cdc_acknowledgement_import(
        campaign=campaign,
        by=organiser,
        file_name="accuse-de-traitement-demo.csv",
        content=("\n".join(lines) + "\n").encode(),
    )
    stdout.write(
        f"Demo Caisse des Dépôts declaration: « {campaign.title} », flux {submission.file_name} "
        f"({len(passages)} passage(s)), acknowledgement with one rejected row."
    )
    return []


def notes() -> list[str]:
    campaign = Campaign.objects.filter(title=FACILITATEUR_PUBLISHED_TITLE).first()
    if campaign is None or not CdcSubmission.objects.filter(campaign=campaign).exists():
        return []
    return [
        f"Déclaration Caisse des Dépôts (codes de démonstration RS0000 / DEMO0001) : "
        f"/caisse-des-depots/campagne/{campaign.pk}/ — un passage rejeté à corriger puis renvoyer "
        f"(organisateur@demo.certeval.fr)."
    ]
