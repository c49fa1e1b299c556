"""Enrolment for one or several blocs of the title (seed 003): chosen at enrolment by the
candidate, corrected by an organiser; a bloc already held is shown and refused with a French
message unless the campaign allows re-taking it; the record and the épreuves are shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, Enrolment, HeldBloc
from certeval.campaigns.services import CampaignError
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, organiser_of
from certeval.campaigns.titre_services import enrolment_blocs_set
from certeval.juries.tests.factories import published

pytestmark = pytest.mark.django_db

FRAMEWORK = "titre-responsable-formation"


def titre_campaign(**fields: object) -> Campaign:
    return CampaignFactory(
        framework_version=published(FRAMEWORK), **({"title": "Titre — session 2"} | fields)
    )


def holding(enrolment: Enrolment, *blocs: str, on: date | None = None) -> None:
    """The person holds ``blocs`` from an earlier campaign."""
    earlier = titre_campaign(state="published", title="Titre — session 1")
    old = EnrolmentFactory(campaign=earlier, candidate=enrolment.candidate)
    Enrolment.objects.filter(pk=old.pk).update(created_at=enrolment.created_at - timedelta(days=200))
    for bloc in blocs:
        HeldBloc.objects.create(
            candidate=enrolment.candidate,
            framework_code=FRAMEWORK,
            bloc=bloc,
            validated_on=on or timezone.localdate() - timedelta(days=100),
            campaign=earlier,
            enrolment=old,
            deliberation_ref=1,
        )


def test_service_refuses_a_held_bloc_unless_the_campaign_allows_retaking() -> None:
    enrolment = EnrolmentFactory(campaign=titre_campaign())
    holding(enrolment, "1", "2", on=date(2025, 6, 12))
    organiser = organiser_of(enrolment.campaign)
    with pytest.raises(CampaignError, match=r"Bloc déjà validé.*Bloc 1 — .*12/06/2025"):
        enrolment_blocs_set(enrolment=enrolment, blocs=["1", "4"], by=organiser)
    with pytest.raises(CampaignError, match="Choisissez au moins un bloc"):
        enrolment_blocs_set(enrolment=enrolment, blocs=[], by=organiser)
    with pytest.raises(CampaignError, match="Bloc inconnu"):
        enrolment_blocs_set(enrolment=enrolment, blocs=["9"], by=organiser)
    enrolment.refresh_from_db()
    assert enrolment.blocs == []
    assert enrolment_blocs_set(enrolment=enrolment, blocs=["5", "3"], by=organiser).blocs == ["3", "5"]
    Campaign.objects.filter(pk=enrolment.campaign_id).update(allow_bloc_retake=True)
    enrolment.refresh_from_db()
    assert enrolment_blocs_set(enrolment=enrolment, blocs=["1"], by=organiser).blocs == ["1"]


def test_enrolment_form_takes_the_blocs_and_checks_them() -> None:
    campaign = titre_campaign()
    organiser = organiser_of(campaign)
    identity = Identity(
        birth_name="Durand",
        usual_name="",
        first_names="Alice",
        birth_date=date(1980, 1, 2),
        birth_place="",
        email="alice.durand@example.fr",
    )
    data = EnrolmentData(
        identity=identity,
        academy=Academy.objects.get(code="lyon"),
        school_level="second",
        training="continue",
        blocs=("6", "2"),
    )
    enrolment = enrolment_create(campaign=campaign, data=data, by=organiser)
    assert enrolment.blocs == ["2", "6"]
    other = titre_campaign()
    holding(enrolment, "2")
    with pytest.raises(CampaignError, match="Bloc déjà validé"):
        enrolment_create(campaign=other, data=data, by=organiser_of(other))
    assert not Enrolment.objects.filter(campaign=other).exists()


def test_candidate_chooses_in_their_space(client: Client) -> None:
    enrolment = EnrolmentFactory(campaign=titre_campaign())
    holding(enrolment, "1", on=date(2025, 6, 12))
    client.force_login(enrolment.candidate.user)
    page = client.get(reverse("campaigns:my_blocs")).content.decode()
    assert "Mes blocs de compétences" in page
    assert "(déjà validé le 12/06/2025)" in page and "disabled" in page
    assert "Blocs validés, avec la date et la session de validation" in page
    url = reverse("campaigns:enrolment_blocs", args=[enrolment.pk])
    next_url = reverse("campaigns:my_blocs")
    response = client.post(url, {"blocs": ["1", "4"], "next": next_url}, follow=True)
    assert "Bloc déjà validé" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.blocs == []
    response = client.post(url, {"next": next_url}, follow=True)
    assert "Choisissez au moins un bloc" in response.content.decode()
    response = client.post(url, {"blocs": ["4", "3"], "next": next_url}, follow=True)
    assert response.redirect_chain[-1][0] == next_url
    enrolment.refresh_from_db()
    assert enrolment.blocs == ["3", "4"]
    page = client.get(next_url).content.decode()
    assert "Écrit professionnel" in page and "Durée prévue de l'oral : 60 minutes" in page
    # Another person's enrolment does not exist for them.
    client.force_login(UserFactory())
    assert client.post(url, {"blocs": ["5"]}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.blocs == ["3", "4"]


def test_choice_closes_when_the_dossier_is_deposited(client: Client) -> None:
    enrolment = EnrolmentFactory(campaign=titre_campaign(), submitted=True)
    client.force_login(enrolment.candidate.user)
    url = reverse("campaigns:enrolment_blocs", args=[enrolment.pk])
    response = client.post(url, {"blocs": ["4"]}, follow=True)
    assert "plus modifiable" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.blocs == []


def test_organiser_enrols_with_blocs_and_reads_the_error(client: Client) -> None:
    campaign = titre_campaign()
    client.force_login(organiser_of(campaign))
    url = reverse("campaigns:enrolment_create", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "Blocs présentés" in page and "Bloc 4 — Conception et évaluation" in page
    data = {
        "birth_name": "Martin",
        "first_names": "Léa",
        "birth_date": "1984-03-02",
        "email": "lea.martin@example.fr",
        "academy": Academy.objects.get(code="lyon").pk,
        "school_level": "second",
        "training": "continue",
        "extra_time_percent": "0",
        "blocs": ["2", "5"],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(campaign=campaign, candidate__email="lea.martin@example.fr")
    assert enrolment.blocs == ["2", "5"]
    other = titre_campaign()
    holding(enrolment, "5", on=date(2025, 6, 12))
    client.force_login(organiser_of(other))
    response = client.post(reverse("campaigns:enrolment_create", args=[other.pk]), data)
    assert response.status_code == 200
    assert "Bloc déjà validé" in response.content.decode() and "12/06/2025" in response.content.decode()
    assert not Enrolment.objects.filter(campaign=other).exists()


def test_a_past_enrolment_reads_the_record_as_it_was() -> None:
    """Blocs validated in a later enrolment do not count for an earlier one: its plan (épreuves,
    final interview, oral length) and its decision read only what the person held when enrolling."""
    from certeval.campaigns.titre_selectors import record_dates, titre_plan

    spring = EnrolmentFactory(campaign=titre_campaign(title="Titre — printemps"), blocs=["1", "2", "3"])
    holding(spring, "4", on=date(2025, 6, 12))  # an even earlier enrolment
    autumn_campaign = titre_campaign(title="Titre — automne")
    autumn = EnrolmentFactory(campaign=autumn_campaign, candidate=spring.candidate, blocs=["5", "6"])
    for bloc in ("1", "2", "3"):
        HeldBloc.objects.create(
            candidate=spring.candidate,
            framework_code=FRAMEWORK,
            bloc=bloc,
            validated_on=date(2026, 5, 21),
            campaign=spring.campaign,
            enrolment=spring,
            deliberation_ref=1,
        )
    assert set(record_dates(spring)) == {"4"}
    assert set(record_dates(autumn)) == {"1", "2", "3", "4"}
    spring_plan, autumn_plan = titre_plan(spring), titre_plan(autumn)
    assert spring_plan is not None and autumn_plan is not None
    assert not spring_plan.with_final_interview and autumn_plan.with_final_interview
