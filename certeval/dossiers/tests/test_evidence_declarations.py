"""Declared evidence in the dossier (seeds 000 and 001): declare, check at deposit, withdraw,
follow a replaced file, frozen with the dossier; the htmx section and its French errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, pdf_bytes
from certeval.dossiers.evidence_selectors import (
    declarable_requirements,
    enrolment_evidence,
    evidence_for_readers,
)
from certeval.dossiers.evidence_services import Declared, evidence_declare, evidence_withdraw
from certeval.dossiers.models import DossierFile, EvidenceDeclaration, FrozenDossierError
from certeval.dossiers.services import DepositRefused, dossier_file_upload, dossier_submit
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file

pytestmark = pytest.mark.django_db


def version(framework_id: str) -> FrameworkVersion:
    found = FrameworkVersion.objects.filter(framework_id=framework_id).first()
    if found is None:
        framework_publish_file(path=DATA_DIR / f"{framework_id}.yaml")
        found = FrameworkVersion.objects.get(framework_id=framework_id)
    return found


def enrolment_of(framework_id: str) -> Enrolment:
    enrolment: Enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=version(framework_id)))
    return enrolment


def upload(
    enrolment: Enrolment, pages: int = 12, title: str = "Dossier professionnel", **kw: Any
) -> DossierFile:
    data = pdf_bytes(pages, title)
    return dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name=f"{title}.pdf",
        size=len(data),
        kind="document",
        title=title,
        **kw,
    )


def declare(enrolment: Enrolment, requirement: str, file: DossierFile, **kw: Any) -> EvidenceDeclaration:
    return evidence_declare(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        given=Declared(requirement=requirement, file_id=file.pk, **kw),
    )


def test_declarable_requirements_are_the_dossier_ones() -> None:
    langues = [r.id for r in declarable_requirements(version("langues-vivantes-innovation"))]
    assert langues == ["E1-C1", "E1-C2", "C2-supports", "E1-C3", "E1-C4", "E1-C5", "C5-rgpd", "E1-C6"]
    decisive = [r.id for r in declarable_requirements(version("langues-vivantes-innovation")) if r.decisive]
    assert decisive == ["C2-supports", "C5-rgpd"]
    facilitateur = [r.id for r in declarable_requirements(version("facilitateur-apprentissage"))]
    assert facilitateur[:3] == ["dep-introduction", "dep-situations", "dep-parcours"]
    assert "dep-conclusion" in facilitateur
    assert "C5-situations-orales" not in facilitateur  # observed at the oral, not declared
    assert declarable_requirements(version("pix-plus-edu")) == []


def test_declared_counts_feed_the_values_the_deliberation_reads() -> None:
    enrolment = enrolment_of("langues-vivantes-innovation")
    dossier = upload(enrolment)
    declare(enrolment, "C2-supports", dossier, first_page=4, last_page=5, note="Genially")
    assert enrolment_evidence(enrolment, enrolment.campaign.framework_version) == {"C2-supports": 1}
    declare(enrolment, "C2-supports", dossier, first_page=6, last_page=6, note="H5P")
    declare(enrolment, "C5-rgpd", dossier, first_page=9, last_page=9)
    assert enrolment_evidence(enrolment, enrolment.campaign.framework_version) == {
        "C2-supports": 2,
        "C5-rgpd": True,
    }
    groups = evidence_for_readers(enrolment, enrolment.campaign.framework_version)
    c2 = next(g for g in groups if g.title.startswith("C2"))
    row = next(r for r in c2.rows if r.requirement.id == "C2-supports")
    assert row.status == "Conforme"
    assert [d.pages_text for d in row.declarations] == ["p. 4–5", "p. 6"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"requirement": "E2-C1"}, "Exigence inconnue pour cette certification."),
        ({"first_page": 3, "last_page": 40}, "n'a que 12 page(s)"),
        ({"first_page": 5, "last_page": 3}, "la dernière page précède la première"),
        ({"first_page": 5}, "Indiquez la première et la dernière page, ou aucune."),
        ({"requirement": "C5-rgpd", "count": 2}, "ne lui donnez pas de nombre"),
        ({"count": 0}, "Le nombre d'éléments va de 1 à 500."),
    ],
)
def test_refusals_are_french_and_audited(given: dict[str, Any], message: str) -> None:
    enrolment = enrolment_of("langues-vivantes-innovation")
    dossier = upload(enrolment)
    given = {"requirement": "E1-C1", "file_id": dossier.pk, **given}
    with pytest.raises(DepositRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        evidence_declare(enrolment=enrolment, by=enrolment.candidate.user, given=Declared(**given))
    assert not EvidenceDeclaration.objects.exists()
    assert AuditEvent.objects.filter(action="dossier.evidence_declare", outcome="refused").count() == 1


def test_a_file_of_another_dossier_is_refused() -> None:
    mine = enrolment_of("langues-vivantes-innovation")
    upload(mine)
    other = enrolment_of("langues-vivantes-innovation")
    theirs = upload(other)
    with pytest.raises(DepositRefused, match="Choisissez un fichier actuellement dans votre dossier"):
        declare(mine, "E1-C1", theirs)


def test_declarations_follow_a_replaced_file_and_stop_counting_when_it_is_withdrawn() -> None:
    enrolment = enrolment_of("facilitateur-apprentissage")
    first = upload(enrolment)
    declare(enrolment, "dep-parcours", first, first_page=2, last_page=8, count=5)
    replacement = upload(enrolment, pages=14, title="Dossier v2", replaces=first)
    assert EvidenceDeclaration.objects.get().file_id == replacement.pk
    assert enrolment_evidence(enrolment, enrolment.campaign.framework_version) == {"dep-parcours": 5}
    from certeval.dossiers.services import dossier_file_withdraw

    dossier_file_withdraw(file=replacement, by=enrolment.candidate.user)
    assert enrolment_evidence(enrolment, enrolment.campaign.framework_version) == {}


def test_frozen_with_the_dossier() -> None:
    enrolment = enrolment_of("facilitateur-apprentissage")
    dossier = upload(enrolment)
    declaration = declare(enrolment, "dep-introduction", dossier, first_page=1, last_page=2)
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    with pytest.raises(DepositRefused, match="figé"):
        declare(enrolment, "dep-conclusion", dossier)
    with pytest.raises(DepositRefused, match="figé"):
        evidence_withdraw(declaration=declaration, by=enrolment.candidate.user)
    declaration.note = "changement"
    with pytest.raises(FrozenDossierError):
        declaration.save()
    with pytest.raises(FrozenDossierError):
        EvidenceDeclaration.objects.filter(pk=declaration.pk).update(note="x")
    page = candidate_client(enrolment).get(reverse("dossiers:deposit", args=[enrolment.pk])).content.decode()
    assert "Exigences non déclarées au minimum attendu" in page
    assert "Déclarer la preuve" not in page and "Retirer cette preuve" not in page


# --- pages -------------------------------------------------------------------------------------


def candidate_client(enrolment: Enrolment) -> Client:
    client = Client()
    client.force_login(enrolment.candidate.user)
    return client


def test_the_deposit_page_lists_what_is_missing_before_submission() -> None:
    enrolment = enrolment_of("langues-vivantes-innovation")
    dossier = upload(enrolment)
    declare(enrolment, "C2-supports", dossier, first_page=3, last_page=3, note="Genially")
    page = candidate_client(enrolment).get(reverse("dossiers:deposit", args=[enrolment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preuves déclarées par compétence" in html
    assert "À compléter avant votre dépôt définitif" in html
    assert "1 déclaré(s), au moins 2 attendu(s)" in html
    assert "contrainte de la décision : sans elle, la compétence ne peut pas être validée" in html
    assert "Genially" in html
    assert "Le respect du RGPD" in html and "non déclaré" in html


def test_htmx_declare_and_withdraw_redraw_the_section() -> None:
    enrolment = enrolment_of("facilitateur-apprentissage")
    dossier = upload(enrolment)
    client = candidate_client(enrolment)
    url = reverse("dossiers:evidence_declare", args=[enrolment.pk])
    answer = client.post(
        url,
        {"requirement": "dep-situations", "file": dossier.pk, "pages": "3-6", "count": "2", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.startswith('<section id="evidence-section"') or 'id="evidence-section"' in html
    assert "<html" not in html
    assert "Preuve déclarée." in html
    declaration = EvidenceDeclaration.objects.get()
    assert (declaration.first_page, declaration.last_page, declaration.count) == (3, 6, 2)
    answer = client.post(
        reverse("dossiers:evidence_withdraw", args=[enrolment.pk, declaration.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Preuve retirée" in answer.content.decode()
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None


def test_bad_input_gives_french_errors_and_keeps_the_input() -> None:
    enrolment = enrolment_of("facilitateur-apprentissage")
    dossier = upload(enrolment)
    client = candidate_client(enrolment)
    url = reverse("dossiers:evidence_declare", args=[enrolment.pk])
    data = {
        "requirement": "dep-parcours",
        "file": dossier.pk,
        "pages": "trois",
        "count": "5",
        "note": "mes notes",
    }
    answer = client.post(url, data, HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Écrivez une page (« 4 ») ou une plage de pages (« 4-7 »)." in html
    assert "mes notes" in html
    beyond = client.post(url, {**data, "pages": "10-30"}, HTTP_HX_REQUEST="true").content.decode()
    assert "n&#x27;a que 12 page(s)" in beyond or "n'a que 12 page(s)" in beyond
    plain = client.post(url, {**data, "requirement": "inconnue"})
    assert plain.status_code == 200
    assert "Sélectionnez un choix valide" in plain.content.decode()
    assert not EvidenceDeclaration.objects.exists()


def test_only_the_candidate_declares() -> None:
    enrolment = enrolment_of("facilitateur-apprentissage")
    dossier = upload(enrolment)
    intruder = Client()
    intruder.force_login(UserFactory())
    url = reverse("dossiers:evidence_declare", args=[enrolment.pk])
    assert intruder.post(url, {"requirement": "dep-introduction", "file": dossier.pk}).status_code == 404
    declaration = declare(enrolment, "dep-introduction", dossier)
    withdraw_url = reverse("dossiers:evidence_withdraw", args=[enrolment.pk, declaration.pk])
    assert intruder.post(withdraw_url).status_code == 404
    assert candidate_client(enrolment).get(url).status_code == 405
