"""Oral rehearsals (seed 004, §5.2: « entraînement à l'oral »): slots opened by the organisers, or by
jurors who volunteer, each for one candidate, and the rehearser's written feedback afterwards.

A rehearsal never counts for the decision: nothing here is read by the scoring, the deliberation or
the results. Imported by ``certeval.juries.models``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REHEARSAL_FEEDBACK_MAX_LENGTH = 5000


class RehearsalSlot(models.Model):
    """One rehearsal slot, for one candidate (capacity 1)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="rehearsal_slots"
    )
    rehearser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rehearsal_slots",
        verbose_name=_("répétiteur"),
    )
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=30, validators=[MinValueValidator(10), MaxValueValidator(120)]
    )
    visio_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("ouvert le"), default=timezone.now)

    class Meta:
        verbose_name = _("créneau de répétition de l'oral")
        verbose_name_plural = _("créneaux de répétition de l'oral")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visio_link="") | ~models.Q(place=""), name="rehearsal_slot_where"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def where(self) -> str:
        return self.visio_link or self.place


class RehearsalBooking(models.Model):
    """A candidate's booking of a slot, and the rehearser's feedback once it has taken place."""

    slot = models.OneToOneField(RehearsalSlot, on_delete=models.PROTECT, related_name="booking")
    enrolment = models.ForeignKey("campaigns.Enrolment", on_delete=models.PROTECT, related_name="rehearsals")
    booked_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    feedback = models.TextField(
        _("retour du répétiteur"), max_length=REHEARSAL_FEEDBACK_MAX_LENGTH, blank=True
    )
    feedback_at = models.DateTimeField(_("retour écrit le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réservation d'une répétition")
        verbose_name_plural = _("réservations de répétitions")
        ordering = ("slot__starts_at", "pk")

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.slot}"
