"""Export of a référentiel as a CASE 1.0 ``CFPackage`` (1EdTech Competencies and Academic Standards Exchange).

Works on the plain document of ``serialize.framework_to_dict``: the framework is the
``CFDocument``; domains (or blocs), competences and their criteria are ``CFItems`` linked by
``isChildOf`` associations; every scoring grid is a ``CFRubric`` whose criteria carry one
``CFRubricCriterionLevel`` per level. Identifiers are UUID v5 derived from the framework id,
its published version and the item's path, so an export is reproducible.
"""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("5b0f3d0e-8a47-4d4c-9a0e-6f2b9d1c7e21")


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def framework_to_case(
    document: dict[str, Any], *, base_uri: str, version: str, last_change: str, creator: str = "Certeval"
) -> dict[str, Any]:
    """A CASE ``CFPackage`` for one framework document.

    ``base_uri`` is where the package is served (URIs are ``{base_uri}/{kind}/{identifier}``),
    ``version`` the published version label, ``last_change`` an ISO 8601 date-time.
    """
    key = f"{document['id']}@{version}"

    def uri(kind: str, identifier: str) -> str:
        return f"{base_uri.rstrip('/')}/{kind}/{identifier}"

    doc_id = _uid(key)
    doc_uri = uri("CFDocuments", doc_id)
    source = document.get("source") or {}
    cf_document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": creator,
        "title": document["title"],
        "lastChangeDateTime": last_change,
        "description": document.get("description") or document["title"],
        "language": "fr",
        "version": version,
        "adoptionStatus": "Adopted",
        "notes": f"Source : {source.get('seed', '')} {source.get('title', '')}".strip(),
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    item_uris: dict[str, str] = {}

    def add_item(path: str, statement: str, item_type: str, code: str, parent_uri: str, position: int) -> str:
        identifier = _uid(key, path)
        item_uri = uri("CFItems", identifier)
        items.append(
            {
                "identifier": identifier,
                "uri": item_uri,
                "fullStatement": statement or code,
                "humanCodingScheme": code,
                "CFItemType": item_type,
                "language": "fr",
                "lastChangeDateTime": last_change,
            }
        )
        association_id = _uid(key, path, "isChildOf")
        associations.append(
            {
                "identifier": association_id,
                "uri": uri("CFAssociations", association_id),
                "associationType": "isChildOf",
                "sequenceNumber": position,
                "originNodeURI": {"title": statement[:60] or code, "identifier": identifier, "uri": item_uri},
                "destinationNodeURI": {
                    "title": parent_uri.rsplit("/", 1)[-1],
                    "identifier": parent_uri.rsplit("/", 1)[-1],
                    "uri": parent_uri,
                },
                "lastChangeDateTime": last_change,
            }
        )
        item_uris[path] = item_uri
        return item_uri

    for d_pos, domain in enumerate(document["domains"], start=1):
        kind = {"bloc": "Bloc de compétences"}.get(domain.get("kind", ""), "Domaine")
        domain_uri = add_item(
            f"domain/{domain['id']}", domain.get("title") or "", kind, str(domain["id"]), doc_uri, d_pos
        )
        for c_pos, competence in enumerate(domain["competences"], start=1):
            statement = competence.get("statement") or competence.get("title") or ""
            competence_uri = add_item(
                f"competence/{competence['id']}", statement, "Compétence", competence["id"], domain_uri, c_pos
            )
            for k_pos, criterion in enumerate(competence.get("criteria", []), start=1):
                add_item(
                    f"criterion/{competence['id']}/{criterion['id']}",
                    criterion["text"],
                    "Critère",
                    criterion["id"],
                    competence_uri,
                    k_pos,
                )

    labels = {level["id"]: level["label"] for level in document["levels"]}
    rubrics = []
    for grid in document.get("grids", []):
        rubric_id = _uid(key, "grid", grid["id"])
        criteria = []
        for position, criterion in enumerate(grid["criteria"], start=1):
            criterion_id = _uid(key, "grid", grid["id"], criterion["id"])
            levels = [
                {
                    "identifier": _uid(key, "grid", grid["id"], criterion["id"], level_id),
                    "uri": uri(
                        "CFRubricCriterionLevels", _uid(key, "grid", grid["id"], criterion["id"], level_id)
                    ),
                    "description": text,
                    "quality": labels.get(level_id, level_id),
                    "score": float(level_position),
                    "position": level_position,
                    "rubricCriterionId": criterion_id,
                    "lastChangeDateTime": last_change,
                }
                for level_position, (level_id, text) in enumerate(
                    (criterion.get("descriptors") or {}).items(), start=1
                )
            ]
            criteria.append(
                {
                    "identifier": criterion_id,
                    "uri": uri("CFRubricCriteria", criterion_id),
                    "category": criterion["id"],
                    "description": criterion["text"],
                    "position": position,
                    "rubricId": rubric_id,
                    "lastChangeDateTime": last_change,
                    "CFRubricCriterionLevels": levels,
                }
            )
        rubrics.append(
            {
                "identifier": rubric_id,
                "uri": uri("CFRubrics", rubric_id),
                "title": grid["title"],
                "lastChangeDateTime": last_change,
                "CFRubricCriteria": criteria,
            }
        )

    return {
        "CFDocument": cf_document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": rubrics,
    }
