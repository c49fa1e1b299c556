"""Writes of the evidence declared in a dossier: declare, withdraw. Same rules as the files: only
while the dossier is a draft and before the deadline, atomic with their audit row, a refused
attempt audited before the French error is raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Enrolment
from certeval.dossiers.evidence_selectors import declarable_requirements
from certeval.dossiers.models import DossierFile, EvidenceDeclaration
from certeval.dossiers.services import DepositRefused, _locked, _refusal

MAX_COUNT = 500


@dataclass(frozen=True)
class Declared:
    """What the candidate declares: the requirement, the file, the pages (``None``: the whole
    file), how many items it counts and a free note."""

    requirement: str
    file_id: int
    first_page: int | None = None
    last_page: int | None = None
    count: int = 1
    note: str = ""


def _problem(enrolment: Enrolment, dossier_id: int, given: Declared) -> tuple[str | None, DossierFile | None]:
    requirements = {r.id: r for r in declarable_requirements(enrolment.campaign.framework_version)}
    requirement = requirements.get(given.requirement)
    if requirement is None:
        return _("Exigence inconnue pour cette certification."), None
    stored = DossierFile.objects.current().filter(dossier_id=dossier_id, pk=given.file_id).first()
    if stored is None:
        return _("Choisissez un fichier actuellement dans votre dossier."), None
    if (given.first_page is None) != (given.last_page is None):
        return _("Indiquez la première et la dernière page, ou aucune."), None
    if given.first_page is not None and given.last_page is not None:
        if given.first_page < 1 or given.last_page < given.first_page:
            return _("Plage de pages incohérente : la dernière page précède la première."), None
        if stored.page_count is not None and given.last_page > stored.page_count:
            return (
                _("Le fichier « %(name)s » n'a que %(n)s page(s).")
                % {"name": stored.name, "n": stored.page_count},
                None,
            )
    if not 1 <= given.count <= MAX_COUNT:
        return _("Le nombre d'éléments va de 1 à %(max)s.") % {"max": MAX_COUNT}, None
    if requirement.check.kind == "boolean" and given.count != 1:
        return _("Cette exigence se démontre : ne lui donnez pas de nombre."), None
    if len(given.note) > 500:
        return _("La précision tient en 500 caractères au plus."), None
    return None, stored


def evidence_declare(
    *, enrolment: Enrolment, by: User, given: Declared, now: datetime | None = None
) -> EvidenceDeclaration:
    """Record one declared piece of evidence in the draft dossier."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(enrolment)
        refusal = _refusal(dossier, now=now, by=by)
        stored = None
        if refusal is None:
            refusal, stored = _problem(enrolment, dossier.pk, given)
        if refusal is None and stored is not None:
            declaration = EvidenceDeclaration(
                dossier=dossier,
                requirement=given.requirement,
                file=stored,
                first_page=given.first_page,
                last_page=given.last_page,
                count=given.count,
                note=given.note.strip(),
                declared_at=now,
                declared_by=by,
            )
            declaration.full_clean()
            declaration.save()
            audit_record(
                actor=by,
                action="dossier.evidence_declare",
                target=dossier,
                data={
                    "declaration": declaration.pk,
                    "requirement": given.requirement,
                    "file": stored.pk,
                    "pages": [given.first_page, given.last_page],
                    "count": given.count,
                },
            )
            return declaration
        audit_record(
            actor=by,
            action="dossier.evidence_declare",
            target=dossier,
            refused=True,
            message=refusal or "",
            data={"requirement": given.requirement[:80]},
        )
    raise DepositRefused(refusal)


def evidence_withdraw(
    *, declaration: EvidenceDeclaration, by: User, now: datetime | None = None
) -> EvidenceDeclaration:
    """Take a declaration out of the draft dossier (kept for the record)."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(declaration.dossier.enrolment)
        refusal = _refusal(dossier, now=now, by=by)
        if refusal is None:
            declaration.refresh_from_db()
            if declaration.withdrawn_at is not None:
                refusal = _("Cette preuve n'est plus déclarée.")
        if refusal is None:
            declaration.withdrawn_at = now
            declaration.save(update_fields=["withdrawn_at"])
            audit_record(
                actor=by,
                action="dossier.evidence_withdraw",
                target=dossier,
                data={"declaration": declaration.pk, "requirement": declaration.requirement},
            )
            return declaration
        audit_record(
            actor=by,
            action="dossier.evidence_withdraw",
            target=dossier,
            refused=True,
            message=refusal,
            data={"declaration": declaration.pk},
        )
    raise DepositRefused(refusal)
