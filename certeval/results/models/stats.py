"""The data of a past campaign imported for its statistics (``certeval stats import``, docs/results.md
« Statistics of the jury report »): one row per candidate of the cohort, one per juror's answers to
the questionnaire. The campaign itself is an ordinary archived ``campaigns.Campaign``; rows are
written once, by the import, and never changed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.models import Enrolment


class PastCohortRow(models.Model):
    """One candidate of a past campaign: training, status and the level reached at each stage."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="past_cohort_rows"
    )
    ref = models.CharField(_("identifiant"), max_length=80)
    training = models.CharField(_("formation"), max_length=10, choices=Enrolment.Training.choices)
    school_level = models.CharField(_("degré"), max_length=10, choices=Enrolment.SchoolLevel.choices)
    placement_level = models.CharField(_("niveau du parcours bilan"), max_length=40, blank=True)
    automated_level = models.CharField(_("niveau du volet automatisé"), max_length=40, blank=True)
    automated_obtained_on = models.DateField(_("volet automatisé obtenu le"), null=True, blank=True)
    final_level = models.CharField(_("niveau de certification"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("candidat d'une campagne passée")
        verbose_name_plural = _("candidats des campagnes passées")
        ordering = ("campaign", "pk")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "ref"], name="past_cohort_row_unique_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.ref}"


class PastJurorAnswer(models.Model):
    """One juror's answers (1 to 4, empty when not given) to the questionnaire of a past campaign."""

    SCALE = [
        (1, _("Pas du tout satisfait")),
        (2, _("Peu satisfait")),
        (3, _("Satisfait")),
        (4, _("Très satisfait")),
    ]

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="past_juror_answers"
    )
    ref = models.CharField(_("identifiant"), max_length=80)
    dossiers = models.PositiveSmallIntegerField(
        _("qualité des dossiers"), choices=SCALE, null=True, blank=True
    )
    traces = models.PositiveSmallIntegerField(_("qualité des traces"), choices=SCALE, null=True, blank=True)
    analyses = models.PositiveSmallIntegerField(
        _("qualité des analyses critiques"), choices=SCALE, null=True, blank=True
    )
    organisation = models.PositiveSmallIntegerField(
        _("organisation des jurys"), choices=SCALE, null=True, blank=True
    )

    class Meta:
        verbose_name = _("réponse d'un juré (campagne passée)")
        verbose_name_plural = _("réponses des jurés (campagnes passées)")
        ordering = ("campaign", "pk")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "ref"], name="past_juror_answer_unique_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.ref}"
