"""A person's request to exercise a right (docs/privacy.md, « Rectification and erasure »): erasure or
rectification, tracked from receipt to its answer with the legal deadline (RGPD art. 12(3): one
month, extendable by two months with a stated reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ERASURE = "erasure", _("Effacement")
    RECTIFICATION = "rectification", _("Rectification")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En cours d'examen")
    EXTENDED = "extended", _("Délai prolongé")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.EXTENDED)


class RectifiableField(models.TextChoices):
    """The identity fields a person may ask to correct (those the Caisse des Dépôts declaration sends)."""

    BIRTH_NAME = "birth_name", _("Nom de naissance")
    USUAL_NAME = "usual_name", _("Nom d'usage")
    FIRST_NAMES = "first_names", _("Prénoms")
    BIRTH_DATE = "birth_date", _("Date de naissance")
    BIRTH_PLACE = "birth_place", _("Lieu de naissance")
    EMAIL = "email", _("Adresse électronique")


class PersonRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandeur"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        "campaigns.Candidate",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("nature"), max_length=14, choices=RequestKind.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    received_at = models.DateTimeField(_("reçue le"))
    deadline = models.DateField(_("date limite de réponse"))
    extension_reason = models.TextField(_("motif de la prolongation"), blank=True)
    # Rectification only.
    field = models.CharField(_("donnée"), max_length=12, choices=RectifiableField.choices, blank=True)
    current_value = models.CharField(_("valeur actuelle"), max_length=200, blank=True)
    requested_value = models.CharField(_("valeur demandée"), max_length=200, blank=True)
    reason = models.TextField(_("motif de la demande"), blank=True)
    proof_name = models.CharField(_("justificatif (nom du fichier)"), max_length=160, blank=True)
    proof_storage = models.CharField(
        _("justificatif (emplacement)"), max_length=400, blank=True, editable=False
    )
    proof_sha256 = models.CharField(_("justificatif (empreinte SHA-256)"), max_length=64, blank=True)
    # The answer.
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("répondue par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("réponse"), blank=True)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demande d'exercice d'un droit")
        verbose_name_plural = _("demandes d'exercice d'un droit")
        ordering = ("deadline", "pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(answer=""),
                name="privacy_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="extended") | ~models.Q(extension_reason=""),
                name="privacy_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="rectification") | ~models.Q(field=""),
                name="privacy_rectification_has_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} n° {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
