"""The access export of « Mes données » (docs/privacy.md, « Access »): every section, the person's
own data only (never another candidate's), dossier files with size and SHA-256, decisions once
published, awards and credentials, audit rows and consultations; a readable PDF; each download
audited."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.cache import cache

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Candidate
from certeval.campaigns.tests.factories import UserFactory
from certeval.privacy.access_selectors import SECTIONS
from certeval.privacy.tests.privacy_fixtures import (
    BIRTH_PLACE,
    DOSSIER_BYTES,
    HEALTH,
    privacy_world,
    signed_in,
    stored_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()


def test_the_json_export_has_every_section_with_the_persons_own_data_only() -> None:
    world = privacy_world()
    Candidate.objects.filter(pk=world.other.candidate_id).update(birth_name="Autrenom", first_names="Zoé")
    world.other.refresh_from_db()
    stored_file(world.enrolment)
    stored_file(world.other)
    signed_in(world.juror).get(f"/jurys/oral/{world.slot.pk}/evaluer/")
    signed_in(world.juror).get(f"/campagnes/candidats/{world.other.pk}/")
    response = signed_in(world.candidate).get("/donnees-personnelles/mes-donnees/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content.decode()
    data = json.loads(raw)
    assert set(SECTIONS) <= set(data)
    candidate = data["identity"]["candidate"]
    assert candidate["birth_place"] == BIRTH_PLACE and candidate["birth_date"] == "1981-04-23"
    assert [e["id"] for e in data["enrolments"]] == [world.enrolment.pk]
    assert data["accommodations"][0]["other_needs"] == HEALTH
    assert data["accommodations"][0]["extra_time_percent"] == 33
    files = data["dossiers"][0]["files"]
    assert {"size": len(DOSSIER_BYTES), "sha256": hashlib.sha256(DOSSIER_BYTES).hexdigest()}.items() <= files[
        0
    ].items()
    assert data["decisions"][0]["outcome"] and data["decisions"][0]["campaign"] == world.jc.campaign.title
    assert data["awards"] and data["awards"][0]["verification_code"]
    assert data["automated_results"][0]["level"] == "confirme"
    assert any(row["action"] for row in data["audit"])
    assert [c["page"] for c in data["consultations"]] == ["Grille d'évaluation d'un juré"]
    # Nothing of the other candidate: their names, e-mail, enrolment or consultations.
    other = world.other.candidate
    for secret in (other.email, other.birth_name, other.first_names):
        assert secret not in raw, secret
    assert str(world.other.pk) not in [str(e["enrolment_id"]) for e in data["dossiers"]]
    audited = AuditEvent.objects.filter(action="privacy.access_export", person=world.candidate)
    assert audited.count() == 1 and audited.get().data == {"format": "json"}


def test_the_pdf_renders_and_the_page_links_both_downloads() -> None:
    world = privacy_world()
    client = signed_in(world.candidate)
    response = client.get("/donnees-personnelles/mes-donnees/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    page = client.get("/donnees-personnelles/mes-donnees/").content.decode()
    assert "/donnees-personnelles/mes-donnees/export.pdf" in page
    assert "/donnees-personnelles/mes-donnees/export.json" in page
    assert "Vos demandes" in page


def test_a_staff_member_without_candidate_identity_gets_their_account_and_roles() -> None:
    world = privacy_world(published=False)
    data = json.loads(
        signed_in(world.jc.organiser).get("/donnees-personnelles/mes-donnees/export.json").content
    )
    assert data["identity"]["candidate"] is None
    assert data["roles"][0]["campaign"] == world.jc.campaign.title
    assert data["enrolments"] == [] and data["consultations"] == []
    lone = UserFactory()
    assert signed_in(lone).get("/donnees-personnelles/mes-donnees/export.pdf").content.startswith(b"%PDF")


def test_my_account_links_mes_donnees_for_everyone_signed_in() -> None:
    client = signed_in(UserFactory())
    assert 'href="/comptes/"' in client.get("/").content.decode()  # « Mon compte », in the header
    assert 'href="/donnees-personnelles/mes-donnees/"' in client.get("/comptes/").content.decode()
