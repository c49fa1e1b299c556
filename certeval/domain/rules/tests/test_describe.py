from __future__ import annotations

from pathlib import Path

import yaml

from certeval.domain.rules.describe import describe_rules

DATA = Path(__file__).resolve().parents[3] / "data" / "frameworks"


def describe(framework_id: str) -> dict[str, list[str]]:
    document = yaml.safe_load((DATA / f"{framework_id}.yaml").read_text(encoding="utf-8"))
    labels = {level["id"]: level["label"] for level in document["levels"]}
    return {section["title"]: section["statements"] for section in describe_rules(document["rules"], labels)}


def test_pix_plus_edu_rules_are_stated_with_the_seed_figures() -> None:
    sections = describe("pix-plus-edu")
    grid = sections["Attribution du niveau du dossier"]
    assert grid[0] == "Expert : au moins 9 critères à ce niveau ou au-dessus, aucun critère sous Avancé."
    automated = " ".join(sections["Volet automatisé"])
    assert (
        "Avancé : au moins 65\u00a0% de réponses justes, et au moins 60\u00a0% dans chaque domaine"
        in automated
    )
    assert "crcn — Expert : au moins 85\u00a0%" in automated
    assert "3 ans" in automated
    assert "Politique par défaut : « Ajournement en cas de distorsion »." in sections["Décision finale"]
    assert not any("adjourn" in s for s in sections["Décision finale"])
    assert sections["Contraintes du dossier"] == ["Dossier écrit de 2 à 10 pages."]


def test_title_and_competence_rules() -> None:
    titre = describe("titre-responsable-formation")
    assert "blocs 1, 2, 3, 4, 5 et 6 et la réussite de l'entretien final" in titre["Décision finale"][0]
    assert titre["Contraintes du dossier"][:2] == [
        "Dossier écrit de 1 à 4 pages.",
        "Au plus 140\u202f000 caractères espaces compris.",
    ]
    assert describe("langues-vivantes-innovation")["Décision finale"] == [
        "Certification obtenue lorsque toutes les compétences sont validées "
        "(réglage du référentiel lorsque la source n'énonce pas de règle)."
    ]


def test_automated_parts_are_named_by_their_labels() -> None:
    document = yaml.safe_load((DATA / "pix-plus-edu.yaml").read_text(encoding="utf-8"))
    labels = {level["id"]: level["label"] for level in document["levels"]}
    sections = describe_rules(document["rules"], labels, {"crcn-edu": "CRCN-Édu", "crcn": "CRCN"})
    automated = next(s for s in sections if s["title"] == "Volet automatisé")["statements"]
    assert automated[0].startswith("CRCN-Édu — Initié : la source ne fixe aucun seuil")
    assert not any(s.startswith(("crcn-edu", "crcn ")) for s in automated)
