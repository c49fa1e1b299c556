"""Writes of the holders' declaration to the Caisse des Dépôts: each checks the actor, runs in one
transaction and records its audit row (docs/results.md, « Caisse des Dépôts holders' declaration »).

- ``cdc_export``: the flux of the holders not yet accepted, validated against the XSD, kept as sent;
- ``cdc_submission_read``: a download of a flux kept;
- ``cdc_acknowledgement_import``: the CDC's acknowledgement read back, row by row;
- ``cdc_holder_correct``: the organiser corrects a holder (identity through the campaigns context,
  the holder data the flux needs here); the passage keeps its technical id;
- ``cdc_settings_update``: administrators set how a référentiel is declared;
- ``cdc_reminders_due``: the reminder before the deadline, e-mailed once to the organisers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.links import site_url
from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns.corrections import enrolment_update
from certeval.campaigns.models import Campaign, CampaignRole, Enrolment
from certeval.campaigns.services import CampaignError
from certeval.domain import cdc
from certeval.results import cdc_selectors as selectors
from certeval.results import permissions
from certeval.results.models import (
    CdcAcknowledgement,
    CdcHolderData,
    CdcPassage,
    CdcReminder,
    CdcSettings,
    CdcSubmission,
)
from certeval.results.selectors import RESULT_STATES

ACK_MAX_BYTES = 5 * 1024 * 1024


class CdcRefused(Exception):
    """The action is refused; ``reasons`` says why, in French."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def export_blockers(campaign: Campaign) -> list[str]:
    """Why the campaign's flux cannot be produced now (empty: it can)."""
    if campaign.state not in RESULT_STATES:
        return [_("Les résultats de la campagne ne sont pas publiés : aucun titulaire à déclarer.")]
    config = selectors.declaration_config(campaign)
    if not config.declares:
        return [
            _("La certification « %(title)s » ne se déclare pas à la Caisse des Dépôts.")
            % {"title": config.framework_title}
        ]
    reasons = list(config.problems)
    try:
        cdc.load_schema(config.xsd_path)
    except cdc.SchemaError:
        reasons.append(
            _("Schéma XSD de la Caisse des Dépôts introuvable ou illisible (réglage xsd_path : %(path)s).")
            % {"path": config.xsd_path or "—"}
        )
    rows = [r for r in selectors.holder_rows(campaign) if r.to_send]
    if not rows:
        reasons.append(_("Aucun titulaire à déclarer : tous sont acceptés par la Caisse des Dépôts."))
    for row in rows:
        reasons += [f"{row.enrolment.candidate.display_name} : {problem}" for problem in row.problems]
    return reasons


@transaction.atomic
def cdc_export(*, campaign: Campaign, by: User | None, now: Any = None) -> CdcSubmission:
    """Produce the flux of every holder not yet accepted (new, sent or rejected ones: the same
    technical id each time), validated against the XSD, and keep it. ``by`` None: the command line."""
    if by is not None and not permissions.can_declare_cdc(by, campaign):
        raise CdcRefused([_("La déclaration est réservée aux organisateurs de toute la campagne.")])
    campaign = Campaign.objects.select_for_update().select_related("framework_version").get(pk=campaign.pk)
    reasons = export_blockers(campaign)
    if reasons:
        raise CdcRefused(reasons)
    config = selectors.declaration_config(campaign)
    schema = cdc.load_schema(config.xsd_path)
    rows = [r for r in selectors.holder_rows(campaign) if r.to_send]
    passages = []
    for row in rows:
        passage, _created = CdcPassage.objects.get_or_create(
            enrolment=row.enrolment, bloc_code=selectors.WHOLE
        )
        passages.append(passage)
    holders = tuple(
        replace(row.holder, technical_id=str(passage.technical_id))
        for row, passage in zip(rows, passages, strict=True)
    )
    number = CdcSubmission.objects.filter(campaign=campaign).count() + 1
    produced_at = timezone.localtime(now or timezone.now())
    flux = cdc.Flux(
        flux_id=f"certeval-{campaign.pk}-{number}",
        produced_at=produced_at,
        declarant=config.declarant,
        certifications=(
            cdc.Certification(
                type=config.type,
                code=config.code,
                holders=holders,
                validity_years=config.validity_years,
                label=config.framework_title,
            ),
        ),
    )
    try:
        content = cdc.encode_flux(schema, flux)
    except (ValueError, cdc.SchemaError) as error:
        raise CdcRefused(
            [_("Le flux ne respecte pas le schéma de la Caisse des Dépôts : %s") % error]
        ) from error
    submission = CdcSubmission.objects.create(
        campaign=campaign,
        flux_id=flux.flux_id,
        file_name=f"cdc-{campaign.slug[:80]}-{number}.xml",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        schema_version=str(getattr(schema, "version", "") or ""),
        produced_by=by,
    )
    submission.passages.set(passages)
    CdcPassage.objects.filter(pk__in=[p.pk for p in passages]).update(
        status=CdcPassage.Status.SENT, reason="", last_submission=submission
    )
    audit_record(
        actor=by,
        action="cdc.export",
        target=submission,
        data={"count": len(passages), "sha256": submission.sha256, "file": submission.file_name},
    )
    return submission


@transaction.atomic
def cdc_submission_read(*, submission: CdcSubmission, by: User | None) -> bytes:
    """The flux as it was produced; every download is audited."""
    if by is not None and not permissions.can_declare_cdc(by, submission.campaign):
        raise CdcRefused([_("La déclaration est réservée aux organisateurs de toute la campagne.")])
    audit_record(actor=by, action="cdc.download", target=submission, data={"file": submission.file_name})
    return bytes(submission.content)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class AckResult:
    accepted: int
    rejected: int


@transaction.atomic
def cdc_acknowledgement_import(
    *, campaign: Campaign, by: User | None, file_name: str, content: bytes
) -> AckResult:
    """Read the CDC's acknowledgement (the documented CSV): every row names a passage sent for this
    campaign; any line in error refuses the whole file (nothing is half-imported)."""
    if by is not None and not permissions.can_declare_cdc(by, campaign):
        raise CdcRefused([_("La déclaration est réservée aux organisateurs de toute la campagne.")])
    if len(content) > ACK_MAX_BYTES:
        raise CdcRefused([_("Fichier trop volumineux (5 Mo au plus).")])
    reading = cdc.parse_acknowledgement(_decode(content))
    errors = list(reading.errors)
    ids = [row.technical_id for row in reading.rows]
    known = {
        str(p.technical_id): p
        for p in CdcPassage.objects.select_for_update().filter(enrolment__campaign=campaign)
        if str(p.technical_id) in ids
    }
    for row in reading.rows:
        passage = known.get(row.technical_id)
        if passage is None:
            errors.append(
                _("Ligne %(line)s : le passage %(id)s n'appartient pas à cette campagne.")
                % {"line": row.line, "id": row.technical_id}
            )
        elif passage.status == CdcPassage.Status.PENDING:
            errors.append(
                _("Ligne %(line)s : le passage %(id)s n'a jamais été envoyé.")
                % {"line": row.line, "id": row.technical_id}
            )
    if errors:
        raise CdcRefused(errors)
    digest = hashlib.sha256(content).hexdigest()
    accepted = rejected = 0
    for row in reading.rows:
        passage = known[row.technical_id]
        CdcAcknowledgement.objects.create(
            passage=passage,
            submission=passage.last_submission,
            status=row.status,
            reason=row.reason,
            file_name=file_name[:200],
            file_sha256=digest,
            line=row.line,
            imported_by=by,
        )
        if row.status == cdc.ACCEPTED:
            passage.status, passage.reason = CdcPassage.Status.ACCEPTED, ""
            accepted += 1
        else:
            passage.status = CdcPassage.Status.REJECTED
            passage.reason = row.reason or _("Rejet sans motif indiqué.")
            rejected += 1
        passage.save(update_fields=["status", "reason"])
    audit_record(
        actor=by,
        action="cdc.acknowledgement",
        target=campaign,
        data={"file": file_name[:200], "sha256": digest, "count": accepted + rejected, "rejected": rejected},
    )
    return AckResult(accepted, rejected)


IDENTITY = ("birth_name", "usual_name", "first_names", "birth_date")


@transaction.atomic
def cdc_holder_correct(
    *, enrolment: Enrolment, by: User, identity: dict[str, Any], sex: str, birth_insee_code: str
) -> None:
    """Correct what the flux sends of a holder; the next export re-sends the same passage.

    The identity (names, birth date) is the candidate's, corrected through the campaigns context
    (its permission and audit); the sex and INSEE code are kept in ``CdcHolderData``."""
    if not permissions.cdc_holders_managed(by).filter(pk=enrolment.pk).exists():
        raise CdcRefused([_("Vous ne gérez pas ce candidat.")])
    if set(identity) - set(IDENTITY):
        raise ValueError("Unknown identity field.")
    if sex not in ("", *cdc.SEXES):
        raise CdcRefused([_("Sexe inconnu.")])
    code = birth_insee_code.strip().upper()
    if code and not cdc.INSEE_PATTERN.match(code):
        raise CdcRefused([_("Code INSEE invalide : 5 caractères, par exemple 69123, 2A004 ou 99134.")])
    identity_changed = sorted(k for k, v in identity.items() if getattr(enrolment.candidate, k) != v)
    if identity_changed:
        try:
            enrolment_update(enrolment=enrolment, by=by, identity=identity, changes={})
        except CampaignError as error:
            raise CdcRefused([str(error)]) from error
    data, _created = CdcHolderData.objects.select_for_update().get_or_create(candidate=enrolment.candidate)
    changed = sorted(
        name for name, value in (("sex", sex), ("birth_insee_code", code)) if getattr(data, name) != value
    )
    data.sex, data.birth_insee_code, data.updated_by = sex, code, by
    data.save()
    CdcPassage.objects.filter(enrolment=enrolment).update(corrected_at=timezone.now())
    # The values stay out of the log: only which fields were corrected.
    audit_record(
        actor=by,
        action="cdc.correction",
        target=enrolment,
        data={"fields": sorted(changed + identity_changed)},
    )


SETTINGS_FIELDS = ("declares", "certification_type", "code", "certifier_id", "contract_id")


@transaction.atomic
def cdc_settings_update(*, framework_id: str, by: User, values: dict[str, Any]) -> CdcSettings:
    """Administrators set how a référentiel is declared (values left empty: ``CERTEVAL_CDC``)."""
    if not is_administrator(by):
        raise CdcRefused([_("Réservé aux administrateurs.")])
    if set(values) - set(SETTINGS_FIELDS):
        raise ValueError("Unknown CDC settings field.")
    row, _created = CdcSettings.objects.select_for_update().get_or_create(framework_id=framework_id)
    before = {name: getattr(row, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.updated_by = by
    row.full_clean()
    row.save()
    audit_record(
        actor=by,
        action="cdc.settings",
        target=row,
        data={"changes": {n: [before[n], getattr(row, n)] for n in values if before[n] != getattr(row, n)}},
        campaign=None,
        person=None,
    )
    return row


def _organisers(campaign: Campaign) -> list[str]:
    return sorted(
        set(
            CampaignRole.objects.filter(
                campaign=campaign, role=Role.ORGANISER, academy__isnull=True
            ).values_list("user__email", flat=True)
        )
    )


def reminder_email(reminder_id: int) -> EmailMessage:
    reminder = CdcReminder.objects.select_related("campaign").get(pk=reminder_id)
    campaign = reminder.campaign
    url = site_url(reverse("cdc:campaign", args=[campaign.pk]))
    subject = _("Déclaration à la Caisse des Dépôts avant le %(date)s — %(title)s") % {
        "date": reminder.deadline.strftime("%d/%m/%Y"),
        "title": campaign.title,
    }
    body = _(
        "Bonjour,\n\nDes titulaires de la campagne « %(title)s » ne sont pas encore déclarés à la "
        "Caisse des Dépôts (ou leur déclaration a été rejetée). La déclaration est due au plus tard "
        "le %(date)s, trois mois après l'obtention.\n\nProduisez et déposez le flux depuis la page "
        "de déclaration : %(url)s\n\nCertEval"
    ) % {"title": campaign.title, "date": reminder.deadline.strftime("%d/%m/%Y"), "url": url}
    return EmailMessage(subject=subject, body=body, to=_organisers(campaign))


@task()
def send_cdc_reminder(reminder_id: int) -> None:
    message = reminder_email(reminder_id)
    if message.to:
        message.send()


def cdc_reminders_due(*, today: date | None = None) -> int:
    """Remind the organisers of every published campaign whose nearest declaration deadline falls
    within ``reminder_days`` (or has passed) while holders are still to declare — once per campaign
    and deadline (``CdcReminder``), so running it daily sends each reminder once."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(state__in=RESULT_STATES).select_related("framework_version"):
        if not selectors.declaration_config(campaign).declares:
            continue
        notice = selectors.deadline_notice(campaign, selectors.holder_rows(campaign), today)
        if notice is None or not notice.due:
            continue
        with transaction.atomic():
            reminder, created = CdcReminder.objects.get_or_create(
                campaign=campaign,
                deadline=notice.deadline,
                defaults={"sent_at": timezone.now(), "recipients": len(_organisers(campaign))},
            )
            if not created:
                continue
            audit_record(
                actor=None,
                action="cdc.reminder",
                target=campaign,
                data={"count": notice.holders, "deadline": notice.deadline.isoformat()},
            )
            transaction.on_commit(partial(send_cdc_reminder.enqueue, reminder.pk))
        sent += 1
    return sent
