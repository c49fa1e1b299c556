"""Erasure and rectification requests from the person's space to their answer: deadlines, the
administrator's list with overdue requests highlighted, acceptance (erasure report, the account closed
and the name gone from every page of the campaign; the correction applied through the campaigns'
identity-correction path), refusal with its reason, extension, e-mails and audit rows."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from django.utils import timezone

from certeval.accounts.tests.matrix import fingerprint
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole, Candidate, Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, pdf_bytes
from certeval.privacy.requests_deadlines import extended_deadline, first_deadline
from certeval.privacy.requests_models import PersonRequest, RequestStatus
from certeval.privacy.tests.retention_fixtures import Dataset, build_dataset

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin() -> Any:
    return UserFactory(is_superuser=True, is_staff=True, email="dpo@example.fr")


def _campaign_pages(campaign_id: int) -> list[str]:
    """Every page of the site whose only parameter is a campaign (API and admin left aside)."""
    found: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                if (
                    route.count("<") == 1
                    and "<int:campaign_id>" in route
                    and not route.startswith(("api", "admin"))
                ):
                    found.append("/" + route.replace("<int:campaign_id>", str(campaign_id)))

    walk(get_resolver().url_patterns, "")
    return found


def _pages_naming(admin: Any, campaign_id: int, names: tuple[str, ...]) -> list[str]:
    """The campaign's pages (text ones: HTML, CSV) that show one of ``names`` (any case) to an
    administrator."""
    pages = _campaign_pages(campaign_id)
    assert len(pages) > 20
    staff = _client(admin)
    naming = []
    for url in pages:
        response = staff.get(url)
        if response.status_code != 200 or response.get("Content-Type", "").startswith(
            ("application/zip", "application/vnd", "application/pdf", "application/xml")
        ):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = html.unescape(body.decode("utf-8-sig", errors="replace")).casefold()
        if any(name.casefold() in text for name in names):
            naming.append(url)
    return naming


def test_erasure_lifecycle_closes_the_account_and_removes_the_name(
    admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data: Dataset = build_dataset()
    person = data.adjourned.candidate
    Candidate.objects.filter(pk=person.pk).update(birth_name="Quintessence", first_names="Ambroisine")
    person.user.set_password("un-mot-de-passe-long")
    person.user.save()
    old_address = person.user.email
    signing_in = RequestFactory().post("/comptes/connexion/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(signing_in, username=old_address, password="un-mot-de-passe-long") is not None
    client = _client(person.user)
    page = _text(client.get("/donnees-personnelles/effacement/"))
    assert "Ce qui doit être conservé, et pourquoi" in page and "journal d'audit" in page
    assert "votre compte, qui sera fermé" in page  # a non-holder with no campaign under way
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/donnees-personnelles/effacement/", {"confirm": "on", "reason": ""})
    assert response.status_code == 302
    request = PersonRequest.objects.get()
    assert request.status == RequestStatus.PENDING
    assert request.deadline == first_deadline(timezone.localdate())
    assert {tuple(m.to) for m in mail.outbox} == {(person.email,), ("dpo@example.fr",)}
    # A second request while the first is open is refused with a French message, nothing stored.
    again = client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    assert "déjà une demande d'effacement" in _text(again) and PersonRequest.objects.count() == 1
    # Overdue: highlighted in the administrator's list.
    PersonRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    listing = _text(_client(admin).get("/donnees-personnelles/demandes/"))
    assert "privacy-overdue" in listing and "en retard de 3 jours" in listing
    # Before the erasure the name is on pages of the campaign (the check below is not vacuous).
    assert len(_pages_naming(admin, data.jc.campaign.pk, ("Quintessence",))) >= 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _client(admin).post(
            f"/donnees-personnelles/demandes/{request.pk}/accepter/", {"answer": ""}
        )
    assert accepted.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.report["identity"] is True
    assert request.report["dossier_files"] == 1 and request.report["test_responses"] == 2
    assert [m.to for m in mail.outbox] == []  # the address is gone with the identity
    assert AuditEvent.objects.filter(action="privacy.erasure", target_id=str(request.pk)).exists()
    # The person can no longer sign in.
    person.refresh_from_db()
    assert person.email.endswith(".invalid")
    for address in (old_address, person.email):
        signing_in = RequestFactory().post("/comptes/connexion/", REMOTE_ADDR="127.0.0.1")
        assert authenticate(signing_in, username=address, password="un-mot-de-passe-long") is None
    # Their name is on no page of the campaign.
    after = _pages_naming(admin, data.jc.campaign.pk, ("Quintessence", "Ambroisine"))
    assert after == [], after


def test_holder_erasure_keeps_identity_and_says_why(admin: Any) -> None:
    data = build_dataset()
    holder = data.holder.candidate
    client = _client(holder.user)
    page = _text(client.get("/donnees-personnelles/effacement/"))
    assert "attester votre certification" in page and "qui sera fermé" not in page
    client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {"answer": "Fait."})
    request.refresh_from_db()
    assert request.report["identity"] is False and "holder" in request.report["kept"]
    holder.refresh_from_db()
    assert holder.user.is_active and not holder.birth_name.startswith("ANONYME")
    mine = _text(client.get("/donnees-personnelles/mes-demandes/"))
    assert (
        "Acceptée" in mine
        and "attester votre certification" in mine
        and "fichiers de dossier effacés" in mine
    )


def test_ongoing_campaign_is_kept(admin: Any) -> None:
    enrolment = EnrolmentFactory(other_needs="Salle au rez-de-chaussée")
    client = _client(enrolment.candidate.user)
    client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {})
    request.refresh_from_db()
    assert request.report["kept"] == ["audit", "ongoing"] and request.report["identity"] is False
    assert Enrolment.objects.get(pk=enrolment.pk).other_needs == "Salle au rez-de-chaussée"


def test_refusal_needs_a_reason_and_reaches_the_person(
    admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    enrolment = EnrolmentFactory()
    client = _client(enrolment.candidate.user)
    client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    before = fingerprint()
    empty = _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/refuser/", {"reason": " "})
    assert empty.status_code == 200 and fingerprint() == before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _client(admin).post(
            f"/donnees-personnelles/demandes/{request.pk}/refuser/",
            {"reason": "Votre campagne est en cours : vos données sont nécessaires jusqu'aux résultats."},
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.answered_by == admin
    assert "nécessaires jusqu'aux résultats" in mail.outbox[0].body and mail.outbox[0].to == [
        enrolment.candidate.email
    ]
    assert "nécessaires jusqu'aux résultats" in _text(client.get("/donnees-personnelles/mes-demandes/"))
    assert AuditEvent.objects.filter(action="privacy.request_refuse").count() == 1
    # Answered: no second answer.
    late = _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {})
    assert "déjà reçu sa réponse" in _text(late)


def test_extension_by_two_months_with_a_reason(admin: Any) -> None:
    enrolment = EnrolmentFactory()
    _client(enrolment.candidate.user).post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    _client(admin).post(
        f"/donnees-personnelles/demandes/{request.pk}/prolonger/", {"reason": "Archives à consulter."}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.EXTENDED
    assert request.deadline == extended_deadline(timezone.localdate(request.received_at))
    twice = _client(admin).post(
        f"/donnees-personnelles/demandes/{request.pk}/prolonger/", {"reason": "Encore."}
    )
    assert "déjà été prolongé" in _text(twice)


def test_rectification_lifecycle_applies_the_correction(
    admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    enrolment = EnrolmentFactory(candidate__birth_name="Dupond")
    person = enrolment.candidate
    client = _client(person.user)
    page = _text(client.get("/donnees-personnelles/rectification/"))
    assert "Dupond" in page and "Caisse des Dépôts" in page
    # A file that is not a document is refused with a French message; nothing stored.
    before = fingerprint()
    bad = client.post(
        "/donnees-personnelles/rectification/",
        {
            "field": "birth_name",
            "requested_value": "Dupont",
            "reason": "Erreur de saisie",
            "proof": SimpleUploadedFile("acte.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        },
    )
    assert bad.status_code == 200 and "fichier" in _text(bad).lower() and fingerprint() == before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/donnees-personnelles/rectification/",
            {
                "field": "birth_name",
                "requested_value": "Dupont",
                "reason": "Erreur de saisie",
                "proof": SimpleUploadedFile(
                    "acte de naissance.pdf", pdf_bytes(1), content_type="application/pdf"
                ),
            },
        )
    assert response.status_code == 302
    request = PersonRequest.objects.get()
    assert (request.field, request.current_value, request.requested_value) == (
        "birth_name",
        "Dupond",
        "Dupont",
    )
    assert request.proof_name.endswith(".pdf") and request.proof_sha256
    assert client.get(f"/donnees-personnelles/mes-demandes/{request.pk}/justificatif/").status_code == 200
    assert _client(admin).get(f"/donnees-personnelles/demandes/{request.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {"answer": "Corrigé."})
    person.refresh_from_db()
    request.refresh_from_db()
    assert person.birth_name == "Dupont" and request.status == RequestStatus.ACCEPTED
    update = AuditEvent.objects.get(action="enrolment.update")
    assert update.data["identity_fields"] == ["birth_name"] and update.actor == admin
    assert AuditEvent.objects.filter(action="privacy.rectification").exists()
    assert "Corrigé." in _text(client.get("/donnees-personnelles/mes-demandes/"))


def test_rectification_of_birth_date_and_email(admin: Any) -> None:
    enrolment = EnrolmentFactory()
    person = enrolment.candidate
    client = _client(person.user)
    wrong = client.post(
        "/donnees-personnelles/rectification/",
        {"field": "birth_date", "requested_value": "1985-13-40", "reason": "Erreur"},
    )
    assert "JJ/MM/AAAA" in _text(wrong) and not PersonRequest.objects.exists()
    client.post(
        "/donnees-personnelles/rectification/",
        {"field": "birth_date", "requested_value": "13/04/1985", "reason": "Erreur"},
    )
    invalid = client.post(
        "/donnees-personnelles/rectification/",
        {"field": "email", "requested_value": "pas-une-adresse", "reason": "Adresse changée"},
    )
    assert "Adresse électronique invalide" in _text(invalid)
    client.post(
        "/donnees-personnelles/rectification/",
        {"field": "email", "requested_value": "nouvelle@example.fr", "reason": "Adresse changée"},
    )
    for request in PersonRequest.objects.order_by("pk"):
        _client(admin).post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {})
    person.refresh_from_db()
    assert person.birth_date == date(1985, 4, 13)
    assert person.email == "nouvelle@example.fr" and person.user.email == "nouvelle@example.fr"


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_pages_in_both_themes(settings: Any, admin: Any, theme: str) -> None:
    settings.CERTEVAL_THEME = theme
    enrolment = EnrolmentFactory()
    client = _client(enrolment.candidate.user)
    client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    pages = [
        (client, "/donnees-personnelles/mes-demandes/", "Mes demandes"),
        (client, "/donnees-personnelles/effacement/", "Demande d'effacement de mes données"),
        (client, "/donnees-personnelles/rectification/", "Demande de rectification de mon identité"),
        (_client(admin), "/donnees-personnelles/demandes/", "Demandes des personnes"),
        (_client(admin), f"/donnees-personnelles/demandes/{request.pk}/", f"Effacement n° {request.pk}"),
    ]
    for who, url, heading in pages:
        text = _text(who.get(url))
        assert f"<h1>{heading}</h1>" in text, url
        assert ("fr-header" in text) == (theme == "etat"), url
        assert 'href="/comptes/"' in text  # « Mon compte », which links the person's requests
    assert 'href="/donnees-personnelles/mes-demandes/"' in _text(client.get("/comptes/"))


def test_erasure_keeps_a_staff_account_and_blanks_the_persons_requests(admin: Any) -> None:
    enrolment = EnrolmentFactory(campaign__state="published", candidate__birth_name="Zébulon")
    person = enrolment.candidate
    client = _client(person.user)
    client.post(
        "/donnees-personnelles/rectification/",
        {"field": "birth_name", "requested_value": "Zebulon", "reason": "Accent en trop"},
    )
    client.post("/donnees-personnelles/effacement/", {"confirm": "on"})
    erasure = PersonRequest.objects.get(kind="erasure")
    # A person who is also an organiser keeps account and identity.
    role = CampaignRole.objects.create(campaign=CampaignFactory(), user=person.user, role="organiser")
    _client(admin).post(f"/donnees-personnelles/demandes/{erasure.pk}/accepter/", {})
    erasure.refresh_from_db()
    assert erasure.report["identity"] is False and "staff" in erasure.report["kept"]
    person.refresh_from_db()
    assert person.user.is_active
    # Without the role, the same person's identity goes, with the values of their requests.
    role.delete()
    PersonRequest.objects.filter(pk=erasure.pk).update(status="pending")
    _client(admin).post(f"/donnees-personnelles/demandes/{erasure.pk}/accepter/", {})
    person.refresh_from_db()
    assert person.birth_name == "ANONYME" and not person.user.is_active
    rectification = PersonRequest.objects.get(kind="rectification")
    assert (rectification.current_value, rectification.requested_value, rectification.reason) == ("", "", "")
    assert "zébulon" not in _text(_client(admin).get("/donnees-personnelles/demandes/")).casefold()


def test_accepting_needs_a_recently_confirmed_password(admin: Any) -> None:
    from certeval.accounts.reauth import SESSION_KEY

    enrolment = EnrolmentFactory()
    _client(enrolment.candidate.user).post("/donnees-personnelles/effacement/", {"confirm": "on"})
    request = PersonRequest.objects.get()
    staff = _client(admin)
    session = staff.session
    session[SESSION_KEY] = 0  # confirmed long ago
    session.save()
    before = fingerprint()
    response = staff.post(f"/donnees-personnelles/demandes/{request.pk}/accepter/", {})
    assert response.status_code == 302 and "/comptes/confirmer/" in response["Location"]
    assert fingerprint() == before
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
