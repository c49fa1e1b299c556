"""The preparation path in a browser: the candidate opens the guide, invites a peer; the peer, without
an account, reads the draft and leaves feedback; the candidate reads it. Every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.dossiers.peer_models import PeerInvitation
from certeval.dossiers.peer_services import invitation_token
from certeval.dossiers.tests.prep_fixtures import draft_with_file
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guide_peer_review_and_feedback(page) -> None:  # type: ignore[no-untyped-def]
    enrolment, _stored = draft_with_file()
    sign_in(page, enrolment.candidate.email)
    page.goto("/mes-certifications/")
    page.get_by_role("link", name="Guide du candidat (dossier, traces, conseils)").first.click()
    expect(page.locator("h1")).to_have_text("Guide du candidat — Certification Pix+ Édu")
    expect(
        page.get_by_role(
            "heading", name="Suggestions de description de la séquence pour le dossier (Annexe 6)"
        )
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Faire relire mon brouillon par des pairs").click()
    page.get_by_label("Adresse électronique du pair").fill("pair@example.fr")
    page.get_by_label("Nom du pair (facultatif)").fill("Dominique Pair")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à pair@example.fr.")).to_be_visible()
    assert_accessible(page)

    token = invitation_token(PeerInvitation.objects.get(email="pair@example.fr"))
    page.context.clear_cookies()
    page.goto(f"/relecture/{token}/")
    expect(page.get_by_role("link", name="brouillon.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rubrique du dossier").select_option(label="Évaluation")
    page.get_by_label("Votre avis").fill("Ajoutez le lien avec Pix.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci : votre avis est transmis au candidat.")).to_be_visible()

    sign_in(page, enrolment.candidate.email)
    page.goto(f"/mes-certifications/{enrolment.pk}/relecture/")
    expect(page.get_by_role("cell", name="Ajoutez le lien avec Pix.")).to_be_visible()
    assert_accessible(page)
