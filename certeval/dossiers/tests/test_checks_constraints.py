"""Pre-submission checks come from the domain's dossier constraints (issue 9, defect 2): the
professional title's 140,000-character limit (bloc 4) and the 4-page written synthesis (bloc 3)."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import pytest

from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, pdf_bytes
from certeval.domain.rules.constraints import ConstraintRule
from certeval.dossiers.checks import Check, component_choices, dossier_checks
from certeval.dossiers.models import DossierFile
from certeval.dossiers.selectors import current_files, dossier_of
from certeval.dossiers.services import DepositRefused, dossier_file_upload
from certeval.dossiers.tests.test_uploads import docx_bytes
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file

pytestmark = pytest.mark.django_db


def title_version() -> FrameworkVersion:
    framework_publish_file(path=DATA_DIR / "titre-responsable-formation.yaml")
    return FrameworkVersion.objects.filter(framework_id="titre-responsable-formation").latest(
        "version_number"
    )


def upload(enrolment: Any, data: bytes, name: str, component: str = "") -> DossierFile:
    return dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name=name,
        size=len(data),
        kind="document",
        title=name,
        component=component,
    )


def checks_of(enrolment: Any) -> dict[str, Check]:
    files = current_files(dossier_of(enrolment))
    return {c.label: c for c in dossier_checks(version=enrolment.campaign.framework_version, files=files)}


WRITTEN_WORK = "Caractères, espaces compris — Écrit professionnel"
SYNTHESIS = "Nombre de pages — Production écrite de quatre pages"


def test_title_written_work_over_140000_characters_is_flagged() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    assert component_choices(enrolment.campaign.framework_version) == [
        ("bloc-3-synthese", "Production écrite de quatre pages"),
        ("bloc-4-ecrit", "Écrit professionnel"),
    ]
    upload(enrolment, docx_bytes(pages=70, chars=200_000), "ecrit.docx", "bloc-4-ecrit")
    found = checks_of(enrolment)[WRITTEN_WORK]
    assert found.ok is False
    assert "200\u202f000 caractères comptés" in found.message
    assert "au plus 140\u202f000 caractères" in found.message


def test_title_written_work_at_the_limit_passes_and_other_pieces_do_not_count() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    upload(enrolment, docx_bytes(pages=50, chars=140_000), "ecrit.docx", "bloc-4-ecrit")
    upload(enrolment, docx_bytes(pages=3, chars=9_000), "annexe.docx", "")
    assert checks_of(enrolment)[WRITTEN_WORK].ok is True


@pytest.mark.parametrize(("pages", "ok"), [(4, True), (5, False)])
def test_title_written_synthesis_is_at_most_four_pages(pages: int, ok: bool) -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    upload(enrolment, pdf_bytes(pages), "synthese.pdf", "bloc-3-synthese")
    upload(enrolment, docx_bytes(pages=60, chars=130_000), "ecrit.docx", "bloc-4-ecrit")  # not the synthesis
    found = checks_of(enrolment)[SYNTHESIS]
    assert found.ok is ok
    assert f"{pages} pages comptées" in found.message


def test_a_piece_without_document_is_to_be_verified() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    found = checks_of(enrolment)
    assert found[SYNTHESIS].ok is None and found[WRITTEN_WORK].ok is None


def test_pix_dossier_pages_still_count_every_document() -> None:
    enrolment = EnrolmentFactory()
    upload(enrolment, pdf_bytes(1, "a"), "a.pdf")
    found = checks_of(enrolment)["Nombre de pages — Dossier (volet de pratique professionnelle)"]
    assert found.ok is False and "entre 2 et 10 pages" in found.message
    upload(enrolment, pdf_bytes(3, "b"), "b.pdf", "dossier")
    assert checks_of(enrolment)["Nombre de pages — Dossier (volet de pratique professionnelle)"].ok is True


def test_checks_are_decided_by_the_domain_rule() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    upload(enrolment, docx_bytes(pages=70, chars=200_000), "ecrit.docx", "bloc-4-ecrit")
    with mock.patch.object(
        ConstraintRule, "findings", autospec=True, side_effect=ConstraintRule.findings
    ) as spy:
        checks_of(enrolment)
    assert spy.call_count == 1
    _rule, pages, characters, evidence = spy.call_args.args
    assert (pages, characters, evidence) == (None, 200_000, {})


def test_an_unknown_piece_is_refused() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    with pytest.raises(DepositRefused, match="Pièce du dossier inconnue"):
        upload(enrolment, pdf_bytes(2), "x.pdf", "bloc-9")
    assert not DossierFile.objects.filter(dossier__enrolment=enrolment).exists()


def test_the_deposit_page_asks_for_the_piece_and_shows_its_limit() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=title_version()))
    client = Client()
    client.force_login(enrolment.candidate.user)
    url = reverse("dossiers:deposit", args=[enrolment.pk])
    page = client.get(url).content.decode()
    assert "Pièce du dossier" in page and 'value="bloc-3-synthese"' in page
    posted = client.post(
        url,
        {
            "kind": "document",
            "component": "bloc-3-synthese",
            "title": "Synthèse",
            "file": SimpleUploadedFile("synthese.pdf", pdf_bytes(6)),
        },
    )
    assert posted.status_code == 302
    assert DossierFile.objects.get(dossier__enrolment=enrolment).component == "bloc-3-synthese"
    page = client.get(url).content.decode()
    assert "Nombre de pages — Production écrite de quatre pages" in page
    assert "6 pages comptées ; attendu : entre 1 et 4 pages." in page
