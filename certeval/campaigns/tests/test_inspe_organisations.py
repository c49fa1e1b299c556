"""Certifying organisations (seed 002: INSPÉ, rectorats, public operators) and the master MEEF
mentions chosen at enrolment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns import permissions
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, Enrolment, Organisation, OrganisationMember
from certeval.campaigns.services import CampaignError
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file

pytestmark = pytest.mark.django_db


def _inspe_version() -> FrameworkVersion:
    for framework_id in ("crcn", "inspe-crcn-edu"):
        if not FrameworkVersion.objects.filter(framework_id=framework_id).exists():
            framework_publish_file(path=DATA_DIR / f"{framework_id}.yaml")
    return FrameworkVersion.objects.get(framework_id="inspe-crcn-edu")


def _amiens() -> Academy:
    return Academy.objects.get_or_create(code="amiens", defaults={"name": "Amiens"})[0]


def _organisation(name: str = "INSPÉ de l'académie d'Amiens") -> tuple[Organisation, User, User]:
    organisation = Organisation.objects.create(kind="inspe", name=name, academy=_amiens())
    organiser, teacher = UserFactory(), UserFactory()
    OrganisationMember.objects.create(organisation=organisation, user=organiser, role="organiser")
    OrganisationMember.objects.create(organisation=organisation, user=teacher, role="teacher")
    return organisation, organiser, teacher


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_administrator_creates_an_organisation_and_adds_members_through_the_pages() -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = _client(admin)
    # An INSPÉ without academy: a French error, nothing created.
    response = client.post("/campagnes/organisations/", {"kind": "inspe", "name": "INSPÉ de Lille"})
    assert response.status_code == 200 and "relève d&#x27;une académie" in response.content.decode()
    assert not Organisation.objects.exists()
    response = client.post(
        "/campagnes/organisations/", {"kind": "inspe", "name": "INSPÉ de Lille", "academy": _amiens().pk}
    )
    organisation = Organisation.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/campagnes/organisations/{organisation.pk}/"
    )
    # The same name again: refused in French.
    response = client.post(
        "/campagnes/organisations/", {"kind": "inspe", "name": "inspé de lille", "academy": _amiens().pk}
    )
    assert "Une organisation porte déjà ce nom." in response.content.decode()
    # A national operator needs no academy.
    client.post("/campagnes/organisations/", {"kind": "operator", "name": "Réseau Canopé"})
    assert Organisation.objects.get(name="Réseau Canopé").academy is None
    url = f"/campagnes/organisations/{organisation.pk}/"
    response = client.post(url, {"email": "Enseignante@Example.fr", "first_name": "Ana", "role": "teacher"})
    assert response.status_code == 302
    member = OrganisationMember.objects.get()
    assert (member.user.email, member.role) == ("enseignante@example.fr", "teacher")
    response = client.post(url, {"email": "enseignante@example.fr", "role": "teacher"})
    assert "a déjà ce rôle" in response.content.decode()
    page = client.get(url).content.decode()
    assert "enseignante@example.fr" in page and "Enseignant (évalue ses étudiants)" in page
    assert AuditEvent.objects.filter(action="organisation.member_add").count() == 1


def test_organisation_organisers_run_their_organisation_campaigns_only() -> None:
    organisation, organiser, teacher = _organisation()
    other, other_organiser, _other_teacher = _organisation("INSPÉ de Toulouse")
    campaign = CampaignFactory(framework_version=_inspe_version(), organisation=organisation)
    loose = CampaignFactory(framework_version=_inspe_version())
    enrolment = EnrolmentFactory(campaign=campaign, training="initiale", mention=2)
    assert set(permissions.campaigns_run(organiser)) == {campaign}
    assert set(permissions.campaigns_managed(organiser)) == {campaign}
    assert set(permissions.enrolments_managed(organiser)) == {enrolment}
    assert permissions.academies_enrollable(organiser, campaign) is None
    assert permissions.can_create_campaign(organiser)
    # Neither a teacher, nor another organisation's organiser, nor anyone on a campaign without organisation.
    for user in (teacher, other_organiser):
        assert not permissions.campaigns_run(user).filter(pk=campaign.pk).exists()
        assert not permissions.enrolments_visible(user).filter(pk=enrolment.pk).exists()
    assert not permissions.can_create_campaign(teacher)
    assert not permissions.campaigns_run(organiser).filter(pk=loose.pk).exists()
    assert _client(teacher).get(f"/campagnes/{campaign.pk}/").status_code == 404
    assert _client(other_organiser).get(f"/campagnes/{campaign.pk}/").status_code == 404
    assert _client(organiser).get(f"/campagnes/{campaign.pk}/").status_code == 200
    # Attaching a campaign: only one the user runs, to an organisation they organise.
    owner = UserFactory()
    loose.roles.create(user=owner, role="organiser")
    OrganisationMember.objects.create(organisation=other, user=owner, role="organiser")
    response = _client(owner).post(f"/campagnes/organisations/{other.pk}/campagne/", {"campaign": loose.pk})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=loose.pk).organisation == other
    response = _client(owner).post(
        f"/campagnes/organisations/{other.pk}/campagne/", {"campaign": campaign.pk}, follow=True
    )
    assert "Choisissez une campagne que vous organisez." in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).organisation == organisation


def _data(training: str, mention: int | None, email: str = "etudiante@example.fr") -> EnrolmentData:
    return EnrolmentData(
        identity=Identity(
            birth_name="Lefebvre",
            usual_name="",
            first_names="Jeanne",
            birth_date=timezone.localdate() - timedelta(days=365 * 23),
            birth_place="",
            email=email,
        ),
        academy=_amiens(),
        school_level="premier",
        training=training,
        mention=mention,
    )


def test_the_mention_is_chosen_at_enrolment_and_mention_4_follows_the_setting() -> None:
    organisation, organiser, _teacher = _organisation()
    campaign = CampaignFactory(framework_version=_inspe_version(), organisation=organisation)
    with pytest.raises(CampaignError, match="Indiquez la mention"):
        enrolment_create(campaign=campaign, data=_data("initiale", None), by=organiser)
    assert enrolment_create(campaign=campaign, data=_data("initiale", 4), by=organiser).mention == 4
    campaign.mention_4_included = False
    campaign.save()
    with pytest.raises(CampaignError, match="La mention 4 n'est pas proposée"):
        enrolment_create(campaign=campaign, data=_data("initiale", 4, "autre@example.fr"), by=organiser)
    assert enrolment_create(campaign=campaign, data=_data("continue", None, "autre@example.fr"), by=organiser)
    # The form offers the mentions with their kind of activity, without mention 4 here.
    page = _client(organiser).get(f"/campagnes/{campaign.pk}/candidats/inscrire/").content.decode()
    assert (
        "Mention 3 — une activité éducative en relation avec les acteurs de leur sphère professionnelle"
        in page
    )
    assert "Mention 4" not in page
    form: dict[str, Any] = {
        "birth_name": "Martin",
        "first_names": "Lou",
        "birth_date": "2001-05-06",
        "email": "lou@example.fr",
        "academy": _amiens().pk,
        "school_level": "second",
        "training": "initiale",
        "extra_time_percent": "0",
        "mention": "4",
    }
    response = _client(organiser).post(f"/campagnes/{campaign.pk}/candidats/inscrire/", form)
    assert (
        response.status_code == 200
        and not Enrolment.objects.filter(candidate__email="lou@example.fr").exists()
    )
    response = _client(organiser).post(
        f"/campagnes/{campaign.pk}/candidats/inscrire/", form | {"mention": "1"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(candidate__email="lou@example.fr").mention == 1
    # A référentiel without mentions has no mention field and refuses one.
    other = CampaignFactory()
    with pytest.raises(CampaignError, match="pas de mentions"):
        enrolment_create(campaign=other, data=_data("initiale", 1, "x@example.fr"), by=None)


def test_the_import_reads_the_mention_column() -> None:
    from certeval.campaigns.imports import preview

    organisation, _organiser, _teacher = _organisation()
    campaign = CampaignFactory(
        framework_version=_inspe_version(), organisation=organisation, mention_4_included=False
    )
    header = [
        "nom_naissance",
        "prenoms",
        "date_naissance",
        "email",
        "academie",
        "degre",
        "formation",
        "mention",
    ]
    rows = [
        [
            "Lefebvre",
            "Jeanne",
            "14/03/2001",
            "jeanne@example.fr",
            "amiens",
            "premier",
            "initiale",
            "mention 1",
        ],
        ["Martin", "Lou", "06/05/2001", "lou@example.fr", "amiens", "second", "initiale", ""],
        ["Petit", "Noé", "06/05/2000", "noe@example.fr", "amiens", "second", "initiale", "4"],
        ["Roux", "Ana", "06/05/2000", "ana@example.fr", "amiens", "second", "initiale", "douze"],
        ["Vasseur", "Claire", "02/11/1984", "claire@example.fr", "amiens", "premier", "continue", ""],
    ]
    result = preview(campaign=campaign, table=[header, *rows])
    assert [r.data.mention if r.data else None for r in result.rows] == [1, None, None, None, None]
    assert result.rows[4].data is not None
    errors = " ".join(result.errors)
    assert "Ligne 3 : Indiquez la mention" in errors
    assert "Ligne 4 : La mention 4 n'est pas proposée dans cette campagne." in errors
    assert "Ligne 5 : mention invalide « douze »" in errors


def test_the_api_takes_the_mention() -> None:
    organisation, organiser, _teacher = _organisation()
    campaign = CampaignFactory(framework_version=_inspe_version(), organisation=organisation)
    body = {
        "birth_name": "Lefebvre",
        "first_names": "Jeanne",
        "birth_date": "2001-03-14",
        "email": "jeanne@example.fr",
        "academy": "amiens",
        "school_level": "premier",
        "training": "initiale",
    }
    url = f"/api/v1/campaigns/{campaign.pk}/enrolments"
    response = _client(organiser).post(url, body, content_type="application/json")
    assert response.status_code == 409 and "Indiquez la mention" in response.json()["detail"]
    response = _client(organiser).post(url, body | {"mention": 3}, content_type="application/json")
    assert response.status_code == 201 and response.json()["mention"] == 3
