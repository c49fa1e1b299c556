"""The Facilitateur's prerequisite in full (seed 001): « avoir au moins une première expérience
professionnelle en tant que formateur ET avoir déjà accompagné ou avoir le projet professionnel
d'accompagner des apprenants ciblés » — two checks, each with a clear French explanation."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from certeval.campaigns import enrolments, imports, prerequisites, services
from certeval.campaigns.models import PrerequisitePolicy
from certeval.campaigns.tests.factories import AcademyFactory, CampaignFactory, EnrolmentFactory, organiser_of
from certeval.campaigns.tests.test_prerequisites import facilitateur, identity

pytestmark = pytest.mark.django_db

EXPERIENCED = {"years": 3, "description": "Formatrice d'adultes", "declared": True}


@pytest.mark.parametrize(
    ("accompaniment", "met", "words"),
    [
        ("", False, "Indiquez si vous avez déjà accompagné des apprenants ciblés"),
        ("accompanied", True, "A déjà accompagné"),
        ("planned", True, "A le projet professionnel d'accompagner"),
    ],
)
def test_the_two_halves_are_checked_separately(accompaniment: str, met: bool, words: str) -> None:
    trainer, accompanies = prerequisites.evaluate(
        document=facilitateur().document,
        trainer=prerequisites.TrainerDeclaration(**EXPERIENCED, accompaniment=accompaniment),
        automated=None,
        today=date.today(),
    )
    assert trainer.met is True
    assert accompanies.label == "Accompagnement des apprenants ciblés"
    assert accompanies.met is met and words in accompanies.explanation
    # No trainer experience: the first half fails whatever the second says.
    no_experience, _ = prerequisites.evaluate(
        document=facilitateur().document,
        trainer=prerequisites.TrainerDeclaration(accompaniment="accompanied"),
        automated=None,
        today=date.today(),
    )
    assert no_experience.met is False


def test_enrolment_is_refused_without_the_accompaniment_when_the_campaign_says_so() -> None:
    campaign = CampaignFactory(
        framework_version=facilitateur(), prerequisite_policy=PrerequisitePolicy.REFUSE_ENROLMENT
    )
    academy = AcademyFactory()
    data = {
        "academy": academy,
        "school_level": "second",
        "training": "continue",
        "trainer_experience_years": 3,
        "trainer_experience": "Formatrice d'adultes",
        "trainer_experience_declared": True,
    }
    with pytest.raises(services.CampaignError, match="Accompagnement des apprenants ciblés"):
        enrolments.enrolment_create(
            campaign=campaign,
            by=None,
            data=enrolments.EnrolmentData(identity=identity("a@example.fr"), **data),
        )
    enrolment = enrolments.enrolment_create(
        campaign=campaign,
        by=None,
        data=enrolments.EnrolmentData(
            identity=identity("b@example.fr"), learner_accompaniment="planned", **data
        ),
    )
    assert enrolment.learner_accompaniment == "planned"
    assert [c.met for c in prerequisites.enrolment_checks(enrolment)] == [True, True]


def test_the_candidate_states_it_on_the_prerequisite_page_with_a_french_error_when_missing() -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=facilitateur()))
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    url = f"/campagnes/candidats/{enrolment.pk}/prerequis/"
    page = candidate.get(url).content.decode()
    assert "J&#x27;ai le projet professionnel d&#x27;accompagner" in page or "J'ai le projet" in page
    refused = candidate.post(
        url, {"form": "trainer", "years": "2", "description": "Formatrice", "declared": "on"}
    )
    assert refused.status_code == 200
    assert "Indiquez si vous avez déjà accompagné des apprenants ciblés" in refused.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.trainer_experience == ""  # nothing half-saved
    done = candidate.post(
        url,
        {
            "form": "trainer",
            "years": "2",
            "description": "Formatrice",
            "declared": "on",
            "accompaniment": "planned",
        },
    )
    assert done.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.learner_accompaniment == "planned"
    assert prerequisites.unmet_message(prerequisites.enrolment_checks(enrolment)) == ""


def test_the_organiser_enrolment_form_and_the_import_carry_it() -> None:
    AcademyFactory(code="versailles", name="Versailles")
    campaign = CampaignFactory(framework_version=facilitateur())
    organiser = Client()
    organiser.force_login(organiser_of(campaign))
    form = organiser.get(f"/campagnes/{campaign.pk}/candidats/inscrire/").content.decode()
    assert "Accompagnement des apprenants ciblés par la certification" in form
    table = [
        ["nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation",
         "experience_formateur", "declaration_honneur", "accompagnement_apprenants"],
        ["Martin", "Léa", "12/03/1988", "lea@example.fr", "versailles", "second", "continue", "Formatrice", "oui", "déjà"],
        ["Petit", "Hugo", "02/11/1979", "hugo@example.fr", "versailles", "second", "continue", "Formateur", "oui", "peut-être"],
    ]  # fmt: skip
    preview = imports.preview(campaign=campaign, table=table)
    data = preview.rows[0].data
    assert data is not None and data.learner_accompaniment == "accompanied"
    assert any("accompagnement des apprenants invalide « peut-être »" in e for e in preview.rows[1].errors)
