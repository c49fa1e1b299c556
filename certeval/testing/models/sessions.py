"""Proctored certification sessions (seed 004 §4.1 and Annexe 2): the automated test taken under an
invigilator's eye, on site or remote.

- :class:`CampaignDelivery` — per campaign: which form (level form or adaptive form, never mixed), the
  minimum of answered questions for a valid result, the abandonment rule, the retention of proctoring
  events, an optional cap on the number of questions (a short test).
- :class:`SessionDelivery` — a ``campaigns.Session`` run online: its access code (candidates), its
  invigilator code (the console), its finalisation and when its results were recorded.
- :class:`Sitting` — one enrolled candidate in one session (« passage »): their state, their identity
  check, their clock (the server's), the :class:`Run` holding their questions and answers.
- :class:`LiveAlert` — « Signaler un problème »: blocks the candidate until an invigilator handles it.
- :class:`Incident` — reported by an invigilator in a category; decided by an organiser.
- :class:`ProctoringEvent`, :class:`SittingMessage` — what happened during the test (kept for the
  campaign's retention period, then deleted).
- :class:`ServicePulse` — one row per minute the service answered candidates: a minute without any is
  a service outage, whose time is given back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryForm(models.TextChoices):
    LEVEL = "level", _("Forme au niveau visé (parts de réponses justes)")
    ADAPTIVE = "adaptive", _("Forme adaptative (échelle d'aptitude)")


class Abandonment(models.TextChoices):
    SCORE = "score", _("Les réponses données comptent")
    VOID = "void", _("Pas de résultat")


class CampaignDelivery(models.Model):
    """How a campaign's proctored test is delivered and scored (defaults: ``CERTEVAL_DELIVERY``)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", verbose_name=_("campagne"), on_delete=models.PROTECT, related_name="delivery"
    )
    form = models.CharField(_("forme de l'épreuve"), max_length=10, choices=DeliveryForm.choices)
    min_answered = models.PositiveSmallIntegerField(
        _("réponses minimum pour un résultat valide"),
        help_text=_("En dessous, la passation n'a pas de résultat (Pix retient 20)."),
    )
    abandonment = models.CharField(
        _("en cas d'abandon"),
        max_length=10,
        choices=Abandonment.choices,
        help_text=_("Quand le candidat arrête son épreuve avant la fin du temps."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("conservation des événements de surveillance (jours après les résultats)")
    )
    max_questions = models.PositiveSmallIntegerField(
        _("nombre maximum de questions"),
        null=True,
        blank=True,
        help_text=_(
            "Vide : le maximum du référentiel (64 pour Pix+ Édu). Un nombre plus petit donne une épreuve "
            "courte (épreuve blanche, démonstration) : chaque partie garde sa part des questions."
        ),
    )

    class Meta:
        verbose_name = _("réglages de l'épreuve surveillée")
        verbose_name_plural = _("réglages des épreuves surveillées")

    def __str__(self) -> str:
        return str(self.campaign)


class SessionDelivery(models.Model):
    """A session of a campaign run as a proctored online test."""

    session = models.OneToOneField(
        "campaigns.Session", verbose_name=_("session"), on_delete=models.PROTECT, related_name="delivery"
    )
    access_code = models.CharField(_("code d'accès des candidats"), max_length=12, unique=True)
    invigilator_code = models.CharField(_("mot de passe surveillant"), max_length=16)
    finalised_at = models.DateTimeField(_("finalisée le"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalisée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("commentaire du surveillant"), blank=True)
    results_recorded_at = models.DateTimeField(_("résultats enregistrés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("session surveillée")
        verbose_name_plural = _("sessions surveillées")

    def __str__(self) -> str:
        return str(self.session)


class Sitting(models.Model):
    """One candidate's proctored test in one session."""

    class Status(models.TextChoices):
        NOT_ARRIVED = "not-arrived", _("Non arrivé")
        PRESENT = "present", _("Présent")
        IDENTITY_CHECKED = "identity", _("Identité vérifiée")
        AUTHORISED = "authorised", _("Autorisé")
        IN_PROGRESS = "in-progress", _("En cours")
        PAUSED = "paused", _("En pause")
        FINISHED = "finished", _("Terminé")
        ENDED = "ended", _("Arrêté")
        ABSENT = "absent", _("Absent")

    class Document(models.TextChoices):
        ID_CARD = "id-card", _("Carte nationale d'identité")
        PASSPORT = "passport", _("Passeport")
        RESIDENCE = "residence", _("Titre de séjour")
        DRIVING = "driving", _("Permis de conduire")
        PROFESSIONAL = "professional", _("Carte professionnelle")
        OTHER = "other", _("Autre pièce officielle avec photo")

    class Finish(models.TextChoices):
        COMPLETED = "completed", _("Toutes les questions répondues")
        TIME_UP = "time-up", _("Temps écoulé")
        ABANDONED = "abandoned", _("Arrêtée par le candidat")
        ENDED = "ended", _("Arrêtée par le surveillant")

    session = models.ForeignKey(
        SessionDelivery, verbose_name=_("session"), on_delete=models.PROTECT, related_name="sittings"
    )
    enrolment = models.ForeignKey(
        "campaigns.Enrolment",
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="sittings",
    )
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.NOT_ARRIVED)
    run = models.OneToOneField(
        "Run",
        verbose_name=_("passation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sitting",
    )
    joined_at = models.DateTimeField(_("connecté le"), null=True, blank=True)
    present_at = models.DateTimeField(_("présence constatée le"), null=True, blank=True)
    identity_document = models.CharField(
        _("pièce d'identité présentée"), max_length=14, choices=Document.choices, blank=True
    )
    identity_checked_at = models.DateTimeField(_("identité vérifiée le"), null=True, blank=True)
    authorised_at = models.DateTimeField(_("autorisé le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    allowed_seconds = models.PositiveIntegerField(_("durée accordée (secondes)"), default=0)
    added_seconds = models.IntegerField(_("temps ajouté (secondes)"), default=0)
    used_seconds = models.FloatField(_("temps écoulé (secondes)"), default=0.0)
    running_since = models.DateTimeField(_("horloge en marche depuis"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("dernier contact"), null=True, blank=True)
    tab = models.CharField(_("onglet actif"), max_length=64, blank=True)
    finish = models.CharField(_("fin"), max_length=10, choices=Finish.choices, blank=True)
    finish_reason = models.CharField(_("motif de fin"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    outcome = models.JSONField(_("résultat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ("session", "enrolment__candidate__birth_name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="sitting_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.session}"


class LiveAlert(models.Model):
    """A problem the candidate reported on a question: they wait until an invigilator handles it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        VALIDATED = "validated", _("Validé : question remplacée")
        DISMISSED = "dismissed", _("Rejeté")

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("passage"), on_delete=models.PROTECT, related_name="alerts"
    )
    question = models.ForeignKey(
        "Question",
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.CharField(_("problème signalé"), max_length=500, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signalement en direct")
        verbose_name_plural = _("signalements en direct")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting"], condition=models.Q(status="pending"), name="one_pending_alert_per_sitting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting} — {self.get_status_display()}"


class Incident(models.Model):
    """An incident an invigilator reports, in a category, decided by an organiser."""

    class Category(models.TextChoices):
        DETAILS = "details", _("Changement des informations du candidat")
        TECHNICAL = "technical", _("Problème technique")
        QUESTION = "question", _("Problème sur une question")
        LATE_OR_LEFT = "late-left", _("Arrivée tardive ou départ")
        FRAUD = "fraud", _("Suspicion de fraude")
        ACCESSIBILITY = "accessibility", _("Accessibilité")
        OTHER = "other", _("Autre")

    class Decision(models.TextChoices):
        NEUTRALISE = "neutralise", _("Neutraliser la question")
        CANCEL = "cancel", _("Annuler le résultat")
        KEEP = "keep", _("Maintenir le résultat")

    session = models.ForeignKey(
        SessionDelivery, verbose_name=_("session"), on_delete=models.PROTECT, related_name="incidents"
    )
    sitting = models.ForeignKey(
        Sitting,
        verbose_name=_("candidat concerné"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    category = models.CharField(_("catégorie"), max_length=14, choices=Category.choices)
    question_number = models.PositiveSmallIntegerField(_("numéro de la question"), null=True, blank=True)
    description = models.TextField(_("description"))
    reported_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ("reported_at", "pk")

    def __str__(self) -> str:
        return f"{self.get_category_display()} — {self.session}"


class ProctoringEvent(models.Model):
    """Something that happened during a candidate's test: recorded, never a sanction by itself."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Connexion du candidat")
        LEFT_PAGE = "left-page", _("Page quittée")
        BACK = "back", _("Retour sur la page")
        TAKEOVER = "takeover", _("Reprise dans un autre onglet ou poste")
        OUTAGE = "outage", _("Interruption du service : temps rendu")
        ACTION = "action", _("Action du surveillant")

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("passage"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement de surveillance")
        verbose_name_plural = _("événements de surveillance")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.sitting_id}"


class SittingMessage(models.Model):
    """A message between a (remote) candidate and the invigilators of their session."""

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("passage"), on_delete=models.CASCADE, related_name="messages"
    )
    from_candidate = models.BooleanField(_("envoyé par le candidat"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.CharField(_("message"), max_length=1000)
    at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message de passation")
        verbose_name_plural = _("messages de passation")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.sitting_id} {self.at:%H:%M}"


class ServicePulse(models.Model):
    """A minute (UTC, truncated) during which the service answered at least one candidate."""

    minute = models.DateTimeField(_("minute"), unique=True)

    class Meta:
        verbose_name = _("activité du service")
        verbose_name_plural = _("activité du service")

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M}"
