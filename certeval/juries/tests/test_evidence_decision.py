"""Declared evidence beside the grid and in the decision (seeds 000 and 001), through the web
layer: the jurors and the president see each competence's declared evidence with links to the
files; the president's decision for langues reads the explicit constraints (C2 on at least two
platforms or tools, C5 GDPR shown) and agrees with ``certeval evaluate`` on the same inputs."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certeval.campaigns.models import Enrolment
from certeval.dossiers.models import DossierFile, EvidenceDeclaration
from certeval.juries.models import Deliberation
from certeval.juries.selectors import decided_verdicts
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.results.files_selectors import latest_deliberations

pytestmark = pytest.mark.django_db

LANGUES = ["C1", "C2", "C3", "C4", "C5", "C6"]


def declare_frozen(jc: JuryCampaign, index: int, rows: list[tuple[str, int, str]]) -> DossierFile:
    """A frozen dossier's file and its declarations ``(requirement, count, note)``, written as the
    deposit left them (the models refuse any change once frozen, hence the bulk insert)."""
    enrolment = jc.enrolments[index]
    (stored,) = DossierFile.objects.bulk_create(
        [
            DossierFile(
                dossier=enrolment.dossier,
                kind="document",
                title="Dossier professionnel",
                name="dossier-professionnel.pdf",
                original_name="dossier-professionnel.pdf",
                storage_name=f"dossiers/test/{enrolment.pk}.pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                page_count=20,
                uploaded_by=enrolment.candidate.user,
            )
        ]
    )
    EvidenceDeclaration.objects.bulk_create(
        [
            EvidenceDeclaration(
                dossier=enrolment.dossier,
                requirement=requirement,
                file=stored,
                first_page=page + 1,
                last_page=page + 1,
                count=count,
                note=note,
                declared_by=enrolment.candidate.user,
            )
            for page, (requirement, count, note) in enumerate(rows)
        ]
    )
    return stored


def president(jc: JuryCampaign) -> Client:
    client = Client()
    client.force_login(jc.president)
    return client


def decide(jc: JuryCampaign, index: int, competences: list[str]) -> Deliberation:
    """The president marks every competence validated and validates the decision, by the pages."""
    client = president(jc)
    slot = jc.slot(index)
    data = {f"verdict-{c}": "validated" for c in competences}
    assert client.post(reverse("juries:harmonise", args=[slot.pk]), data).status_code == 302
    assert client.post(reverse("juries:validate", args=[slot.pk])).status_code == 302
    return Deliberation.objects.get(slot=slot, state=Deliberation.State.VALIDATED)


def evaluate(framework: str, case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "deliberation.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", framework, str(path), stdout=out)
    return dict(json.loads(out.getvalue()))


def test_langues_refused_on_c2_with_its_reason_as_the_command_decides(tmp_path: Path) -> None:
    jc = jury_campaign(candidates=2, framework="langues-vivantes-innovation")
    livrables = [(f"E1-C{n}", 1, "") for n in range(1, 7)]
    declare_frozen(jc, 0, [*livrables, ("C2-supports", 1, "Genially"), ("C5-rgpd", 1, "Registre RGPD")])
    declare_frozen(
        jc,
        1,
        [*livrables, ("C2-supports", 1, "Genially"), ("C2-supports", 1, "H5P"), ("C5-rgpd", 1, "")],
    )
    # The president sees the declarations beside the grid, with links to the file.
    page = president(jc).get(reverse("juries:harmonise", args=[jc.slot(0).pk])).content.decode()
    assert "Preuves déclarées par le candidat" in page
    assert "Genially" in page and "p. 7" in page
    assert (
        reverse(
            "dossiers:file", args=[DossierFile.objects.filter(dossier__enrolment=jc.enrolments[0]).get().pk]
        )
        in page
    )
    assert "Insuffisant (1 sur 2 attendu(s))" in page

    refused = decide(jc, 0, LANGUES)
    assert refused.outcome == "not_certified"
    reasons = refused.evaluation["final"]["reasons"]
    assert any(r.startswith("C2 ne peut pas être validée (validation du jury écartée)") for r in reasons)
    certified = decide(jc, 1, LANGUES)
    assert certified.outcome == "certified"
    # What results, files and score sheets show: C2 not validated, as the decision counts it.
    assert decided_verdicts(refused).competences == {**dict.fromkeys(LANGUES, True), "C2": False}
    assert refused.verdicts["competences"]["C2"] is True  # the jury's own mark stays recorded
    files = latest_deliberations(Enrolment.objects.filter(pk=jc.enrolments[0].pk), "competences")
    assert files[jc.enrolments[0].pk].verdicts["competences"]["C2"] is False

    today = timezone.localdate().isoformat()
    verdicts = {"competences": dict.fromkeys(LANGUES, True)}
    for deliberation, evidence in (
        (refused, {"C2-supports": 1, "C5-rgpd": True}),
        (certified, {"C2-supports": 2, "C5-rgpd": True}),
    ):
        cli = evaluate(
            "langues-vivantes-innovation",
            {"component": "deliberation", "on": today, "verdicts": verdicts, "evidence": evidence},
            tmp_path,
        )
        assert (cli["outcome"], cli["reasons"]) == (
            deliberation.outcome,
            deliberation.evaluation["final"]["reasons"],
        )
        assert cli["final"] == deliberation.evaluation["final"]


def test_jurors_see_the_facilitateur_dep_declarations_and_the_decision_agrees(tmp_path: Path) -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    declare_frozen(
        jc,
        0,
        [
            ("dep-introduction", 1, ""),
            ("dep-situations", 2, "Accueil en entrées-sorties permanentes ; atelier apprendre à apprendre"),
            ("dep-parcours", 5, "Cinq parcours d'apprenants"),
            ("C1-D1.1", 1, "Retour de Samia"),
        ],
    )
    juror = Client()
    juror.force_login(jc.jurors[0].user)
    page = juror.get(reverse("juries:score", args=[jc.slot().pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preuves déclarées par le candidat" in html
    assert "Cinq parcours d&#x27;apprenants" in html or "Cinq parcours d'apprenants" in html
    assert "Conforme (5 sur 5 attendu(s))" in html
    assert "Rien de déclaré" in html  # e.g. the conclusion, not declared
    decided = decide(jc, 0, ["C1", "C2", "C3", "C4", "C5"])
    assert decided.outcome == "certified"
    cli = evaluate(
        "facilitateur-apprentissage",
        {
            "component": "deliberation",
            "on": timezone.localdate().isoformat(),
            "verdicts": {"competences": dict.fromkeys(["C1", "C2", "C3", "C4", "C5"], True)},
        },
        tmp_path,
    )
    assert cli["final"] == decided.evaluation["final"]
