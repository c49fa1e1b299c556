"""Peer review of a draft dossier: invitations, signed links, feedback, revocation, the freeze."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign
from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from certeval.dossiers.peer_models import PeerFeedback, PeerInvitation
from certeval.dossiers.peer_services import (
    SALT,
    PeerReviewRefused,
    invitation_from_token,
    invitation_token,
    peer_feedback_add,
    peer_invite,
    peer_revoke,
)
from certeval.dossiers.services import dossier_submit
from certeval.dossiers.tests.prep_fixtures import draft_with_file

pytestmark = pytest.mark.django_db


def _invite(enrolment: Any, email: str = "pair@example.fr") -> PeerInvitation:
    return peer_invite(enrolment=enrolment, by=enrolment.candidate.user, email=email, name="Dominique Pair")


def test_invitation_sends_a_signed_link_through_the_task_and_is_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    enrolment, _file = draft_with_file()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(enrolment)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pair@example.fr"] and "Relecture du dossier" in message.subject
    link = next(line for line in message.body.splitlines() if "/relecture/" in line)
    token = link.rsplit("/relecture/", 1)[1].strip("/")
    assert invitation_from_token(token) == invitation
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dossier.peer_invite", "dossier.peer_invitation_email"} <= actions


@pytest.mark.parametrize(
    ("email", "message"),
    [("pas-une-adresse", "Adresse électronique invalide"), ("", "Adresse électronique invalide")],
)
def test_bad_addresses_are_refused(email: str, message: str) -> None:
    enrolment, _file = draft_with_file()
    with pytest.raises(PeerReviewRefused, match=message):
        _invite(enrolment, email)
    assert not PeerInvitation.objects.exists()


def test_own_address_duplicates_and_the_limit_are_refused_and_audited(settings: Any) -> None:
    settings.CERTEVAL_PEER_REVIEW_MAX_INVITATIONS = 2
    enrolment, _file = draft_with_file()
    with pytest.raises(PeerReviewRefused, match="votre propre adresse"):
        _invite(enrolment, enrolment.candidate.email.upper())
    first = _invite(enrolment, "a@example.fr")
    with pytest.raises(PeerReviewRefused, match="déjà une invitation en cours"):
        _invite(enrolment, "A@example.fr")
    _invite(enrolment, "b@example.fr")
    with pytest.raises(PeerReviewRefused, match="le maximum"):
        _invite(enrolment, "c@example.fr")
    peer_revoke(invitation=first, by=enrolment.candidate.user)
    _invite(enrolment, "c@example.fr")  # a revoked invitation frees its place
    assert AuditEvent.objects.filter(action="dossier.peer_invite", outcome="refused").count() == 3


def test_only_the_candidate_invites_and_revokes() -> None:
    enrolment, _file = draft_with_file()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        peer_invite(enrolment=enrolment, by=UserFactory(), email="x@example.fr")
    invitation = _invite(enrolment)
    with pytest.raises(PermissionDenied):
        peer_revoke(invitation=invitation, by=UserFactory())


def test_no_invitation_after_the_deadline_or_the_freeze() -> None:
    enrolment, _file = draft_with_file()
    with pytest.raises(PeerReviewRefused, match="date limite"):
        peer_invite(
            enrolment=enrolment,
            by=enrolment.candidate.user,
            email="x@example.fr",
            now=enrolment.campaign.deposit_deadline,
        )
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    with pytest.raises(PeerReviewRefused, match="déposé"):
        _invite(enrolment)


def test_the_peer_reads_the_draft_and_leaves_feedback_the_candidate_sees_it() -> None:
    enrolment, stored = draft_with_file()
    invitation = _invite(enrolment)
    token = invitation_token(invitation)
    peer = Client()  # no account
    page = peer.get(f"/relecture/{token}/").content.decode()
    assert "Relecture du dossier de" in page and "brouillon.pdf" in page
    assert "Présentation du scénario pédagogique" in page  # the Annexe 6 sections
    download = peer.get(f"/relecture/{token}/fichiers/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    response = peer.post(
        f"/relecture/{token}/", {"section": "evaluation", "text": "Préciser le lien avec Pix."}
    )
    assert response.status_code == 302
    response = peer.post(f"/relecture/{token}/", {"section": "overall", "text": "Dossier clair."})
    feedback = PeerFeedback.objects.get(section="evaluation")
    assert feedback.author is None and feedback.invitation == invitation
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    page = candidate.get(f"/mes-certifications/{enrolment.pk}/relecture/").content.decode()
    assert "Préciser le lien avec Pix." in page and "Évaluation" in page and "Avis d&#x27;ensemble" in page
    assert AuditEvent.objects.filter(action="dossier.peer_download").count() == 1
    assert AuditEvent.objects.filter(action="dossier.peer_feedback").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"section": "evaluation", "text": "   "}, "Écrivez votre avis"),
        ({"section": "inconnue", "text": "Bien"}, "Choisissez une rubrique de la liste"),
        ({"section": "overall", "text": "x" * 5001}, "5000"),
        ({}, "Choisissez une rubrique"),
    ],
)
def test_bad_feedback_is_refused_in_french_and_nothing_is_saved(data: dict[str, str], message: str) -> None:
    enrolment, _file = draft_with_file()
    token = invitation_token(_invite(enrolment))
    response = Client().post(f"/relecture/{token}/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not PeerFeedback.objects.exists()


def test_a_peer_never_reaches_another_candidates_draft() -> None:
    enrolment, _file = draft_with_file()
    _other, other_file = draft_with_file()
    token = invitation_token(_invite(enrolment))
    assert Client().get(f"/relecture/{token}/fichiers/{other_file.pk}/").status_code == 404
    assert "brouillon.pdf" in Client().get(f"/relecture/{token}/").content.decode()


def test_altered_forged_or_too_old_links_answer_404(settings: Any) -> None:
    enrolment, _file = draft_with_file()
    invitation = _invite(enrolment)
    token = invitation_token(invitation)
    assert Client().get(f"/relecture/{token[:-2]}xy/").status_code == 404
    forged = signing.dumps({"i": invitation.pk, "k": "devine"}, salt=SALT, compress=True)
    assert Client().get(f"/relecture/{forged}/").status_code == 404
    settings.CERTEVAL_PEER_REVIEW_LINK_MAX_AGE_DAYS = 2
    later = time.time() + 3 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert Client().get(f"/relecture/{token}/").status_code == 404
    assert Client().get(f"/relecture/{token}/").status_code == 200


def test_revoked_link_shows_a_french_page_and_nothing_of_the_dossier() -> None:
    enrolment, stored = draft_with_file()
    invitation = _invite(enrolment)
    token = invitation_token(invitation)
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    assert (
        candidate.post(f"/mes-certifications/{enrolment.pk}/relecture/{invitation.pk}/revoquer/").status_code
        == 302
    )
    response = Client().get(f"/relecture/{token}/")
    assert response.status_code == 410 and "révoquée" in response.content.decode()
    assert "brouillon.pdf" not in response.content.decode()
    assert Client().get(f"/relecture/{token}/fichiers/{stored.pk}/").status_code == 410
    with pytest.raises(PeerReviewRefused, match="révoquée"):
        peer_feedback_add(invitation=invitation, section="overall", text="Trop tard", by=None)
    with pytest.raises(PeerReviewRefused, match="déjà révoquée"):
        peer_revoke(invitation=invitation, by=enrolment.candidate.user)


def test_after_the_freeze_or_the_deadline_peers_see_nothing() -> None:
    enrolment, stored = draft_with_file()
    token = invitation_token(_invite(enrolment))
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    response = Client().get(f"/relecture/{token}/")
    assert response.status_code == 410 and "jamais le dossier déposé" in response.content.decode()
    assert Client().get(f"/relecture/{token}/fichiers/{stored.pk}/").status_code == 410
    late, _file = draft_with_file()
    late_token = invitation_token(_invite(late))
    Campaign.objects.filter(pk=late.campaign_id).update(
        deposit_deadline=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(f"/relecture/{late_token}/").status_code == 410


def test_the_peer_with_an_account_finds_their_invitations() -> None:
    enrolment, _file = draft_with_file()
    peer = UserFactory(email="pair@example.fr")
    _invite(enrolment, "PAIR@example.fr")
    client = Client()
    client.force_login(peer)
    page = client.get("/relectures/").content.decode()
    assert enrolment.candidate.display_name in page and "/relecture/" in page
    other = Client()
    other.force_login(UserFactory())
    assert enrolment.candidate.display_name not in other.get("/relectures/").content.decode()


def test_someone_else_cannot_open_the_candidates_peer_page() -> None:
    enrolment, _file = draft_with_file()
    invitation = _invite(enrolment)
    other = EnrolmentFactory(campaign=enrolment.campaign)
    client = Client()
    client.force_login(other.candidate.user)
    assert client.get(f"/mes-certifications/{enrolment.pk}/relecture/").status_code == 404
    assert (
        client.post(f"/mes-certifications/{other.pk}/relecture/{invitation.pk}/revoquer/").status_code == 404
    )
    assert PeerInvitation.objects.get(pk=invitation.pk).revoked_at is None


def test_the_invite_form_shows_french_errors() -> None:
    enrolment, _file = draft_with_file()
    client = Client()
    client.force_login(enrolment.candidate.user)
    url = f"/mes-certifications/{enrolment.pk}/relecture/"
    assert "Saisissez une adresse électronique valide." in client.post(url, {"email": "non"}).content.decode()
    assert "votre propre adresse" in client.post(url, {"email": enrolment.candidate.email}).content.decode()
    assert client.post(url, {"email": "pair@example.fr"}).status_code == 302


def test_one_link_writes_at_most_fifty_comments(monkeypatch: Any) -> None:
    from certeval.dossiers import peer_services

    monkeypatch.setattr(peer_services, "MAX_FEEDBACK_PER_INVITATION", 2)
    enrolment, _file = draft_with_file()
    invitation = _invite(enrolment)
    for text in ("Un", "Deux"):
        peer_feedback_add(invitation=invitation, section="overall", text=text, by=None)
    with pytest.raises(PeerReviewRefused, match="le maximum par invitation"):
        peer_feedback_add(invitation=invitation, section="overall", text="Trois", by=None)


def test_the_peer_review_link_is_offered_on_a_draft_and_after_it_only_with_feedback_to_read() -> None:
    from certeval.dossiers.prep_links import links

    def offered(enrolment: Any) -> bool:
        return any("Relecture" in label for label, _url in links(enrolment))

    enrolment, _stored = draft_with_file()
    assert offered(enrolment)
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    assert not offered(enrolment)  # frozen, nobody invited: nothing to read

    invited, _file = draft_with_file()
    _invite(invited)
    dossier_submit(enrolment=invited, by=invited.candidate.user)
    assert offered(invited)  # frozen, but the feedback received stays readable
