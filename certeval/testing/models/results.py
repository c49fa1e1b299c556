"""Automated-part results (the proctored automated test, seed 004 §4.1 and §6.3.1).

A result belongs to the person (``campaigns.Candidate``), not to an enrolment: it stays valid
``rules.automated.validity_years`` years (3 for Pix+ Édu), so a candidate adjourned in one
campaign uses it again in the next one. ``test`` names the automated test the result was obtained
at (see ``certeval.testing.selectors.automated_test_of``); ``campaign`` and ``enrolment`` record
where it was entered (provenance), and are empty for a result entered outside any campaign.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AutomatedResult(models.Model):
    """One result of one person at one automated test, on the day it was obtained."""

    candidate = models.ForeignKey(
        "campaigns.Candidate",
        verbose_name=_("candidat"),
        on_delete=models.PROTECT,
        related_name="automated_results",
    )
    test = models.SlugField(
        _("épreuve automatisée"),
        max_length=80,
        help_text=_("Identifiant de l'épreuve automatisée (par exemple pix-plus-edu)."),
    )
    level = models.CharField(_("niveau du volet automatisé"), max_length=40)
    obtained_on = models.DateField(_("obtenu le"))
    parts = models.JSONField(
        _("niveaux par partie"),
        default=dict,
        blank=True,
        help_text=_(
            "Niveau de chaque partie du volet automatisé (par exemple crcn-edu, crcn), pour information."
        ),
    )
    details = models.JSONField(
        _("détail"),
        default=dict,
        blank=True,
        help_text=_("Pour un résultat obtenu en ligne : niveaux par domaine, estimations par compétence."),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne d'enregistrement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        "campaigns.Enrolment",
        verbose_name=_("inscription d'enregistrement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    class Meta:
        verbose_name = _("résultat du volet automatisé")
        verbose_name_plural = _("résultats du volet automatisé")
        ordering = ("-obtained_on", "-pk")
        indexes = [models.Index(fields=["candidate", "test", "obtained_on"], name="automated_lookup")]
        constraints = [
            # One result per person and test recorded through a given enrolment (recording it again
            # corrects it); results entered outside a campaign have no enrolment.
            models.UniqueConstraint(
                fields=["candidate", "test", "enrolment"],
                condition=models.Q(enrolment__isnull=False),
                name="automated_result_once_per_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.level} ({self.obtained_on:%d/%m/%Y})"
