"""What a candidate holds once a decision or a placement run is final: an :class:`Award`.

An award is issued for a certification decided by a validated deliberation, for each bloc of a title
validated in it, and for the level of a finished placement run (« parcours bilan »). What it says is
frozen at issue (``snapshot``: labels of the certification, the level, the competences acquired and
to work on, the reasons), so a later référentiel change never rewrites an attestation. Its ``code``
is the public verification code (printed with a QR code on the PDF); ``status_index`` is its position
in the revocation status list served with the verifiable credentials. The holder chooses what the
public verification page shows (``show_*``). A revoked award stays, with who revoked it, when, why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certeval.domain.awards import CODE_LENGTH, grouped

# Size of the W3C Bitstring Status List (the minimum the recommendation asks for, 16 KB).
STATUS_LIST_SIZE = 131072


class Award(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATION = "certification", _("Certification")
        BLOC = "bloc", _("Bloc de compétences")
        PLACEMENT = "placement", _("Niveau du parcours bilan")

    kind = models.CharField(_("nature"), max_length=14, choices=Kind.choices)
    candidate = models.ForeignKey(
        "campaigns.Candidate", verbose_name=_("titulaire"), on_delete=models.PROTECT, related_name="awards"
    )
    enrolment = models.ForeignKey(
        "campaigns.Enrolment",
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        verbose_name=_("version du référentiel"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    bloc_code = models.CharField(_("bloc"), max_length=20, blank=True)
    level = models.CharField(_("niveau"), max_length=40, blank=True)
    snapshot = models.JSONField(_("contenu figé à la délivrance"), default=dict, blank=True)
    source_deliberation = models.ForeignKey(
        "juries.Deliberation",
        verbose_name=_("délibération"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    source_run = models.ForeignKey(
        "testing.Run",
        verbose_name=_("parcours bilan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    awarded_on = models.DateField(_("délivrée le"))
    valid_from = models.DateField(_("valable à partir du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    code = models.CharField(_("code de vérification"), max_length=CODE_LENGTH, unique=True)
    status_index = models.PositiveIntegerField(_("position dans la liste de statut"), unique=True)
    show_name = models.BooleanField(_("afficher mon nom"), default=True)
    show_level = models.BooleanField(_("afficher le niveau"), default=True)
    show_date = models.BooleanField(_("afficher la date"), default=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoquée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motif de la révocation"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ("-awarded_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["source_deliberation", "kind", "bloc_code"],
                condition=models.Q(source_deliberation__isnull=False),
                name="award_one_per_deliberation_kind_bloc",
            ),
            models.UniqueConstraint(
                fields=["source_run"],
                condition=models.Q(source_run__isnull=False),
                name="award_one_per_run",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revocation_reason=""),
                name="award_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.candidate} — {self.grouped_code}"

    @property
    def grouped_code(self) -> str:
        """The code as printed and typed: XXXX-XXXX-XXXX."""
        return grouped(self.code)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
