"""Writes around the invigilator console (docs/testing.md, « Invigilator console »): opening a session's
console with its number and invigilator password (on a room computer, without an account), and the
campaign's delivery settings an organiser changes.

The password is compared in constant time; every opening — and every refused password for a session
that exists — is in the audit log with the name typed. Throttling repeated wrong passwords is the
page's business (per computer, in the cache), so that this function stays a plain check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.permissions import campaigns_run
from certeval.testing import sitting_services as candidate_side
from certeval.testing.errors import TestingError
from certeval.testing.models import CampaignDelivery, SessionDelivery, Sitting

NAME_MAX = 120


def console_open(*, number: int | None, code: str, name: str, actor: User | None) -> SessionDelivery:
    """The session whose number and invigilator password were typed. One message for every mismatch
    (nothing tells whether the number or the password was wrong)."""
    name = " ".join((name or "").split())[:NAME_MAX]
    if not name:
        raise TestingError(_("Indiquez votre nom : il accompagne chacune de vos actions dans le journal."))
    refused = TestingError(_("Numéro de session ou mot de passe surveillant incorrect."))
    if number is None:
        raise refused
    with transaction.atomic():
        delivery = SessionDelivery.objects.select_related("session__campaign").filter(pk=number).first()
        if delivery is None:
            raise refused
        given = candidate_side.normalise_code(code)
        expected = candidate_side.normalise_code(delivery.invigilator_code)
        ok = bool(given) and constant_time_compare(given, expected)
        audit_record(
            actor=actor,
            action="testing.console_open",
            target=delivery,
            data={"by": name},
            refused=not ok,
            campaign=delivery.session.campaign,
        )
    if not ok:
        raise refused
    return delivery


@dataclass(frozen=True)
class DeliverySettings:
    form: str
    min_answered: int
    abandonment: str
    retention_days: int
    max_questions: int | None = None


# Settings that change how a test is drawn or scored: fixed once a test of the campaign has started,
# so that two candidates of one campaign are never scored by different rules.
SCORING_FIELDS = ("form", "min_answered", "abandonment", "max_questions")


def delivery_settings_update(*, campaign_id: int, values: DeliverySettings, actor: User) -> CampaignDelivery:
    """Change a campaign's delivery settings (organisers who run the campaign). The form, the minimum
    of answers, the abandonment rule and the cap on questions no longer change once a test of the campaign has started;
    the retention of proctoring events may change at any time."""
    if not campaigns_run(actor).filter(pk=campaign_id).exists():
        raise TestingError(_("Campagne introuvable."))
    with transaction.atomic():
        current = candidate_side.campaign_delivery(campaign_id)
        delivery = CampaignDelivery.objects.select_for_update().select_related("campaign").get(pk=current.pk)
        before = {f: getattr(delivery, f) for f in (*SCORING_FIELDS, "retention_days")}
        after = {
            "form": values.form,
            "min_answered": values.min_answered,
            "abandonment": values.abandonment,
            "retention_days": values.retention_days,
            "max_questions": values.max_questions,
        }
        changed = [f for f in after if after[f] != before[f]]
        if not changed:
            return delivery
        started = Sitting.objects.filter(
            session__session__campaign_id=campaign_id, started_at__isnull=False
        ).exists()
        if started and any(f in SCORING_FIELDS for f in changed):
            raise TestingError(
                _(
                    "Des épreuves de cette campagne ont commencé : la forme, le minimum de réponses, la "
                    "règle d'abandon et le nombre maximum de questions ne peuvent plus changer (seule la "
                    "durée de conservation le peut)."
                )
            )
        for field in changed:
            setattr(delivery, field, after[field])
        delivery.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="testing.delivery_settings",
            target=delivery,
            data={f: after[f] for f in changed},
            campaign=delivery.campaign,
        )
    return delivery
