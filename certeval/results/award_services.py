"""Writes of awards: issue (after publication, after a placement run), revoke, disclosure choices.

Issuing is idempotent: an award exists at most once per (validated deliberation, kind, bloc) and
once per placement run, so running it again (publication hook, demo backfill, ``certeval awards
issue``, a decision validated after publication) only adds what is missing. What an award says is
frozen at issue in ``snapshot``, in French.

Validity (docs/results.md, « Awards, attestations and public verification »):

- certification: from the day the deliberation was validated, with no end unless the référentiel
  gives ``rules.final.validity_years`` (none of the shipped ones does);
- bloc: one per bloc of the person's bloc record (``campaigns.HeldBloc``: this deliberation's
  blocs and those of earlier sessions without a certificate yet), from the day it was validated
  (else the jury's ``verdicts.blocks[id].on``, else the deliberation's day), for
  ``rules.final.block_validity_years`` years (null: no end);
- placement level: from the day the run finished, for ``rules.automated.validity_years`` years of the
  run's campaign référentiel (3 for Pix+ Édu and INSPÉ, seed 004 §6.3.1).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, Enrolment, HeldBloc
from certeval.domain.awards import new_code, valid_until
from certeval.domain.rules.final import BlockStatus
from certeval.frameworks.labels import readable
from certeval.frameworks.selectors import framework_of
from certeval.juries.models import Deliberation, OralSlot
from certeval.juries.selectors import deliberation_verdicts, validated_deliberation
from certeval.results.award_selectors import verification_settings
from certeval.results.models import Award
from certeval.results.models.awards import STATUS_LIST_SIZE
from certeval.results.permissions import can_revoke_award
from certeval.results.selectors import candidate_result
from certeval.testing.models import Run
from certeval.testing.run_selectors import competence_titles, level_label

_ATTEMPTS = 8


class AwardError(Exception):
    """A refused award change; the message is in French, for the page."""


@dataclass(frozen=True)
class _Draft:
    kind: str
    candidate_id: int
    framework_version_id: int
    awarded_on: date
    valid_from: date
    valid_until: date | None
    snapshot: dict[str, Any]
    level: str = ""
    bloc_code: str = ""
    enrolment: Enrolment | None = None
    campaign: Campaign | None = None
    deliberation: Deliberation | None = None
    run: Run | None = None


# --- codes and status-list positions ---------------------------------------------------------------


def _free_status_index() -> int:
    """A random unused position in the status list: positions say nothing about issue order, so a
    verifier reading the list cannot tell which awards were issued together (docs/results.md)."""
    for _attempt in range(64):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if not Award.objects.filter(status_index=index).exists():
            return index
    used = set(Award.objects.values_list("status_index", flat=True))
    free = [i for i in range(STATUS_LIST_SIZE) if i not in used]
    if not free:
        raise AwardError(_("La liste de statut des attestations est pleine."))
    return secrets.choice(free)


def _create(draft: _Draft, by: User | None) -> Award:
    """Create the award with a fresh code and status position; a collision (two issuers drawing the
    same code or position at once) is retried, a duplicate of the same source returns the existing."""
    defaults = verification_settings()
    for _attempt in range(_ATTEMPTS):
        existing = _existing(draft)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    kind=draft.kind,
                    candidate_id=draft.candidate_id,
                    enrolment=draft.enrolment,
                    campaign=draft.campaign,
                    framework_version_id=draft.framework_version_id,
                    bloc_code=draft.bloc_code,
                    level=draft.level,
                    snapshot=draft.snapshot,
                    source_deliberation=draft.deliberation,
                    source_run=draft.run,
                    awarded_on=draft.awarded_on,
                    valid_from=draft.valid_from,
                    valid_until=draft.valid_until,
                    code=new_code(),
                    status_index=_free_status_index(),
                    show_name=bool(defaults["show_name"]),
                    show_level=bool(defaults["show_level"]),
                    show_date=bool(defaults["show_date"]),
                )
                audit_record(
                    actor=by,
                    action="results.award_issue",
                    target=award,
                    data={
                        "kind": award.kind,
                        "bloc": award.bloc_code,
                        "level": award.level,
                        "deliberation": draft.deliberation.pk if draft.deliberation else None,
                        "run": draft.run.pk if draft.run else None,
                    },
                    campaign=draft.campaign,
                    person=award.candidate.user,
                )
                return award
        except IntegrityError:
            continue
    raise AwardError(_("L'attestation n'a pas pu être délivrée : réessayez."))


def _existing(draft: _Draft) -> Award | None:
    if draft.run is not None:
        return Award.objects.filter(source_run=draft.run).first()
    return Award.objects.filter(
        source_deliberation=draft.deliberation, kind=draft.kind, bloc_code=draft.bloc_code
    ).first()


# --- certification and blocs -------------------------------------------------------------------------


def _final_rules(document: dict[str, Any]) -> dict[str, Any]:
    return dict((document.get("rules") or {}).get("final") or {})


def _years(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _drafts_for_enrolment(enrolment: Enrolment) -> list[_Draft]:
    slot = OralSlot.objects.filter(enrolment=enrolment).first()
    deliberation = None if slot is None else validated_deliberation(slot)
    if deliberation is None or deliberation.validated_at is None:
        return []
    version = enrolment.campaign.framework_version
    framework, _rules = framework_of(version)
    final = _final_rules(version.document)
    decided_on = timezone.localdate(deliberation.validated_at)
    base: dict[str, Any] = {
        "candidate_id": enrolment.candidate_id,
        "framework_version_id": version.pk,
        "awarded_on": decided_on,
        "enrolment": enrolment,
        "campaign": enrolment.campaign,
        "deliberation": deliberation,
    }
    certification = version.title
    drafts: list[_Draft] = []
    if deliberation.outcome == Deliberation.Outcome.CERTIFIED:
        result = candidate_result(enrolment)
        labels = {level.id: level.label for level in framework.levels}
        drafts.append(
            _Draft(
                kind=Award.Kind.CERTIFICATION,
                level=deliberation.final_level,
                valid_from=decided_on,
                valid_until=valid_until(decided_on, _years(final.get("validity_years"))),
                snapshot={
                    "certification": certification,
                    "framework": version.framework_id,
                    "framework_version": version.label,
                    "level_label": labels.get(deliberation.final_level, ""),
                    "acquired": [] if result is None else [[m.label, m.level] for m in result.strengths],
                    "to_work_on": [] if result is None else [[m.label, m.level] for m in result.to_work_on],
                    "reasons": [] if result is None else [readable(r) for r in result.reasons],
                },
                **base,
            )
        )
    verdicts = deliberation_verdicts(deliberation)
    # A bloc capitalised in an earlier session and recorded again here keeps its first award.
    held = set(
        Award.objects.filter(
            candidate_id=enrolment.candidate_id,
            kind=Award.Kind.BLOC,
            framework_version__framework_id=version.framework_id,
            revoked_at__isnull=True,
        )
        .exclude(source_deliberation=deliberation)
        .values_list("bloc_code", flat=True)
    )
    # The person's bloc record (certeval.campaigns.titre_services): every bloc they hold, with the
    # day and session that validated it — this deliberation's and those of earlier sessions whose
    # certificate was not issued yet.
    record = {
        h.bloc: h
        for h in HeldBloc.objects.filter(
            candidate_id=enrolment.candidate_id, framework_code=version.framework_id
        ).select_related("session", "campaign")
    }
    block_years = _years(final.get("block_validity_years"))
    for domain in framework.domains:
        if domain.kind != "bloc" or domain.id in held:
            continue
        status = verdicts.blocks.get(domain.id)
        recorded = record.get(domain.id)
        if recorded is not None:
            status = BlockStatus(True, recorded.validated_on)
        if status is None or not status.validated:
            continue
        where = ""
        if recorded is not None:
            where = " " + _("(session « %(session)s », campagne « %(campaign)s »)") % {
                "session": recorded.session.label if recorded.session else "—",
                "campaign": recorded.campaign.title,
            }
        since = status.on or decided_on
        drafts.append(
            _Draft(
                kind=Award.Kind.BLOC,
                bloc_code=domain.id,
                valid_from=since,
                valid_until=valid_until(since, block_years),
                snapshot={
                    "certification": certification,
                    "framework": version.framework_id,
                    "framework_version": version.label,
                    "bloc": domain.id,
                    "bloc_label": _("Bloc %(id)s — %(title)s") % {"id": domain.id, "title": domain.title},
                    "level_label": "",
                    "acquired": [[f"{c.id} — {c.title}", _("Validée")] for c in domain.competences],
                    "to_work_on": [],
                    "reasons": [
                        _("Bloc validé par le jury le %(on)s.") % {"on": since.strftime("%d/%m/%Y")} + where
                    ],
                },
                **base,
            )
        )
    return drafts


def awards_issue_for_enrolments(enrolments: Iterable[Enrolment], by: User | None) -> list[Award]:
    """Awards of the enrolments whose campaign's results are published: a certification award when
    the latest validated deliberation certifies, a bloc award per bloc it records validated. Idempotent;
    returns the awards of these enrolments (new and existing). Issued by the publication itself
    (whoever published), the demo and the CLI: no permission of its own."""
    awards: list[Award] = []
    with translation.override("fr"), transaction.atomic():
        for enrolment in enrolments:
            for draft in _drafts_for_enrolment(enrolment):
                awards.append(_create(draft, by))
    return awards


def awards_issue_for_campaign(campaign: Campaign, by: User | None) -> list[Award]:
    enrolments = Enrolment.objects.filter(campaign=campaign).select_related(
        "campaign__framework_version", "candidate"
    )
    return awards_issue_for_enrolments(enrolments, by)


# --- placement runs ---------------------------------------------------------------------------------


def award_issue_for_placement(run: Run, by: User | None) -> Award | None:
    """The attestation of a finished placement run's level (« attestation de son niveau de maîtrise
    du CRCN-Édu », seed 004 §3); None when the run is not finished with a level or has no campaign
    (its référentiel). Idempotent."""
    if (
        run.kind != Run.Kind.PLACEMENT
        or run.status != Run.Status.FINISHED
        or not run.proposed_level
        or run.campaign is None
        or run.finished_at is None
    ):
        return None
    campaign = run.campaign
    version = campaign.framework_version
    automated = (version.document.get("rules") or {}).get("automated") or {}
    finished_on = timezone.localdate(run.finished_at)
    rows = list((run.outcome or {}).get("competences") or [])
    parts = sorted({str(row.get("part", "")) for row in rows})
    with translation.override("fr"):
        titles = competence_titles(campaign, parts)

        def label(row: dict[str, Any]) -> str:
            part, competence = str(row.get("part", "")), str(row.get("competence", ""))
            title = titles.get(part, {}).get(competence, "")
            prefix = "CRCN-Édu" if part == "crcn-edu" else part.upper()
            return f"{prefix} {competence} — {title}" if title else f"{prefix} {competence}"

        draft = _Draft(
            kind=Award.Kind.PLACEMENT,
            candidate_id=run.candidate_id,
            framework_version_id=version.pk,
            awarded_on=finished_on,
            valid_from=finished_on,
            valid_until=valid_until(finished_on, _years(automated.get("validity_years"))),
            level=run.proposed_level,
            snapshot={
                "certification": _("Parcours bilan : niveau de maîtrise du CRCN-Édu — %(title)s")
                % {"title": version.title},
                "framework": version.framework_id,
                "framework_version": version.label,
                "level_label": level_label(campaign, run.proposed_level),
                "acquired": [
                    [label(r), level_label(campaign, str(r.get("level", "")))]
                    for r in rows
                    if r.get("acquired")
                ],
                "to_work_on": [
                    [label(r), level_label(campaign, str(r.get("level", "")))]
                    for r in rows
                    if not r.get("acquired")
                ],
                "reasons": [readable(str(r)) for r in (run.outcome or {}).get("reasons") or []],
            },
            enrolment=run.enrolment,
            campaign=campaign,
            run=run,
        )
        with transaction.atomic():
            return _create(draft, by)


# --- revocation and disclosure ----------------------------------------------------------------------


def award_revoke(award: Award, by: User, reason: str) -> Award:
    """Revoke after a review or a fraud decision; the reason is required and kept. Administrators and
    organisers of the whole campaign only (``can_revoke_award``)."""
    reason = (reason or "").strip()
    if not can_revoke_award(by, award):
        with transaction.atomic():
            audit_record(
                actor=by,
                action="results.award_revoke",
                target=award,
                refused=True,
                campaign=award.campaign,
                person=None,
            )
        raise AwardError(
            _(
                "La révocation est réservée aux administrateurs et aux organisateurs de toute la "
                "campagne (sans restriction d'académie)."
            )
        )
    with transaction.atomic():
        locked = (
            Award.objects.select_for_update(of=("self",))
            .select_related("campaign", "candidate__user")
            .get(pk=award.pk)
        )
        if not reason:
            raise AwardError(_("Indiquez le motif de la révocation."))
        if len(reason) > 2000:
            raise AwardError(_("Le motif ne doit pas dépasser 2 000 caractères."))
        if locked.revoked_at is not None:
            raise AwardError(_("Cette attestation est déjà révoquée."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit_record(
            actor=by,
            action="results.award_revoke",
            target=locked,
            data={"reason": reason, "kind": locked.kind, "bloc": locked.bloc_code},
            campaign=locked.campaign,
            person=locked.candidate.user,
        )
    return locked


def award_disclosure_update(
    award: Award, by: User, *, show_name: bool, show_level: bool, show_date: bool
) -> Award:
    """The holder's choice of what the public verification page shows of their award."""
    with transaction.atomic():
        locked = Award.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=award.pk)
        if not by.is_authenticated or locked.candidate.user_id != by.pk:
            raise AwardError(_("Seul le titulaire de l'attestation choisit ce qui en est affiché."))
        locked.show_name, locked.show_level, locked.show_date = show_name, show_level, show_date
        locked.save(update_fields=["show_name", "show_level", "show_date"])
        audit_record(
            actor=by,
            action="results.award_disclosure",
            target=locked,
            data={"show_name": show_name, "show_level": show_level, "show_date": show_date},
            campaign=locked.campaign,
            person=by,
        )
    return locked
