"""What candidates take: runs (placement run, training), the questions served in them, FSRS cards.

A :class:`Run` belongs to the person (``campaigns.Candidate``), optionally to the enrolment or the
campaign that invited them. Each :class:`Question` is served before it is shown and stored with its
answer before the next one is chosen, so a run resumes at the same question after a closed tab and a
retried submission (same idempotency key) stores one answer. The person's profile is the set of item
versions answered in any run: a placement run and the certification never ask them again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from certeval.testing.models.items import Audience, ItemVersion, Level


class Run(models.Model):
    class Kind(models.TextChoices):
        PLACEMENT = "placement", _("Parcours bilan")
        TRAINING = "training", _("Entraînement")
        CERTIFICATION = "certification", _("Épreuve surveillée")

    class Status(models.TextChoices):
        IN_PROGRESS = "in-progress", _("En cours")
        FINISHED = "finished", _("Terminé")

    candidate = models.ForeignKey(
        "campaigns.Candidate", verbose_name=_("candidat"), on_delete=models.PROTECT, related_name="test_runs"
    )
    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices)
    bank = models.SlugField(_("banque"), max_length=80)
    bank_version = models.PositiveIntegerField(_("version de la banque"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    audience = models.CharField(_("public"), max_length=10, choices=Audience.choices, blank=True)
    needs = models.JSONField(_("besoins d'accessibilité"), default=list, blank=True)
    competence = models.CharField(_("compétence travaillée"), max_length=20, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        "campaigns.Enrolment",
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="test_runs",
    )
    settings = models.JSONField(_("réglages"), default=dict, blank=True)
    seed = models.BigIntegerField(_("graine"), default=0)
    proposed_level = models.CharField(_("niveau proposé"), max_length=10, choices=Level.choices, blank=True)
    outcome = models.JSONField(_("résultat"), default=dict, blank=True)
    started_at = models.DateTimeField(_("commencé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("passation")
        verbose_name_plural = _("passations")
        ordering = ("-started_at",)
        constraints = [
            # One placement run in progress per person and bank: resuming never opens a second one.
            models.UniqueConstraint(
                fields=["candidate", "bank", "kind"],
                condition=models.Q(status="in-progress", kind="placement"),
                name="one_placement_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.candidate}"


class Question(models.Model):
    """One item version served in a run, and the answer to it once given."""

    run = models.ForeignKey(
        Run, verbose_name=_("passation"), on_delete=models.PROTECT, related_name="questions"
    )
    position = models.PositiveIntegerField(_("rang"))
    item_version = models.ForeignKey(
        ItemVersion, verbose_name=_("version de question"), on_delete=models.PROTECT, related_name="+"
    )
    scored = models.BooleanField(_("compte dans le score"), default=True)
    served_at = models.DateTimeField(_("posée le"), auto_now_add=True)
    response = models.JSONField(_("réponse"), null=True, blank=True)
    correct = models.BooleanField(_("juste"), null=True, blank=True)
    seconds = models.FloatField(_("durée (secondes)"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    idempotency_key = models.CharField(_("clé d'idempotence"), max_length=64, blank=True)
    # The key the candidate's page generated when it displayed the question, sent with the answer.
    client_key = models.CharField(_("clé du poste"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("question posée")
        verbose_name_plural = _("questions posées")
        ordering = ("run", "position")
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="question_position_unique"),
            models.UniqueConstraint(
                fields=["run", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="question_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} #{self.position}"


class ReviewCard(models.Model):
    """The FSRS memory state of one person on one item (training replays, docs/testing.md)."""

    candidate = models.ForeignKey(
        "campaigns.Candidate",
        verbose_name=_("candidat"),
        on_delete=models.PROTECT,
        related_name="review_cards",
    )
    item = models.ForeignKey("Item", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    card = models.JSONField(_("état FSRS"))
    due = models.DateTimeField(_("à revoir le"))
    reviews = models.PositiveIntegerField(_("révisions"), default=0)
    last_correct = models.BooleanField(_("dernière réponse juste"), default=False)

    class Meta:
        verbose_name = _("carte de révision")
        verbose_name_plural = _("cartes de révision")
        constraints = [models.UniqueConstraint(fields=["candidate", "item"], name="review_card_unique")]
        indexes = [models.Index(fields=["candidate", "due"], name="review_due")]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.item}"


class TestProfile(models.Model):
    """A person's settings for online questions: accessibility needs and text size."""

    class TextSize(models.TextChoices):
        NORMAL = "normal", _("Normale")
        LARGE = "large", _("Grande")
        LARGER = "larger", _("Très grande")

    candidate = models.OneToOneField(
        "campaigns.Candidate",
        verbose_name=_("candidat"),
        on_delete=models.PROTECT,
        related_name="test_profile",
    )
    needs = models.JSONField(_("besoins d'accessibilité"), default=list, blank=True)
    text_size = models.CharField(
        _("taille du texte"), max_length=10, choices=TextSize.choices, default=TextSize.NORMAL
    )

    class Meta:
        verbose_name = _("préférences de passation")
        verbose_name_plural = _("préférences de passation")

    def __str__(self) -> str:
        return str(self.candidate)
