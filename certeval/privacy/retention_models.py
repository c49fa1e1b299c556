"""What the retention jobs record (docs/privacy.md, « Retention »): the notice sent to a person before
their data of one category is removed (once per person, category and campaign), each run of the job
with its counts, and the persons whose identity was pseudonymised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionCategory(models.TextChoices):
    PROCTORING_EVENTS = "proctoring_events", _("Événements de surveillance")
    TEST_RESPONSES = "test_responses", _("Réponses au test en ligne")
    DOSSIERS = "dossiers", _("Dossiers et leurs fichiers")
    ENROLMENTS = "enrolments", _("Identité d'inscription (non-titulaires)")
    LOGIN_EVENTS = "login_events", _("Connexions")
    CONSULTATIONS = "consultations", _("Consultations du dossier")


class RetentionNotice(models.Model):
    """The e-mail telling a person that their data of one category will be removed on ``remove_after``
    (sent once); ``done_at`` once removed."""

    candidate = models.ForeignKey(
        "campaigns.Candidate", verbose_name=_("personne"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=RetentionCategory.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("prévenue le"))
    remove_after = models.DateTimeField(_("suppression à partir du"))
    done_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis de suppression")
        verbose_name_plural = _("avis de suppression")
        ordering = ("notified_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "category", "campaign"],
                name="retention_notice_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.candidate_id}"


class RetentionRun(models.Model):
    """One run of the retention job: dry run or applied, with its counts per category."""

    started_at = models.DateTimeField(_("lancé le"))
    applied = models.BooleanField(_("appliqué"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counts = models.JSONField(_("décomptes"), default=dict, blank=True)
    notified = models.PositiveIntegerField(_("personnes prévenues"), default=0)
    removed = models.PositiveIntegerField(_("éléments supprimés ou anonymisés"), default=0)
    waiting = models.PositiveIntegerField(_("éléments en délai de grâce"), default=0)

    class Meta:
        verbose_name = _("passage de la conservation")
        verbose_name_plural = _("passages de la conservation")
        ordering = ("-started_at", "pk")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({'appliqué' if self.applied else 'simulation'})"


class AnonymisedPerson(models.Model):
    """A person whose identity was replaced by a pseudonym (retention or erasure): the row keeps the
    statistics and the decisions attached to an identity nobody can read back."""

    candidate = models.OneToOneField(
        "campaigns.Candidate", verbose_name=_("personne"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("anonymisée le"))
    reason = models.CharField(
        _("motif"),
        max_length=12,
        choices=[("retention", _("Durée de conservation échue")), ("erasure", _("Demande d'effacement"))],
    )

    class Meta:
        verbose_name = _("personne anonymisée")
        verbose_name_plural = _("personnes anonymisées")

    def __str__(self) -> str:
        return f"{self.candidate_id} ({self.at:%Y-%m-%d})"
