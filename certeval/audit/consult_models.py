"""The consultation log (RGPD): who among the staff opened a candidate's file, when, and on which
page. One row per staff person × person concerned × page × time window
(``CERTEVAL_CONSULTATION_WINDOW_MINUTES``), written by ``certeval.audit.consult_services``; the person
reads it in their access export (docs/privacy.md, « Consultation log »)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consultation(models.Model):
    # The account that opened the page; None for an invigilator who opened the console with the
    # session's password, known by the name they typed (``staff_name``).
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consulté par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff_name = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    # "user:<id>" or "name:<typed name>": the de-duplication key of the reader.
    staff_key = models.CharField(_("clé de la personne"), max_length=220)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne concernée"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    page = models.CharField(_("page"), max_length=40)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The enrolment (or other object) the page showed, as the audit log names targets.
    target_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    target_id = models.CharField(_("identifiant de l'objet"), max_length=80, blank=True)
    # The start of the time window the first opening fell in: the unique key de-duplicates.
    window_start = models.DateTimeField(_("début de la fenêtre"))
    at = models.DateTimeField(_("date"), db_index=True)

    class Meta:
        verbose_name = _("consultation d'un dossier")
        verbose_name_plural = _("consultations de dossiers")
        ordering = ("-at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["staff_key", "person", "page", "window_start"], name="consultation_once_per_window"
            )
        ]
        indexes = [models.Index(fields=["person", "at"], name="consultation_person_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff_key} → {self.person_id} ({self.page})"
