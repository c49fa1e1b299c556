"""The holders' declaration to the Caisse des Dépôts (docs/results.md, « Caisse des Dépôts holders'
declaration »): the declaration settings of a référentiel, the holder data the flux needs and the
candidate's record lacks, the passages with their stable technical id, the files sent and the
acknowledgement rows read back."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationType(models.TextChoices):
    RNCP = "RNCP", _("Répertoire national des certifications professionnelles (RNCP)")
    RS = "RS", _("Répertoire spécifique (RS)")


class CdcSettings(models.Model):
    """How one référentiel is declared; a value left empty falls back to ``CERTEVAL_CDC``."""

    framework_id = models.SlugField(_("référentiel"), max_length=80, unique=True)
    declares = models.BooleanField(_("déclarée à la Caisse des Dépôts"), default=True)
    certification_type = models.CharField(
        _("répertoire"), max_length=4, choices=CertificationType.choices, blank=True
    )
    code = models.CharField(_("code de la fiche (RNCP ou RS)"), max_length=100, blank=True)
    certifier_id = models.CharField(_("identifiant client CDC du certificateur"), max_length=8, blank=True)
    contract_id = models.CharField(_("numéro de contrat CDC"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("réglages de déclaration à la Caisse des Dépôts")
        verbose_name_plural = _("réglages de déclaration à la Caisse des Dépôts")

    def __str__(self) -> str:
        return self.framework_id


class CdcHolderData(models.Model):
    """What the flux requires of a holder and the candidate's record does not hold: the sex at the
    civil registry (mandatory in the XSD) and, only when given to resolve a rejection, the INSEE
    code of the birth commune (optional: the XSD accepts an empty birth postal code)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Féminin")
        MALE = "M", _("Masculin")

    candidate = models.OneToOneField(
        "campaigns.Candidate", on_delete=models.CASCADE, related_name="cdc_holder_data"
    )
    sex = models.CharField(_("sexe à l'état civil"), max_length=1, choices=Sex.choices, blank=True)
    birth_insee_code = models.CharField(
        _("code INSEE de la commune de naissance"),
        max_length=5,
        blank=True,
        help_text=_("Facultatif : 5 caractères (99xxx pour un pays étranger)."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("données du titulaire pour la Caisse des Dépôts")
        verbose_name_plural = _("données des titulaires pour la Caisse des Dépôts")

    def __str__(self) -> str:
        return str(self.candidate_id)


class CdcPassage(models.Model):
    """One holder's passage: created once, its technical id is re-sent unchanged by every correction.

    ``bloc_code`` stays empty for the whole certification (schema 1.1.2 has no bloc-level passage)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À déclarer")
        SENT = "sent", _("Envoyé, en attente de l'accusé")
        ACCEPTED = "accepted", _("Accepté")
        REJECTED = "rejected", _("Rejeté")

    enrolment = models.ForeignKey(
        "campaigns.Enrolment", on_delete=models.PROTECT, related_name="cdc_passages"
    )
    bloc_code = models.CharField(_("bloc"), max_length=40, blank=True)
    technical_id = models.UUIDField(
        _("identifiant technique"), default=uuid.uuid4, unique=True, editable=False
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("motif du rejet"), blank=True)
    corrected_at = models.DateTimeField(_("corrigé le"), null=True, blank=True)
    last_submission = models.ForeignKey(
        "results.CdcSubmission", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("passage déclaré à la Caisse des Dépôts")
        verbose_name_plural = _("passages déclarés à la Caisse des Dépôts")
        ordering = ("enrolment", "bloc_code")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "bloc_code"], name="cdc_passage_unique_bloc"),
        ]

    def __str__(self) -> str:
        return str(self.technical_id)


class CdcSubmission(models.Model):
    """A flux produced (validated against the XSD) and kept as it was downloaded."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="cdc_submissions"
    )
    flux_id = models.CharField(_("identifiant du flux"), max_length=50, unique=True)
    file_name = models.CharField(_("nom du fichier"), max_length=120)
    content = models.BinaryField(_("fichier XML"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    schema_version = models.CharField(_("version du schéma"), max_length=20, blank=True)
    passages = models.ManyToManyField(CdcPassage, related_name="submissions", verbose_name=_("passages"))
    produced_at = models.DateTimeField(_("produit le"), auto_now_add=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("flux de déclaration à la Caisse des Dépôts")
        verbose_name_plural = _("flux de déclaration à la Caisse des Dépôts")
        ordering = ("-produced_at", "-pk")

    def __str__(self) -> str:
        return self.flux_id


class CdcAcknowledgement(models.Model):
    """One row of an acknowledgement (« accusé de traitement ») read back from the CDC."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepté")
        REJECTED = "rejected", _("Rejeté")

    passage = models.ForeignKey(CdcPassage, on_delete=models.PROTECT, related_name="acknowledgements")
    submission = models.ForeignKey(
        CdcSubmission, on_delete=models.PROTECT, null=True, blank=True, related_name="acknowledgements"
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("motif"), blank=True)
    file_name = models.CharField(_("fichier importé"), max_length=200)
    file_sha256 = models.CharField(_("empreinte SHA-256 du fichier"), max_length=64)
    line = models.PositiveIntegerField(_("ligne"))
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("accusé de traitement de la Caisse des Dépôts")
        verbose_name_plural = _("accusés de traitement de la Caisse des Dépôts")
        ordering = ("-imported_at", "line")

    def __str__(self) -> str:
        return f"{self.passage_id}: {self.status}"


class CdcReminder(models.Model):
    """A reminder e-mailed to a campaign's organisers before a declaration deadline (sent once)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="cdc_reminders")
    deadline = models.DateField(_("échéance"))
    sent_at = models.DateTimeField(_("envoyé le"))
    recipients = models.PositiveSmallIntegerField(_("destinataires"), default=0)

    class Meta:
        verbose_name = _("rappel de déclaration à la Caisse des Dépôts")
        verbose_name_plural = _("rappels de déclaration à la Caisse des Dépôts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deadline"], name="cdc_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.deadline}"
