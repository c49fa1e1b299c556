"""The person's access export (RGPD art. 15): everything Certeval holds about the signed-in person,
read only through their own account — never another person's data (jurors' names appear only as the
authors of consultations and actions about the person, as the right of access requires).

Sections (``SECTIONS``, each always present, empty when there is nothing): identity, roles,
enrolments, accommodations, test sittings, automated results, test runs, dossiers (files with size
and SHA-256), decisions (once published, as the candidate's result page shows them), awards and
credentials, audit rows about the person, consultations of their file. docs/privacy.md, « Access »."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.consult_services import consultations_of, page_label
from certeval.audit.labels import action_label, target_label
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign, CampaignRole, Candidate, Enrolment, OrganisationMember
from certeval.core.privacy_notices import controller
from certeval.dossiers.models import DossierFile, Receipt
from certeval.results.award_selectors import award_title
from certeval.results.models import Award
from certeval.results.selectors import candidate_result
from certeval.testing.models import AutomatedResult, ProctoringEvent, Run, Sitting

SECTIONS = (
    "identity",
    "roles",
    "enrolments",
    "accommodations",
    "test_sittings",
    "automated_results",
    "test_runs",
    "dossiers",
    "decisions",
    "awards",
    "audit",
    "consultations",
)


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _identity(user: User, candidate: Candidate | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "created_at": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "candidate": None,
    }
    if candidate is not None:
        found["candidate"] = {
            "birth_name": candidate.birth_name,
            "usual_name": candidate.usual_name,
            "first_names": candidate.first_names,
            "birth_date": _when(candidate.birth_date),
            "birth_place": candidate.birth_place,
            "email": candidate.email,
        }
    return found


def _roles(user: User) -> list[dict[str, Any]]:
    rows = [
        {
            "role": grant.get_role_display(),
            "campaign": grant.campaign.title,
            "academy": grant.academy.name if grant.academy else "",
            "organisation": "",
        }
        for grant in CampaignRole.objects.filter(user=user).select_related("campaign", "academy")
    ]
    rows += [
        {
            "role": member.get_role_display(),
            "campaign": "",
            "academy": "",
            "organisation": member.organisation.name,
        }
        for member in OrganisationMember.objects.filter(user=user).select_related("organisation")
    ]
    return rows


def _enrolment(e: Enrolment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "campaign": e.campaign.title,
        "academy": e.academy.name,
        "school_level": e.get_school_level_display(),
        "training": e.get_training_display(),
        "target_level": dict(e.campaign.level_choices).get(e.target_level, e.target_level),
        "mention": e.get_mention_display() if e.mention else "",
        "session": e.session.label if e.session else "",
        "status": e.get_status_display(),
        "status_reason": e.status_reason,
        "trainer_experience_years": e.trainer_experience_years,
        "trainer_experience": e.trainer_experience,
        "trainer_attestation": e.trainer_attestation_name,
        "blocs": e.blocs,
        "enrolled_at": _when(e.created_at),
    }


def _accommodations(e: Enrolment) -> dict[str, Any]:
    return {
        "enrolment_id": e.pk,
        "campaign": e.campaign.title,
        "extra_time_percent": e.extra_time_percent,
        "accessible_formats": e.accessible_formats,
        "other_needs": e.other_needs,
    }


def _sittings(candidate: Candidate) -> list[dict[str, Any]]:
    sittings = Sitting.objects.filter(enrolment__candidate=candidate).select_related(
        "session__session", "enrolment__campaign"
    )
    events: dict[int, list[dict[str, Any]]] = {}
    for event in ProctoringEvent.objects.filter(sitting__in=sittings).order_by("at", "pk"):
        events.setdefault(event.sitting_id, []).append(
            {"kind": event.get_kind_display(), "at": _when(event.at)}
        )
    return [
        {
            "campaign": s.enrolment.campaign.title,
            "session": s.session.session.label,
            "mode": s.session.session.get_mode_display(),
            "status": s.get_status_display(),
            "identity_document": s.get_identity_document_display() if s.identity_document else "",
            "identity_checked_at": _when(s.identity_checked_at),
            "started_at": _when(s.started_at),
            "finished_at": _when(s.finished_at),
            "finish": s.get_finish_display() if s.finish else "",
            "finish_reason": s.finish_reason,
            "outcome": s.outcome,
            "proctoring_events": events.get(s.pk, []),
        }
        for s in sittings.order_by("session__session__starts_at", "pk")
    ]


def _automated(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {"test": r.test, "level": r.level, "obtained_on": _when(r.obtained_on), "parts": r.parts}
        for r in AutomatedResult.objects.filter(candidate=candidate).order_by("obtained_on", "pk")
    ]


def _runs(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.get_kind_display(),
            "status": r.get_status_display(),
            "competence": r.competence,
            "proposed_level": r.get_proposed_level_display() if r.proposed_level else "",
            "started_at": _when(r.started_at),
            "finished_at": _when(r.finished_at),
        }
        for r in Run.objects.filter(candidate=candidate).order_by("started_at", "pk")
    ]


def _dossiers(enrolments: list[Enrolment]) -> list[dict[str, Any]]:
    found = []
    for e in enrolments:
        dossier = getattr(e, "dossier", None)
        if dossier is None:
            continue
        files = DossierFile.objects.filter(dossier=dossier).order_by("uploaded_at", "pk")
        receipt = Receipt.objects.filter(dossier=dossier).first()
        found.append(
            {
                "enrolment_id": e.pk,
                "campaign": e.campaign.title,
                "state": dossier.get_state_display(),
                "frozen_at": _when(dossier.frozen_at),
                "receipt_sha256": receipt.sha256 if receipt else "",
                "files": [
                    {
                        "title": f.title,
                        "name": f.name,
                        "kind": f.get_kind_display(),
                        "content_type": f.content_type,
                        "size": f.size,
                        "sha256": f.sha256,
                        "link_url": f.link_url,
                        "uploaded_at": _when(f.uploaded_at),
                        "superseded_at": _when(f.superseded_at),
                        "withdrawn_at": _when(f.withdrawn_at),
                    }
                    for f in files
                ],
            }
        )
    return found


def _decisions(enrolments: list[Enrolment]) -> list[dict[str, Any]]:
    found = []
    for e in enrolments:
        result = candidate_result(e)
        if result is None:
            continue
        found.append(
            {
                "enrolment_id": e.pk,
                "campaign": e.campaign.title,
                "outcome": result.outcome_label,
                "final_level": result.final_level,
                "reasons": [str(r) for r in result.reasons],
                "levels": [{"part": str(part), "level": str(level)} for part, level in result.levels],
                "strengths": [{"label": m.label, "level": m.level} for m in result.strengths],
                "to_work_on": [{"label": m.label, "level": m.level} for m in result.to_work_on],
            }
        )
    return found


def _awards(candidate: Candidate) -> list[dict[str, Any]]:
    awards = (
        Award.objects.filter(candidate=candidate).select_related("credential").order_by("awarded_on", "pk")
    )
    found = []
    for a in awards:
        credential = getattr(a, "credential", None)
        found.append(
            {
                "title": award_title(a),
                "kind": a.get_kind_display(),
                "level": str((a.snapshot or {}).get("level_label", a.level)),
                "awarded_on": _when(a.awarded_on),
                "valid_until": _when(a.valid_until),
                "verification_code": a.code,
                "public_verification_shows": {
                    "name": a.show_name,
                    "level": a.show_level,
                    "date": a.show_date,
                },
                "revoked_at": _when(a.revoked_at),
                "revocation_reason": a.revocation_reason,
                "credential": None
                if credential is None
                else {"id": f"urn:uuid:{credential.uuid}", "signed_at": _when(credential.issued_at)},
            }
        )
    return found


def _audit(user: User) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(person=user).select_related("actor", "campaign").order_by("at", "pk")
    return [
        {
            "at": _when(row.at),
            "action": action_label(row.action),
            "outcome": row.get_outcome_display(),
            "by": _("vous-même")
            if row.actor_id == user.pk
            else (row.actor.get_full_name() or row.actor.email)
            if row.actor
            else _("Certeval (automatique)"),
            "object": target_label(row.target_type, row.target_id),
            "campaign": row.campaign.title if row.campaign else "",
            "message": row.message,
        }
        for row in rows
    ]


def _consultations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "at": _when(c.at),
            "by": c.staff_name or (c.staff.email if c.staff else ""),
            "page": page_label(c.page),
            "campaign": c.campaign.title if c.campaign else "",
        }
        for c in consultations_of(user).order_by("at", "pk")
    ]


def access_export(user: User) -> dict[str, Any]:
    """Every section of the export of ``user``'s own data (JSON-ready)."""
    candidate = Candidate.objects.filter(user=user).first()
    enrolments = (
        list(
            Enrolment.objects.filter(candidate=candidate)
            .select_related("campaign__framework_version", "academy", "session", "dossier")
            .order_by("created_at", "pk")
        )
        if candidate is not None
        else []
    )
    campaigns = {e.campaign_id: e.campaign for e in enrolments}
    first: Campaign | None = next(iter(campaigns.values()), None)
    data: dict[str, Any] = {
        "generated_at": _when(timezone.now()),
        "controller": controller(first if first is not None and first.organisation_id else None),
        "identity": _identity(user, candidate),
        "roles": _roles(user),
        "enrolments": [_enrolment(e) for e in enrolments],
        "accommodations": [_accommodations(e) for e in enrolments],
        "test_sittings": _sittings(candidate) if candidate else [],
        "automated_results": _automated(candidate) if candidate else [],
        "test_runs": _runs(candidate) if candidate else [],
        "dossiers": _dossiers(enrolments),
        "decisions": _decisions(enrolments),
        "awards": _awards(candidate) if candidate else [],
        "audit": _audit(user),
        "consultations": _consultations(user),
    }
    return data
