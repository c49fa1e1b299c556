"""What an award says, as the plain data of an Open Badges 3.0 credential (``domain.credentials.build``).

- Achievement: one per certification (``Certification``), per bloc of a title (``Competency``) and per
  placement level of a référentiel (``Assessment``); its id is the référentiel version's public page
  with a fragment (``#certification``, ``#bloc-B1``, ``#positionnement``), its criteria the « Épreuves
  et règles » tab; the RNCP / RS code comes from ``CERTEVAL_CREDENTIALS["codes"]`` and is left out when
  absent; it is aligned to the référentiel's CASE items, each at its own URL (``frameworks:case-node``):
  every domain or bloc for the certification and the placement, the bloc and its competences for a bloc.
- Result: the level reached, one of the référentiel's levels (``resultDescription``).
- Evidence: the award's public verification page (the decision, never the dossier).
- Subject: a pseudonymous ``urn:uuid`` stable per candidate (HMAC of the candidate id under the key
  secret), the holder's name and their salted e-mail hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse

from certeval.domain.case import framework_to_case
from certeval.domain.credentials import build, status_list
from certeval.frameworks.models import FrameworkVersion
from certeval.results.credential_keys import absolute, credential_settings, issuer_id
from certeval.results.models import Award
from certeval.results.models.awards import STATUS_LIST_SIZE

ACHIEVEMENT_TYPES = {
    Award.Kind.CERTIFICATION: "Certification",
    Award.Kind.BLOC: "Competency",
    Award.Kind.PLACEMENT: "Assessment",
}
CRITERIA = {
    Award.Kind.CERTIFICATION: (
        "Certification délivrée par décision validée du jury, après l'évaluation du dossier et de "
        "l'oral selon les grilles et les règles de décision du référentiel."
    ),
    Award.Kind.BLOC: (
        "Bloc de compétences validé par décision du jury, selon les grilles et les règles de décision "
        "du référentiel ; il est capitalisable."
    ),
    Award.Kind.PLACEMENT: (
        "Niveau établi par le test adaptatif du parcours bilan, selon la règle de positionnement du "
        "référentiel."
    ),
}


def issuer() -> build.Issuer:
    config = credential_settings()
    return build.Issuer(
        id=issuer_id(),
        name=str(config["issuer_name"]),
        url=str(config["issuer_url"] or absolute("/")),
        email=str(config["issuer_email"] or ""),
        description=str(config["issuer_description"] or ""),
    )


def status_list_url(number: int) -> str:
    return absolute(reverse("results:credential_status_list", args=[number]))


def status_entry(award: Award) -> dict[str, Any]:
    number, index = divmod(award.status_index, STATUS_LIST_SIZE)
    return status_list.entry(status_list_url(number), index)


def subject_id(candidate_id: int) -> str:
    secret = str(credential_settings()["key_secret"] or settings.SECRET_KEY).encode("utf-8")
    digest = hmac.new(secret, f"certeval-subject:{candidate_id}".encode(), hashlib.sha256).digest()
    return uuid.UUID(bytes=digest[:16], version=4).urn


def codes_for(framework_id: str, bloc: str = "") -> str:
    """The RNCP / RS code of a certification or of one of its blocs; empty when not configured."""
    entry = (credential_settings().get("codes") or {}).get(framework_id) or {}
    return str((entry.get("blocs") or {}).get(bloc, "")) if bloc else str(entry.get("certification", ""))


def _alignments(version: FrameworkVersion, bloc: str) -> tuple[build.Alignment, ...]:
    base_uri = absolute(reverse("frameworks:detail", args=[version.framework_id])) + "case"
    package = framework_to_case(
        version.document,
        base_uri=base_uri,
        version=str(version.version_number),
        last_change=version.published_at.isoformat(),
    )
    framework_title = version.title
    top = {str(domain["id"]) for domain in version.document["domains"]}
    competences = {
        str(competence["id"])
        for domain in version.document["domains"]
        if str(domain["id"]) == bloc
        for competence in domain["competences"]
    }
    wanted = {bloc} | competences if bloc else top
    alignments = []
    for item in package["CFItems"]:
        code = item["humanCodingScheme"]
        is_domain = item["CFItemType"] in {"Domaine", "Bloc de compétences"}
        if code in wanted and (is_domain == (code in top)):
            alignments.append(
                build.Alignment(
                    target_name=(item["fullStatement"] or code)[:200],
                    target_url=item["uri"],
                    target_code=code,
                    target_framework=framework_title,
                )
            )
    return tuple(alignments)


def achievement(award: Award) -> build.Achievement:
    version = award.framework_version
    page = absolute(reverse("frameworks:version", args=[version.framework_id, version.version_number]))
    snapshot = award.snapshot or {}
    document = version.document
    levels = tuple(build.Level(str(level["id"]), str(level["label"])) for level in document.get("levels", []))
    if award.kind == Award.Kind.BLOC:
        fragment, name = f"bloc-{award.bloc_code}", str(snapshot.get("bloc_label") or award.bloc_code)
        description = f"Bloc de compétences {award.bloc_code} de la certification « {version.title} »."
        levels = ()  # a bloc is validated or not: no level
    elif award.kind == Award.Kind.PLACEMENT:
        fragment, name = "positionnement", str(snapshot.get("certification") or version.title)
        description = f"Niveau de maîtrise établi par le parcours bilan de « {version.title} »."
    else:
        fragment, name = "certification", version.title
        description = str(document.get("description") or f"Certification « {version.title} ».")
    if award.level and levels and award.level not in {level.id for level in levels}:
        levels = (*levels, build.Level(award.level, str(snapshot.get("level_label") or award.level)))
    code = codes_for(version.framework_id, award.bloc_code if award.kind == Award.Kind.BLOC else "")
    if award.kind == Award.Kind.PLACEMENT:
        code = ""
    return build.Achievement(
        id=f"{page}#{fragment}",
        name=name,
        description=description,
        criteria=CRITERIA[Award.Kind(award.kind)],
        criteria_url=f"{page}?onglet=epreuves",
        achievement_type=ACHIEVEMENT_TYPES[Award.Kind(award.kind)],
        code=code,
        version=version.label,
        alignments=_alignments(version, award.bloc_code if award.kind == Award.Kind.BLOC else ""),
        levels=levels,
    )


def evidence(award: Award) -> build.Evidence:
    snapshot = award.snapshot or {}
    reasons = [str(reason) for reason in snapshot.get("reasons") or []]
    decided = "Décision du jury" if award.kind != Award.Kind.PLACEMENT else "Résultat du parcours bilan"
    narrative = f"{decided} du {award.awarded_on.strftime('%d/%m/%Y')}."
    if reasons:
        narrative += " " + " ".join(reason.rstrip(" .") + "." for reason in reasons[:5])
    return build.Evidence(
        id=absolute(reverse("results:verify_code", args=[award.code])),
        name=decided,
        narrative=narrative,
    )


def credential_data(award: Award, credential_uuid: uuid.UUID) -> build.CredentialData:
    snapshot = award.snapshot or {}
    candidate = award.candidate
    item = achievement(award)
    if award.kind == Award.Kind.BLOC:
        description = "Attestation de validation d'un bloc de compétences."
    elif award.kind == Award.Kind.PLACEMENT:
        label = snapshot.get("level_label") or award.level
        description = f"Attestation de niveau (parcours bilan) : {label}."
    else:
        label = snapshot.get("level_label") or award.level
        description = "Attestation de certification" + (f", niveau {label}." if label else ".")
    return build.CredentialData(
        id=credential_uuid.urn,
        name=item.name,
        description=description,
        issuer=issuer(),
        subject=build.Subject(
            id=subject_id(candidate.pk),
            name=candidate.display_name,
            email=candidate.email,
            salt=secrets.token_hex(8),
        ),
        achievement=item,
        awarded_on=award.awarded_on,
        valid_from=award.valid_from,
        valid_until=award.valid_until,
        level=award.level if item.levels else "",
        evidence=(evidence(award),),
        status=status_entry(award),
        zone=str(settings.TIME_ZONE),
    )
