"""Issue 9: an identity is never disclosed across campaigns nor merged, staff accounts are not
enrolled as candidates (defect 11); bad session data gets a clear 422, never a 500 (defect 12);
Windows-1252 CSV files are read (defect 9); levels are shown by label (defect 6)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certeval.accounts.models import User
from certeval.campaigns import imports
from certeval.campaigns.models import Academy, CampaignRole, Candidate, Enrolment, Session
from certeval.campaigns.tests.factories import (
    CampaignFactory,
    CandidateFactory,
    EnrolmentFactory,
    UserFactory,
    organiser_of,
)

pytestmark = pytest.mark.django_db

STORED = {"birth_name": "Secret", "first_names": "Dominique", "birth_date": date(1971, 2, 3)}


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stranger() -> Candidate:
    """A candidate enrolled in a campaign the organiser has nothing to do with."""
    candidate = CandidateFactory(
        **STORED, usual_name="Cachée", birth_place="Quimper", user=UserFactory(email="dom@example.fr")
    )
    EnrolmentFactory(candidate=candidate)
    return candidate


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "birth_name": "Martin",
        "usual_name": "",
        "first_names": "Paul",
        "birth_date": "1990-05-06",
        "birth_place": "",
        "email": "dom@example.fr",
        "academy": Academy.objects.get(code="lyon").pk,
        "school_level": "second",
        "training": "continue",
        "target_level": "",
        "extra_time_percent": "0",
    }
    data.update(changes)
    return data


def api_data(**changes: Any) -> dict[str, Any]:
    data = {
        "birth_name": "Martin",
        "first_names": "Paul",
        "birth_date": "1990-05-06",
        "email": "dom@example.fr",
        "academy": "lyon",
        "school_level": "second",
        "training": "continue",
    }
    data.update(changes)
    return data


def assert_nothing_disclosed(text: str) -> None:
    for secret in (
        "Secret",
        "SECRET",
        "Dominique",
        "03/02/1971",
        "1971-02-03",
        "Cachée",
        "CACHÉE",
        "Quimper",
    ):
        assert secret not in text, secret


# --- defect 11: identities ----------------------------------------------------------------------


def test_the_form_refuses_a_known_address_with_another_identity_and_discloses_nothing(stranger) -> None:  # type: ignore[no-untyped-def]
    campaign = CampaignFactory()
    client = client_of(organiser_of(campaign))
    response = client.post(f"/campagnes/{campaign.pk}/candidats/inscrire/", form_data())
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne peut pas être associée à l&#x27;identité saisie" in html
    assert_nothing_disclosed(html)
    assert not Enrolment.objects.filter(campaign=campaign).exists()
    stranger.refresh_from_db()
    assert stranger.birth_name == "Secret"  # nothing merged


def test_the_same_person_typed_again_is_enrolled(stranger) -> None:  # type: ignore[no-untyped-def]
    campaign = CampaignFactory()
    client = client_of(organiser_of(campaign))
    response = client.post(
        f"/campagnes/{campaign.pk}/candidats/inscrire/",
        form_data(
            birth_name="SECRET",
            usual_name="cachee",
            first_names="dominique",
            birth_date="1971-02-03",
            birth_place="Quimper",
        ),
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(campaign=campaign).candidate == stranger


def test_the_api_refuses_a_mismatch_with_a_neutral_409(stranger) -> None:  # type: ignore[no-untyped-def]
    campaign = CampaignFactory()
    client = client_of(organiser_of(campaign))
    response = client.post(
        f"/api/v1/campaigns/{campaign.pk}/enrolments", api_data(), content_type="application/json"
    )
    assert response.status_code == 409
    assert "ne peut pas être associée à l'identité saisie" in response.json()["detail"]
    assert_nothing_disclosed(response.content.decode())
    # Same name and date but the stored usual name is not typed: still refused (it would show it).
    response = client.post(
        f"/api/v1/campaigns/{campaign.pk}/enrolments",
        api_data(birth_name="Secret", first_names="Dominique", birth_date="1971-02-03"),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert_nothing_disclosed(response.content.decode())


def test_the_import_reports_a_mismatch_on_its_line(stranger) -> None:  # type: ignore[no-untyped-def]
    campaign = CampaignFactory()
    table = [
        ["nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation"],
        ["Martin", "Paul", "06/05/1990", "dom@example.fr", "lyon", "second", "continue"],
        ["Neuf", "Zoé", "06/05/1991", "zoe@example.fr", "lyon", "second", "continue"],
    ]
    preview = imports.preview(campaign=campaign, table=table)
    assert [r.line for r in preview.valid_rows] == [3]
    (error,) = preview.errors
    assert error.startswith("Ligne 2 : Inscription refusée pour l'adresse « dom@example.fr »")
    assert_nothing_disclosed(error)


@pytest.mark.parametrize("kind", ["administrator", "organiser", "juror"])
def test_staff_accounts_are_never_enrolled_as_candidates(kind: str) -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    if kind == "administrator":
        staff = User.objects.create_superuser("admin@example.fr", "x")
    else:
        staff = UserFactory(email="admin@example.fr")
        CampaignRole.objects.create(campaign=CampaignFactory(), user=staff, role=kind)
    client = client_of(organiser)
    page = client.post(f"/campagnes/{campaign.pk}/candidats/inscrire/", form_data(email="admin@example.fr"))
    assert page.status_code == 200 and "ne peut pas être associée" in page.content.decode()
    api = client.post(
        f"/api/v1/campaigns/{campaign.pk}/enrolments",
        api_data(email="admin@example.fr"),
        content_type="application/json",
    )
    assert api.status_code == 409
    table = [
        ["nom_naissance", "prenoms", "date_naissance", "email", "academie", "degre", "formation"],
        ["Martin", "Paul", "06/05/1990", "admin@example.fr", "lyon", "second", "continue"],
    ]
    assert not imports.preview(campaign=campaign, table=table).valid_rows
    assert not Candidate.objects.filter(user=staff).exists()


# --- defect 12: sessions through the API --------------------------------------------------------

GOOD_SESSION = {
    "label": "Oraux",
    "starts_at": "2026-12-14T09:00:00+01:00",
    "ends_at": "2026-12-14T12:00:00+01:00",
    "mode": "onsite",
    "capacity": 20,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "teleportation"}, "Modalité"),
        ({"capacity": 0}, "au moins une place"),
        ({"capacity": -4}, "au moins une place"),
        ({"capacity": 2**40}, "Capacité"),
        ({"ends_at": "2026-12-14T08:00:00+01:00"}, "doit suivre son début"),
        ({"starts_at": "2026-12-14T09:00:00"}, "fuseau horaire"),
        ({"label": "   "}, "intitulé"),
        ({"label": "x" * 201}, "Intitulé"),
        ({"place": "y" * 301}, "Lieu ou lien de visio"),
    ],
)
def test_bad_session_data_gets_a_422_with_its_reason(change: dict[str, Any], message: str) -> None:
    campaign = CampaignFactory()
    client = client_of(organiser_of(campaign))
    response = client.post(
        f"/api/v1/campaigns/{campaign.pk}/sessions",
        {**GOOD_SESSION, **change},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    assert not Session.objects.filter(campaign=campaign).exists()


def test_a_good_session_is_created_and_the_form_reports_bad_capacity() -> None:
    campaign = CampaignFactory()
    client = client_of(organiser_of(campaign))
    response = client.post(
        f"/api/v1/campaigns/{campaign.pk}/sessions", GOOD_SESSION, content_type="application/json"
    )
    assert response.status_code == 201
    page = client.post(
        f"/campagnes/{campaign.pk}/sessions/nouvelle/",
        {
            "label": "Oraux",
            "start_date": "2026-12-14",
            "start_time": "09:00",
            "end_date": "2026-12-14",
            "end_time": "12:00",
            "mode": "onsite",
            "capacity": str(2**40),
        },
    )
    assert page.status_code == 200 and "Capacité" in page.content.decode()
    assert Session.objects.filter(campaign=campaign).count() == 1


# --- defect 9: Windows-1252 CSV -----------------------------------------------------------------


def test_a_windows_1252_csv_from_excel_is_imported_with_its_accents() -> None:
    campaign = CampaignFactory()
    text = (
        "nom_naissance;prenoms;date_naissance;email;academie;degre;formation\r\n"
        "Lefèvre;Hélène;12/03/1988;helene@example.fr;Créteil;second;continue\r\n"
    )
    raw = text.encode("cp1252")
    assert b"\xe9" in raw  # « é » is one byte: not UTF-8
    assert imports.read_table(io.BytesIO(raw), "export.csv")[1][:2] == ["Lefèvre", "Hélène"]
    client = client_of(organiser_of(campaign))
    upload = SimpleUploadedFile("export.csv", raw, content_type="text/csv")
    response = client.post(f"/campagnes/{campaign.pk}/candidats/importer/", {"file": upload})
    assert "Le fichier est correct." in response.content.decode()
    response = client.post(f"/campagnes/{campaign.pk}/candidats/importer/confirmer/", {"mode": "all"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(campaign=campaign)
    assert (enrolment.candidate.birth_name, enrolment.candidate.first_names) == ("Lefèvre", "Hélène")
    assert enrolment.academy.name == "Créteil"


def test_utf8_files_stay_utf8() -> None:
    assert imports.decode_csv("\ufeffnom;Hélène".encode()) == "nom;Hélène"
    assert imports.decode_csv("nom;Hélène".encode()) == "nom;Hélène"


# --- defect 6: labels, not codes ----------------------------------------------------------------


def test_the_enrolment_page_shows_the_target_level_by_its_label() -> None:
    enrolment = EnrolmentFactory(target_level="avance")
    html = (
        client_of(organiser_of(enrolment.campaign))
        .get(f"/campagnes/candidats/{enrolment.pk}/")
        .content.decode()
    )
    assert "<dd>Avancé</dd>" in html
    assert "<dd>avance</dd>" not in html
