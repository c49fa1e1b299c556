"""The audit log: one insert-only row per business action, allowed or refused."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogImmutableError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutableError("Audit rows are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("Audit rows are never deleted.")


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", _("effectué")
        REFUSED = "refused", _("refusé")

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    target_type = models.CharField(_("type d'objet"), max_length=80)
    target_id = models.CharField(_("identifiant de l'objet"), max_length=80)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("données"), default=dict, blank=True)
    # Who and what the action is about, derived from the target by ``audit_record``: the campaign,
    # and the person concerned (the candidate or juror), for a campaign's log and RGPD access requests.
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne concernée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")
        ordering = ("-at", "-pk")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["campaign", "at"], name="audit_campaign_at_idx"),
            models.Index(fields=["person", "at"], name="audit_person_at_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_type}#{self.target_id} ({self.outcome})"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutableError("Audit rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("Audit rows are never deleted.")


from certeval.audit.consult_models import Consultation  # noqa: E402  (the consultation log)

__all__ = ["AuditEvent", "AuditEventQuerySet", "AuditLogImmutableError", "Consultation"]
