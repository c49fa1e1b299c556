"""Plain-French statements of a framework's rules, for the public référentiel page.

Works on the ``rules`` mapping and the level labels of a framework document, so a candidate
or a juror reads the same rule, with its source and its settings, that the evaluator applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certeval.domain.rules.text import enumerate_fr

POLICY_NAMES = {
    "joint": "Niveau le plus élevé reconnu conjointement",
    "adjourn": "Ajournement en cas de distorsion",
}
POLICIES = {
    "joint": "niveau reconnu conjointement (le plus bas des deux volets)",
    "adjourn": "ajournement lorsque le niveau de pratique est inférieur au niveau du volet automatisé "
    "(règle 2022-2023), le résultat du volet automatisé restant valable",
}
TIE_BREAKS = {"lower": "le plus bas des niveaux à égalité", "higher": "le plus haut des niveaux à égalité"}


def _share(value: float) -> str:
    return f"{round(value * 100, 1):g}".replace(".", ",") + "\u00a0%"


def describe_rules(
    rules: Mapping[str, Any], labels: Mapping[str, str], part_labels: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """``[{"title", "statements": [...], "source"}]`` for every rule present in ``rules``; ``labels``
    name the levels, ``part_labels`` the automated parts (by their id when absent)."""

    def label(level: str | None) -> str:
        return labels.get(level, level) if level else ""

    sections: list[dict[str, Any]] = []
    grid = rules.get("dossier_grid")
    if grid:
        statements = []
        for step in grid["cascade"]:
            text = (
                f"{label(step['level'])} : au moins {grid['min_criteria']} critères à ce niveau ou au-dessus"
            )
            text += f", aucun critère sous {label(step['floor'])}" if step.get("floor") else ""
            statements.append(text + ".")
        statements.append("Sinon, aucun niveau n'est attribué. Un critère non observable ne compte pas.")
        sections.append({"title": "Attribution du niveau du dossier", "statements": statements, **_src(grid)})
    oral = rules.get("oral_sheet")
    if oral:
        sections.append(
            {
                "title": "Bordereau de l'oral",
                "statements": [
                    "Un niveau par domaine ; le niveau obtenu est celui sur lequel le candidat est positionné "
                    "dans la majorité des domaines.",
                    f"En cas d'égalité (réglage de la campagne) : {TIE_BREAKS.get(oral['tie_break'], oral['tie_break'])}.",
                ],
                **_src(oral),
            }
        )
    automated = rules.get("automated")
    if automated:
        statements = []
        for part_id, config in automated["parts"].items():
            part = (part_labels or {}).get(part_id, part_id)
            for level, threshold in config["thresholds"].items():
                if threshold is None:
                    statements.append(
                        f"{part} — {label(level)} : la source ne fixe aucun seuil ; "
                        "par défaut, aucun minimum n'est exigé (réglage de la plateforme)."
                    )
                    continue
                text = f"{part} — {label(level)} : au moins {_share(threshold['global'])} de réponses justes"
                if threshold.get("per_domain") is not None:
                    text += f", et au moins {_share(threshold['per_domain'])} dans chaque domaine"
                statements.append(text + ".")
        statements.append(
            f"Un résultat reste valable {automated['validity_years']} ans à compter de son obtention."
        )
        sections.append({"title": "Volet automatisé", "statements": statements, **_src(automated)})
    final = rules.get("final")
    if final:
        sections.append({"title": "Décision finale", "statements": _final_statements(final), **_src(final)})
    constraints = rules.get("constraints")
    if constraints:
        statements = []
        if "pages" in constraints:
            pages = constraints["pages"]
            statements.append(f"Dossier écrit de {pages['min']} à {pages['max']} pages.")
        if "max_characters" in constraints:
            statements.append(
                f"Au plus {constraints['max_characters']['max']:,} caractères espaces compris.".replace(
                    ",", "\u202f"
                )
            )
        if constraints.get("evidence"):
            statements.append(
                f"{len(constraints['evidence'])} exigences de preuves vérifiées avant le dépôt."
            )
        sources = [
            str(c["source"]) for c in constraints.values() if isinstance(c, Mapping) and c.get("source")
        ]
        sections.append(
            {"title": "Contraintes du dossier", "statements": statements, "source": " ; ".join(sources)}
        )
    return sections


def _final_statements(final: Mapping[str, Any]) -> list[str]:
    kind = final["kind"]
    if kind == "joint_level":
        statements = ["Politiques possibles, choisies par campagne :"]
        statements += [f"« {POLICY_NAMES.get(p, p)} » : {POLICIES.get(p, p)}." for p in final["policies"]]
        if final.get("default_policy"):
            default = final["default_policy"]
            statements.append(f"Politique par défaut : « {POLICY_NAMES.get(default, default)} ».")
        return statements
    if kind == "competences":
        return [
            "Certification obtenue lorsque toutes les compétences sont validées "
            "(réglage du référentiel lorsque la source n'énonce pas de règle)."
        ]
    blocks = final.get("blocks", [])
    validity = final.get("block_validity_years")
    statements = [
        f"Titre obtenu par la capitalisation des blocs {enumerate_fr(list(blocks))}"
        + (" et la réussite de l'entretien final." if final.get("final_interview") else "."),
        "Chaque bloc validé est conservé "
        + (
            f"{validity} ans."
            if validity
            else "sans limite de durée (réglage par défaut, la source n'en fixe pas)."
        ),
    ]
    if final.get("final_interview_grid"):
        minimum = final.get("final_interview_min_points")
        statements.append(
            "L'entretien final est noté sur la grille de ses points de vérification : réussi quand "
            + (f"au moins {minimum} points sont vérifiés." if minimum else "tous ses points sont vérifiés.")
        )
    return statements


def _src(section: Mapping[str, Any]) -> dict[str, str]:
    return {"source": str(section.get("source", ""))}
