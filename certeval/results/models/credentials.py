"""Open Badges 3.0 credentials of awards, the issuer's signing keys, and the batches that produce
credentials in the background.

An :class:`IssuerKey` is one key pair: Ed25519 for the Data Integrity proofs, RSA for the VC-JWT
signatures. Its private part is stored encrypted (Fernet, key derived from
``CERTEVAL_CREDENTIALS["key_secret"]`` or ``SECRET_KEY``). Rotation retires the active keys
(``retired_at``) and creates new ones; retired keys keep being published so that credentials they
signed still verify. A :class:`Credential` is the signed credential of one award, in both forms,
made once: a revocation does not change it (its bit in the status list does).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuerKey(models.Model):
    class Algorithm(models.TextChoices):
        ED25519 = "ed25519", _("Ed25519 (preuve Data Integrity eddsa-rdfc-2022)")
        RSA = "rsa", _("RSA (signature VC-JWT RS256)")

    algorithm = models.CharField(_("algorithme"), max_length=10, choices=Algorithm.choices)
    # Ed25519: its Multikey (z6Mk…), the fragment of its verification method; RSA: its JWK thumbprint.
    kid = models.CharField(_("identifiant de clé"), max_length=100, unique=True)
    public_jwk = models.JSONField(_("clé publique (JWK)"))
    private_encrypted = models.TextField(_("clé privée chiffrée"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé de l'émetteur")
        verbose_name_plural = _("clés de l'émetteur")
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm"],
                condition=models.Q(retired_at__isnull=True),
                name="issuer_key_one_active_per_algorithm",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_algorithm_display()} — {self.kid[:16]}…"


class Credential(models.Model):
    award = models.OneToOneField(
        "results.Award", verbose_name=_("attestation"), on_delete=models.PROTECT, related_name="credential"
    )
    uuid = models.UUIDField(_("identifiant"), unique=True)
    document = models.JSONField(_("justificatif signé (Data Integrity)"))
    jwt = models.TextField(_("justificatif signé (VC-JWT)"))
    ed25519_key = models.ForeignKey(
        IssuerKey, verbose_name=_("clé Ed25519"), on_delete=models.PROTECT, related_name="+"
    )
    rsa_key = models.ForeignKey(
        IssuerKey, verbose_name=_("clé RSA"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("signé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("justificatif Open Badges")
        verbose_name_plural = _("justificatifs Open Badges")
        ordering = ("-issued_at", "-pk")

    def __str__(self) -> str:
        return f"urn:uuid:{self.uuid}"


class CredentialBatch(models.Model):
    """Signing the credentials of a campaign's awards in the background, with its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        FINISHED = "finished", _("Terminé")
        FAILED = "failed", _("Échec")

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campagne"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("justificatifs à signer"), default=0)
    done = models.PositiveIntegerField(_("justificatifs signés"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot de justificatifs")
        verbose_name_plural = _("lots de justificatifs")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.done}/{self.total}"
