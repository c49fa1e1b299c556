"""The item bank: items, their frozen versions, bank versions, calibrations and item writers.

A bank is identified by the automated test it serves (``pix-plus-edu``; see
``certeval.testing.selectors.automated_test_of``). An :class:`Item` is the stable identity of a question
(code, part, competence, intended level, audience, usage, life-cycle status); its wording, options,
accepted answers, media and IRT parameters live in :class:`ItemVersion` rows that are never changed once
written: editing an item or activating a calibration writes a new version, and every served question
points at the exact version it was scored with (docs/testing.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certeval.domain.items.content import Blank, Content, Kind, Option, Resource, Usage


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    REVIEWED = "reviewed", _("Relu")
    PILOT = "pilot", _("Expérimentation")
    ACTIVE = "active", _("Actif")
    RETIRED = "retired", pgettext_lazy("item status", "Retiré")


class Part(models.TextChoices):
    CRCN = "crcn", _("CRCN")
    CRCN_EDU = "crcn-edu", _("CRCN-Édu")


class Level(models.TextChoices):
    INITIE = "initie", _("Initié")
    CONFIRME = "confirme", _("Confirmé")
    AVANCE = "avance", _("Avancé")
    EXPERT = "expert", _("Expert")


class Audience(models.TextChoices):
    BOTH = "", _("Premier et second degrés")
    PRIMARY = "premier", _("Premier degré")
    SECONDARY = "second", _("Second degré")


class ItemUsage(models.TextChoices):
    PRACTICE = Usage.PRACTICE.value, _("Parcours bilan et entraînement")
    CERTIFICATION = Usage.CERTIFICATION.value, _("Certification seulement")


class ItemKind(models.TextChoices):
    SINGLE = Kind.SINGLE.value, _("Choix unique")
    MULTIPLE = Kind.MULTIPLE.value, _("Choix multiple")
    SHORT = Kind.SHORT.value, _("Réponse courte")
    SHORTS = Kind.SHORTS.value, _("Plusieurs réponses courtes")


class Accommodation(models.TextChoices):
    SCREEN_READER = "screen-reader", _("Lecteur d'écran")
    COLOUR_VISION = "colour-vision", _("Vision des couleurs")
    MOTOR = "motor", _("Motricité (clavier seul)")


class Item(models.Model):
    bank = models.SlugField(_("banque"), max_length=80)
    code = models.SlugField(_("code"), max_length=80)
    part = models.CharField(_("partie"), max_length=10, choices=Part.choices)
    competence = models.CharField(_("compétence"), max_length=10)
    level = models.CharField(_("niveau visé"), max_length=10, choices=Level.choices)
    # The published référentiel version whose competence the item was written for (checked against at
    # creation, import and every edit); the CRCN part's items point at the CRCN.
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        verbose_name=_("version du référentiel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    audience = models.CharField(_("public"), max_length=10, choices=Audience.choices, blank=True)
    usage = models.CharField(_("usage"), max_length=16, choices=ItemUsage.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    current = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("version courante"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("item", "auteur"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relecteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A draft waits for review once its author submits it (sending it back, or any later status, clears it).
    submitted_at = models.DateTimeField(_("soumise à la relecture le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("bank", "part", "competence", "code")
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="item_code_unique_per_bank")]
        indexes = [models.Index(fields=["bank", "status", "part", "competence"], name="item_selection")]

    def __str__(self) -> str:
        return self.code


class ItemVersion(models.Model):
    """One frozen state of an item: wording, options, answers, media and IRT parameters."""

    item = models.ForeignKey(
        Item, verbose_name=_("question"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("type"), max_length=10, choices=ItemKind.choices)
    stem = models.TextField(_("énoncé"))
    options = models.JSONField(_("propositions"), default=list, blank=True)
    blanks = models.JSONField(_("réponses attendues"), default=list, blank=True)
    explanation = models.TextField(_("explication"))
    resources = models.JSONField(_("ressources"), default=list, blank=True)
    image = models.FileField(_("image"), upload_to="items/images/", blank=True)
    image_alt = models.TextField(_("texte alternatif de l'image"), blank=True)
    attachment = models.FileField(_("fichier à télécharger"), upload_to="items/files/", blank=True)
    expected_seconds = models.PositiveIntegerField(_("durée attendue (secondes)"), default=60)
    accessibility = models.JSONField(_("compatibilité"), default=list, blank=True)
    a = models.FloatField(_("discrimination (a)"))
    b = models.FloatField(_("difficulté (b)"))
    c = models.FloatField(_("pseudo-hasard (c)"), default=0.0)
    irt_provisional = models.BooleanField(_("paramètres provisoires"), default=True)
    bank_version = models.PositiveIntegerField(_("version de la banque"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de question")
        verbose_name_plural = _("versions de question")
        ordering = ("item", "number")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"

    def content(self) -> Content:
        """The domain view of this version (what is shown and how an answer is scored)."""
        return Content(
            kind=Kind(self.kind),
            stem=self.stem,
            options=tuple(Option(o["text"], bool(o.get("correct"))) for o in self.options),
            blanks=tuple(_blank(b) for b in self.blanks),
            explanation=self.explanation,
            resources=tuple(Resource(r["label"], r["url"]) for r in self.resources),
            image_alt=self.image_alt,
            expected_seconds=self.expected_seconds,
            accessibility=frozenset(self.accessibility),
        )


def _blank(raw: dict[str, Any]) -> Blank:
    answers = tuple(float(a) if isinstance(a, int | float) else str(a) for a in raw.get("answers", ()))
    return Blank(answers=answers, label=raw.get("label", ""), tolerance=float(raw.get("tolerance", 0.0)))


class BankVersion(models.Model):
    """A numbered state of a bank's IRT parameters; a calibration's activation opens the next one."""

    bank = models.SlugField(_("banque"), max_length=80)
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    calibration = models.OneToOneField(
        "Calibration",
        verbose_name=_("calibration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de banque")
        verbose_name_plural = _("versions de banque")
        ordering = ("bank", "-number")
        constraints = [models.UniqueConstraint(fields=["bank", "number"], name="bank_version_unique")]

    def __str__(self) -> str:
        return f"{self.bank} v{self.number}"


class Calibration(models.Model):
    """A background MML-EM calibration over the answers stored for a bank, then its review."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée, à examiner")
        FAILED = "failed", _("Échec")
        ACTIVATED = "activated", _("Activée")
        DISCARDED = "discarded", _("Écartée")

    bank = models.SlugField(_("banque"), max_length=80)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    model = models.CharField(_("modèle"), max_length=4, default="2pl")
    progress = models.FloatField(_("avancement"), default=0.0)
    message = models.TextField(_("message"), blank=True)
    responses = models.PositiveIntegerField(_("réponses utilisées"), default=0)
    candidates = models.PositiveIntegerField(_("candidats"), default=0)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancée par"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lancée le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.bank} — {self.get_status_display()}"


class ItemWriter(models.Model):
    """A person who writes and reviews the items of a bank (granted by an administrator)."""

    bank = models.SlugField(_("banque"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédacteur"),
        on_delete=models.PROTECT,
        related_name="item_banks",
    )
    granted_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rédacteur de questions")
        verbose_name_plural = _("rédacteurs de questions")
        constraints = [models.UniqueConstraint(fields=["bank", "user"], name="item_writer_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.bank}"
