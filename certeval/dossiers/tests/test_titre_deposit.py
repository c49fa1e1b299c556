"""The title's deposit follows the blocs presented (seed 003): the pieces offered are the written
productions of these blocs' épreuves, each is checked (present, within its limits), a piece of
another bloc is refused with a French message, and the deposit page shows the épreuves."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory
from certeval.dossiers.checks import component_choices, dossier_checks
from certeval.dossiers.selectors import current_files, dossier_of
from certeval.dossiers.services import DepositRefused
from certeval.dossiers.tests.test_checks_constraints import title_version, upload
from certeval.dossiers.tests.test_uploads import docx_bytes

pytestmark = pytest.mark.django_db


def enrolled(*blocs: str) -> Enrolment:
    return EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()), blocs=list(blocs))


def test_pieces_and_checks_follow_the_blocs_presented() -> None:
    enrolment = enrolled("4", "5")
    version = enrolment.campaign.framework_version
    assert [c for c, _label in component_choices(version, ["4", "5"])] == ["bloc-4-ecrit", "bloc-5"]
    upload(enrolment, docx_bytes(pages=60, chars=150_000), "ecrit.docx", "bloc-4-ecrit")
    checks = {
        c.label: c
        for c in dossier_checks(version=version, files=current_files(dossier_of(enrolment)), blocs=["4", "5"])
    }
    written = checks["Bloc 4 — Écrit professionnel (au plus 140 000 caractères espaces compris)"]
    assert written.ok is True and "ecrit.docx" in written.message
    simulated = checks["Bloc 5 — Production écrite de la mise en situation professionnelle simulée"]
    assert simulated.ok is False and simulated.message == "Aucun document déposé pour cette pièce."
    assert checks["Caractères, espaces compris — Écrit professionnel"].ok is False
    assert not any(label.startswith("Nombre de pages") for label in checks)  # bloc 3 not presented


def test_a_piece_of_a_bloc_not_presented_is_refused() -> None:
    enrolment = enrolled("4")
    with pytest.raises(DepositRefused, match="Pièce du dossier inconnue"):
        upload(enrolment, docx_bytes(pages=2, chars=3_000), "synthese.docx", "bloc-3-synthese")


def test_deposit_page_shows_the_epreuves(client: Client) -> None:
    enrolment = enrolled("3")
    client.force_login(enrolment.candidate.user)
    page = client.get(reverse("dossiers:deposit", args=[enrolment.pk])).content.decode()
    assert "Épreuves des blocs présentés" in page
    assert "Entretien avec deux membres de l&#x27;équipe pédagogique" in page
    assert "jury de 2 membres" in page and "4 pages au plus" in page
    assert "oral : 40 minutes" in page
