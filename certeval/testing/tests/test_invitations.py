"""Invitations to a campaign's placement run: the organiser invites addresses, the invitee gives
their identity and takes the run, the level reaches a later enrolment."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import CampaignRole, Candidate, Enrolment
from certeval.campaigns.tests.factories import CandidateFactory, UserFactory, organiser_of
from certeval.testing.models import PlacementInvitation, Question, Run
from certeval.testing.run_selectors import placement_offers
from certeval.testing.tests.factories import academy, campaign_of
from certeval.testing.tests.run_factories import BANK, SMALL, make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small(settings: Any) -> None:
    settings.CERTEVAL_PLACEMENT = dict(SMALL)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _invite(client: Client, campaign_id: int, text: str, capture: Any, **extra: Any) -> Any:
    with capture(execute=True):
        return client.post(f"/tests-en-ligne/invitations/campagne/{campaign_id}/", {"emails": text, **extra})


IDENTITY = {
    "birth_name": "Martin",
    "first_names": "Inès Claire",
    "birth_date": "1990-03-14",
    "school_level": "premier",
}


def test_bad_lines_are_named_and_nothing_is_sent(django_capture_on_commit_callbacks: Any) -> None:
    campaign = campaign_of(BANK)
    client = _client(organiser_of(campaign))
    response = _invite(
        client,
        campaign.pk,
        "ok@example.fr\npas-une-adresse\n\nautre@@example.fr",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ligne 2 : « pas-une-adresse » n&#x27;est pas une adresse électronique valide." in page
    assert "Ligne 4 : « autre@@example.fr »" in page
    assert "Aucune invitation n&#x27;est envoyée" in page
    assert 'aria-invalid="true"' in page
    assert not PlacementInvitation.objects.exists()
    assert mail.outbox == []
    assert not User.objects.filter(email="ok@example.fr").exists()


def test_invite_sends_the_link_creates_the_account_and_ignores_duplicates(
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = campaign_of(BANK)
    organiser = organiser_of(campaign)
    known = UserFactory(email="connue@example.fr")
    client = _client(organiser)
    response = _invite(
        client,
        campaign.pk,
        "Nouvelle@Example.fr\nconnue@example.fr\nnouvelle@example.fr\n",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    invitations = {i.email: i for i in PlacementInvitation.objects.all()}
    assert set(invitations) == {"nouvelle@example.fr", "connue@example.fr"}
    new = User.objects.get(email="nouvelle@example.fr")
    assert not new.has_usable_password()
    assert len(mail.outbox) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    body = by_address["nouvelle@example.fr"].body
    assert campaign.title in by_address["nouvelle@example.fr"].subject
    assert f"/tests-en-ligne/invitation/{invitations['nouvelle@example.fr'].token}/" in body
    assert "/comptes/" in body and "mot de passe" in body  # the link to choose a password
    assert "pas minuté" in body and "reprendre" in body and "niveau visé" in body
    assert "mot de passe" not in by_address[known.email].body
    page = client.get(response["Location"]).content.decode()
    assert "nouvelle@example.fr" in page and "ignorée(s) : nouvelle@example.fr" in page
    assert "Envoyée le" in page
    # Invited again: ignored and said so, nothing sent.
    again = _invite(client, campaign.pk, "connue@example.fr", django_capture_on_commit_callbacks)
    assert "ignorée(s) : connue@example.fr" in client.get(again["Location"]).content.decode()
    assert PlacementInvitation.objects.count() == 2 and len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="testing.invitation_send").count() == 2
    assert AuditEvent.objects.filter(action="account.create", data__email="nouvelle@example.fr").exists()


def test_a_staff_address_is_refused_and_the_campaign_must_have_a_bank(
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign = campaign_of(BANK)
    organiser = organiser_of(campaign)
    client = _client(organiser)
    response = _invite(client, campaign.pk, organiser.email, django_capture_on_commit_callbacks)
    assert "Ligne 1" in response.content.decode() and "membre de l&#x27;équipe" in response.content.decode()
    other = campaign_of("facilitateur-apprentissage")
    CampaignRole.objects.create(campaign=other, user=organiser, role="organiser")
    assert client.get(f"/tests-en-ligne/invitations/campagne/{other.pk}/").status_code == 404


def _invited(capture: Any, email: str = "invitee@example.fr") -> PlacementInvitation:
    campaign = campaign_of(BANK)
    _invite(_client(organiser_of(campaign)), campaign.pk, email, capture)
    return PlacementInvitation.objects.get(email=email)


def test_the_invitee_gives_their_identity_and_takes_the_run(django_capture_on_commit_callbacks: Any) -> None:
    make_bank()
    invitation = _invited(django_capture_on_commit_callbacks, "Invitee@example.fr".lower())
    url = f"/tests-en-ligne/invitation/{invitation.token}/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/comptes/connexion/" in anonymous["Location"]
    assert "next=" in anonymous["Location"]
    user = User.objects.get(email="invitee@example.fr")
    User.objects.filter(pk=user.pk).update(email="INVITEE@example.fr")  # the address, case ignored
    user.refresh_from_db()
    client = _client(user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Nom de naissance" in page.content.decode()
    # Missing fields: French errors, nothing written.
    bad = client.post(url, {"birth_name": "", "school_level": ""})
    assert bad.status_code == 200 and "Ce champ est obligatoire." in bad.content.decode()
    assert not Candidate.objects.filter(user=user).exists()
    response = client.post(url, IDENTITY)
    run = Run.objects.get()
    assert response["Location"] == f"/tests-en-ligne/parcours-bilan/{run.pk}/"
    assert run.campaign_id == invitation.campaign_id and run.enrolment_id is None
    assert run.audience == "premier"
    candidate = Candidate.objects.get(user=user)
    assert candidate.birth_name == "Martin" and candidate.birth_date == date(1990, 3, 14)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    offers = placement_offers(candidate)
    assert [(o.bank, o.enrolment, o.campaign.pk) for o in offers] == [(BANK, None, invitation.campaign_id)]
    assert "Sur invitation de la campagne" in client.get("/tests-en-ligne/").content.decode()
    # Following the link again resumes the same run (one in progress per person and bank).
    assert client.post(url)["Location"] == f"/tests-en-ligne/parcours-bilan/{run.pk}/"
    assert Run.objects.count() == 1
    for _ in range(50):
        run.refresh_from_db()
        if run.status == Run.Status.FINISHED:
            break
        question = Question.objects.get(run=run, answered_at__isnull=True)
        client.post(
            f"/tests-en-ligne/parcours-bilan/{run.pk}/", {"key": question.idempotency_key, "choice": "a"}
        )
    assert run.status == Run.Status.FINISHED
    result = client.get(f"/tests-en-ligne/parcours-bilan/{run.pk}/resultat/").content.decode()
    assert "lorsque vous serez inscrit(e)" in result
    assert AuditEvent.objects.filter(action="testing.invitation_accept", campaign_id=run.campaign_id).exists()


def test_a_person_with_an_identity_only_gives_the_degree(django_capture_on_commit_callbacks: Any) -> None:
    make_bank()
    invitation = _invited(django_capture_on_commit_callbacks)
    candidate = CandidateFactory(user=User.objects.get(email=invitation.email), email=invitation.email)
    client = _client(candidate.user)
    page = client.get(f"/tests-en-ligne/invitation/{invitation.token}/").content.decode()
    assert "Nom de naissance" not in page and "Degré dans lequel vous enseignez" in page
    response = client.post(f"/tests-en-ligne/invitation/{invitation.token}/", {"school_level": "second"})
    assert response.status_code == 302
    assert Run.objects.get().audience == "second"


def test_another_person_or_an_unknown_token_is_404_and_a_revoked_one_says_so(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_bank()
    invitation = _invited(django_capture_on_commit_callbacks)
    url = f"/tests-en-ligne/invitation/{invitation.token}/"
    other = _client(UserFactory())
    assert other.get(url).status_code == 404
    assert other.post(url, IDENTITY).status_code == 404
    invitee = _client(User.objects.get(email=invitation.email))
    assert invitee.get("/tests-en-ligne/invitation/pas-un-jeton/").status_code == 404
    assert invitee.get("/tests-en-ligne/invitation/" + "x" * 200 + "/").status_code == 404
    organiser = _client(invitation.invited_by)
    revoke = f"/tests-en-ligne/invitations/campagne/{invitation.campaign_id}/{invitation.pk}/revoquer/"
    assert organiser.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert (
        "Révoquée le"
        in organiser.get(f"/tests-en-ligne/invitations/campagne/{invitation.campaign_id}/").content.decode()
    )
    page = invitee.get(url)
    assert page.status_code == 410 and "révoquée" in page.content.decode()
    posted = invitee.post(url, IDENTITY)
    assert posted.status_code == 410
    assert not Run.objects.exists() and not Candidate.objects.exists()
    # Revoked twice: a French message, no error page.
    again = organiser.post(revoke, follow=True)
    assert "déjà révoquée" in again.content.decode()
    # A revoked address may be invited again.
    _invite(organiser, invitation.campaign_id, invitation.email, django_capture_on_commit_callbacks)
    assert PlacementInvitation.objects.filter(email=invitation.email, revoked_at__isnull=True).count() == 1


def test_an_accepted_invitation_is_not_revoked(django_capture_on_commit_callbacks: Any) -> None:
    make_bank()
    invitation = _invited(django_capture_on_commit_callbacks)
    _client(User.objects.get(email=invitation.email)).post(
        f"/tests-en-ligne/invitation/{invitation.token}/", IDENTITY
    )
    organiser = _client(invitation.invited_by)
    revoke = f"/tests-en-ligne/invitations/campagne/{invitation.campaign_id}/{invitation.pk}/revoquer/"
    assert "déjà été acceptée" in organiser.post(revoke, follow=True).content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert re.search(
        r"Acceptée le \d\d/\d\d/\d{4}",
        organiser.get(f"/tests-en-ligne/invitations/campagne/{invitation.campaign_id}/").content.decode(),
    )


def test_an_academy_organiser_invites_for_their_academy_only(django_capture_on_commit_callbacks: Any) -> None:
    campaign = campaign_of(BANK)
    wide = _client(organiser_of(campaign))
    _invite(wide, campaign.pk, "toutes@example.fr", django_capture_on_commit_callbacks)
    lyon = academy("lyon")
    local = _client(organiser_of(campaign, academy=lyon))
    refused = _invite(local, campaign.pk, "lyon@example.fr", django_capture_on_commit_callbacks)
    assert (
        refused.status_code == 200
        and not PlacementInvitation.objects.filter(email="lyon@example.fr").exists()
    )
    _invite(local, campaign.pk, "lyon@example.fr", django_capture_on_commit_callbacks, academy=lyon.pk)
    assert PlacementInvitation.objects.get(email="lyon@example.fr").academy == lyon
    page = local.get(f"/tests-en-ligne/invitations/campagne/{campaign.pk}/").content.decode()
    assert "lyon@example.fr" in page and "toutes@example.fr" not in page
    hidden = PlacementInvitation.objects.get(email="toutes@example.fr")
    revoke = f"/tests-en-ligne/invitations/campagne/{campaign.pk}/{hidden.pk}/revoquer/"
    assert local.post(revoke).status_code == 404


def test_a_later_enrolment_receives_the_level_of_the_run(django_capture_on_commit_callbacks: Any) -> None:
    make_bank()
    invitation = _invited(django_capture_on_commit_callbacks)
    user = User.objects.get(email=invitation.email)
    client = _client(user)
    client.post(f"/tests-en-ligne/invitation/{invitation.token}/", IDENTITY)
    run = Run.objects.get()
    for _ in range(50):
        run.refresh_from_db()
        if run.status == Run.Status.FINISHED:
            break
        question = Question.objects.get(run=run, answered_at__isnull=True)
        client.post(
            f"/tests-en-ligne/parcours-bilan/{run.pk}/", {"key": question.idempotency_key, "choice": "a"}
        )
    assert run.proposed_level == "expert"
    organiser = invitation.invited_by
    data = EnrolmentData(
        identity=Identity(
            birth_name="Martin",
            first_names="Inès Claire",
            birth_date=date(1990, 3, 14),
            email=invitation.email,
        ),
        academy=academy("lyon"),
        school_level="premier",
        training="continue",
    )
    with django_capture_on_commit_callbacks(execute=False):
        enrolment = enrolment_create(campaign=invitation.campaign, data=data, by=organiser)
    enrolment.refresh_from_db()
    assert enrolment.target_level == "expert"
    assert AuditEvent.objects.filter(
        action="testing.placement_target_level", target_id=str(enrolment.pk), data__run=run.pk
    ).exists()
    # A level typed at enrolment is kept.
    other = campaign_of(BANK)
    with django_capture_on_commit_callbacks(execute=False):
        typed = enrolment_create(
            campaign=other, data=EnrolmentData(**{**data.__dict__, "target_level": "confirme"}), by=None
        )
    assert Enrolment.objects.get(pk=typed.pk).target_level == "confirme"


def test_the_demo_invites_two_addresses_once() -> None:
    import io

    from certeval.campaigns.demo import SPRING_TITLE
    from certeval.testing.invitation_demo import ORGANISER, seed_invitations

    out = io.StringIO()
    assert seed_invitations(out) == 0  # no campaign: nothing written
    campaign = campaign_of(BANK, title=SPRING_TITLE)
    CampaignRole.objects.create(campaign=campaign, user=UserFactory(email=ORGANISER), role="organiser")
    assert seed_invitations(out) == 2
    assert seed_invitations(out) == 0
    assert PlacementInvitation.objects.filter(campaign=campaign, accepted_at__isnull=True).count() == 2
    assert (
        "@" not in out.getvalue()
    )  # no address printed (the demo prints its accounts as « address password »)


def test_the_campaign_page_links_to_the_invitations_and_results_of_those_who_use_them() -> None:
    campaign = campaign_of(BANK, state="open")
    other = campaign_of("facilitateur-apprentissage", state="open")
    organiser = organiser_of(campaign)
    page = _client(organiser).get(f"/campagnes/{campaign.pk}/").content.decode()
    assert f"/tests-en-ligne/invitations/campagne/{campaign.pk}/" in page
    assert f"/volet-automatise/campagne/{campaign.pk}/" in page
    # A référentiel without an item bank has no placement run to invite to.
    page = _client(organiser_of(other)).get(f"/campagnes/{other.pk}/").content.decode()
    assert "/tests-en-ligne/invitations/" not in page
