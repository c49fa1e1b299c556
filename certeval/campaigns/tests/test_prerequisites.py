"""Prerequisites per référentiel: the Facilitateur's trainer experience, Pix+ Édu's automated result
still valid (3 years, inclusive), the campaign policy (warn, refuse deposit, refuse enrolment), the
bulk import columns, and the prerequisite page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns import enrolments, imports, prerequisites, services
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Enrolment, PrerequisitePolicy
from certeval.campaigns.tests.factories import (
    AcademyFactory,
    CampaignFactory,
    EnrolmentFactory,
    organiser_of,
    pdf_bytes,
)
from certeval.dossiers.services import DepositRefused, dossier_file_upload
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file

pytestmark = pytest.mark.django_db


def facilitateur() -> FrameworkVersion:
    found = FrameworkVersion.objects.filter(framework_id="facilitateur-apprentissage").first()
    if found is not None:
        return found
    framework_publish_file(path=DATA_DIR / "facilitateur-apprentissage.yaml")
    return FrameworkVersion.objects.get(framework_id="facilitateur-apprentissage")


def identity(email: str) -> Identity:
    return Identity(birth_name="Martin", first_names="Léa", birth_date=date(1988, 3, 12), email=email)


def test_each_referentiel_asks_for_its_own_prerequisites() -> None:
    assert prerequisites.required_kinds(facilitateur().document) == ["trainer_experience"]
    pix = CampaignFactory().framework_version.document
    assert prerequisites.required_kinds(pix) == ["automated_result"]
    assert prerequisites.required_kinds({"levels": []}) == []


@pytest.mark.parametrize(
    ("obtained_on", "today", "met"),
    [
        (date(2023, 5, 10), date(2026, 5, 10), True),  # last valid day, inclusive
        (date(2023, 5, 10), date(2026, 5, 11), False),  # the day after
        (date(2024, 2, 29), date(2027, 2, 28), True),  # 29 February: ends on 28 February
        (date(2024, 2, 29), date(2027, 3, 1), False),
        (date(2026, 6, 1), date(2026, 5, 1), False),  # a future date is not a result
    ],
)
def test_automated_result_is_valid_three_years_inclusive(obtained_on: date, today: date, met: bool) -> None:
    document = CampaignFactory().framework_version.document
    [check] = prerequisites.evaluate(
        document=document,
        trainer=prerequisites.TrainerDeclaration(),
        automated=prerequisites.AutomatedLevel("avance", obtained_on),
        today=today,
    )
    assert check.met is met
    assert "Avancé" in check.explanation or "avance" in check.explanation


def test_trainer_experience_needs_a_description_and_a_declaration_or_an_attestation() -> None:
    document = facilitateur().document
    cases = [
        (prerequisites.TrainerDeclaration(), False, "Aucune expérience"),
        (prerequisites.TrainerDeclaration(years=2, description="Formatrice FLE"), False, "ni attestée"),
        (prerequisites.TrainerDeclaration(years=2, description="Formatrice", declared=True), True, "2 an(s)"),
        (prerequisites.TrainerDeclaration(description="Tutorat", has_attestation=True), True, "attestation"),
    ]
    for trainer, met, words in cases:
        [check, _accompaniment] = prerequisites.evaluate(
            document=document, trainer=trainer, automated=None, today=date.today()
        )
        assert check.met is met and words in check.explanation, check


def test_enrolment_refused_when_the_campaign_says_so() -> None:
    campaign = CampaignFactory(
        framework_version=facilitateur(), prerequisite_policy=PrerequisitePolicy.REFUSE_ENROLMENT
    )
    academy = AcademyFactory()
    with pytest.raises(services.CampaignError, match="Prérequis non rempli"):
        enrolments.enrolment_create(
            campaign=campaign,
            by=None,
            data=enrolments.EnrolmentData(
                identity=identity("a@example.fr"), academy=academy, school_level="second", training="continue"
            ),
        )
    enrolment = enrolments.enrolment_create(
        campaign=campaign,
        by=None,
        data=enrolments.EnrolmentData(
            identity=identity("b@example.fr"),
            academy=academy,
            school_level="second",
            training="continue",
            trainer_experience_years=3,
            trainer_experience="Formatrice d'adultes en insertion",
            trainer_experience_declared=True,
            learner_accompaniment="accompanied",
        ),
    )
    assert [c.met for c in prerequisites.enrolment_checks(enrolment)] == [True, True]


def test_enrolment_records_the_automated_result_through_the_testing_hook() -> None:
    campaign = CampaignFactory()
    enrolment = enrolments.enrolment_create(
        campaign=campaign,
        by=None,
        data=enrolments.EnrolmentData(
            identity=identity("c@example.fr"),
            academy=AcademyFactory(),
            school_level="second",
            training="continue",
            automated_level="confirme",
            automated_obtained_on=date(2025, 1, 15),
        ),
    )
    result = prerequisites.automated_level_of(enrolment.candidate_id, campaign, on=date(2026, 1, 1))
    assert result == prerequisites.AutomatedLevel("confirme", date(2025, 1, 15))
    with pytest.raises(services.CampaignError, match="niveau et une date"):
        enrolments.enrolment_create(
            campaign=campaign,
            by=None,
            data=enrolments.EnrolmentData(
                identity=identity("d@example.fr"),
                academy=AcademyFactory(),
                school_level="second",
                training="continue",
                automated_level="confirme",
            ),
        )


def _upload(enrolment: Enrolment) -> None:
    data = pdf_bytes(3)
    dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="dossier.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
    )


def test_deposit_refused_or_only_flagged_according_to_the_policy() -> None:
    flagged = EnrolmentFactory()  # Pix+ Édu, policy "warn" by default, no automated result
    _upload(flagged)
    assert flagged.dossier.files.count() == 1

    strict = EnrolmentFactory(campaign=CampaignFactory(prerequisite_policy=PrerequisitePolicy.REFUSE_DEPOSIT))
    with pytest.raises(DepositRefused, match="Résultat du volet automatisé"):
        _upload(strict)
    assert AuditEvent.objects.filter(action="dossier.upload", outcome="refused").exists()
    prerequisites.record_automated_level(
        enrolment=strict, level="avance", obtained_on=date(2025, 9, 1), by=None
    )
    strict.refresh_from_db()
    _upload(strict)
    assert strict.dossier.files.count() == 1


def test_import_reads_the_prerequisite_columns_and_reports_errors_per_row() -> None:
    AcademyFactory(code="versailles", name="Versailles")
    campaign = CampaignFactory(prerequisite_policy=PrerequisitePolicy.REFUSE_ENROLMENT)
    table = [
        ["nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation",
         "volet_auto_niveau", "volet_auto_date"],
        ["Martin", "Léa", "12/03/1988", "lea@example.fr", "versailles", "second", "continue", "avance", "10/09/2025"],
        ["Petit", "Hugo", "02/11/1979", "hugo@example.fr", "versailles", "second", "continue", "", ""],
        ["Roux", "Inès", "02/11/1979", "ines@example.fr", "versailles", "second", "continue", "avance", "31/02/2025"],
        ["Blanc", "Yanis", "02/11/1979", "yanis@example.fr", "versailles", "second", "continue", "avance", "01/01/2020"],
    ]  # fmt: skip
    preview = imports.preview(campaign=campaign, table=table)
    assert preview.rows[0].data is not None and preview.rows[0].data.automated_level == "avance"
    assert "Ligne 3 : Prérequis non rempli" in preview.rows[1].errors[0]
    assert "date du volet automatisé invalide « 31/02/2025 »" in preview.rows[2].errors[0]
    assert "expiré depuis le 01/01/2023" in preview.rows[3].errors[0]


def test_import_of_the_facilitateur_declaration() -> None:
    AcademyFactory(code="versailles", name="Versailles")
    campaign = CampaignFactory(framework_version=facilitateur())
    table = [
        ["nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation",
         "experience_formateur_annees", "experience_formateur", "declaration_honneur"],
        ["Martin", "Léa", "12/03/1988", "lea@example.fr", "versailles", "second", "continue", "4", "Formatrice", "oui"],
        ["Petit", "Hugo", "02/11/1979", "hugo@example.fr", "versailles", "second", "continue", "beaucoup", "", "peut-être"],
    ]  # fmt: skip
    preview = imports.preview(campaign=campaign, table=table)
    data = preview.rows[0].data
    assert data is not None and (data.trainer_experience_years, data.trainer_experience_declared) == (4, True)
    assert any("années d'expérience de formateur invalides" in e for e in preview.rows[1].errors)
    assert any("déclaration sur l'honneur invalide « peut-être »" in e for e in preview.rows[1].errors)


def test_candidate_declares_experience_with_an_attestation_and_the_organiser_reads_it(
    settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    campaign = CampaignFactory(framework_version=facilitateur())
    enrolment = EnrolmentFactory(campaign=campaign)
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    url = f"/campagnes/candidats/{enrolment.pk}/prerequis/"
    page = candidate.get(url)
    assert page.status_code == 200 and "première expérience professionnelle" in page.content.decode()
    refused = candidate.post(url, {"form": "trainer", "years": "2", "description": "Formatrice"})
    assert "Cochez la déclaration sur l&#x27;honneur ou joignez une attestation" in refused.content.decode()
    attestation = SimpleUploadedFile(
        "attestation employeur.pdf", pdf_bytes(1), content_type="application/pdf"
    )
    response = candidate.post(
        url,
        {
            "form": "trainer",
            "years": "2",
            "description": "Formatrice",
            "attestation": attestation,
            "accompaniment": "accompanied",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (
        enrolment.trainer_attestation_name == "attestation-employeur.pdf"
        or enrolment.trainer_attestation_name
    )
    assert [c.met for c in prerequisites.enrolment_checks(enrolment)] == [True, True]
    # automated results are recorded on the testing page, not here
    assert (
        candidate.post(url, {"form": "automated", "level": "avance", "obtained_on": "2025-01-01"}).status_code
        == 404
    )
    organiser = Client()
    organiser.force_login(organiser_of(campaign))
    download = organiser.get(f"/campagnes/candidats/{enrolment.pk}/attestation/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="enrolment.attestation_download").count() == 1
    assert "Remplis" in organiser.get(f"/campagnes/{campaign.pk}/candidats/").content.decode()


def test_the_prerequisite_page_shows_the_person_s_result_and_links_to_the_testing_page() -> None:
    enrolment = EnrolmentFactory()
    organiser = Client()
    organiser.force_login(organiser_of(enrolment.campaign))
    url = f"/campagnes/candidats/{enrolment.pk}/prerequis/"
    page = organiser.get(url).content.decode()
    assert "Aucun résultat du volet automatisé" in page
    assert f"/volet-automatise/campagne/{enrolment.campaign_id}/" in page
    # The form moved to the testing page: posting it here is refused.
    assert (
        organiser.post(url, {"form": "automated", "level": "avance", "obtained_on": "2025-09-01"}).status_code
        == 404
    )
    prerequisites.record_automated_level(
        enrolment=enrolment, level="avance", obtained_on=date(2025, 9, 1), by=None
    )
    page = organiser.get(url).content.decode()
    assert "valable jusqu&#x27;au 01/09/2028 inclus" in page
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    assert "/volet-automatise/" not in candidate.get(url).content.decode()
