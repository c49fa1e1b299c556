"""Invitations to a campaign's placement run (« parcours bilan »), for people not enrolled yet.

An organiser invites e-mail addresses to the placement run of a campaign whose référentiel uses an
automated test with an item bank; the invitee follows the link of the e-mail (``token``), signs in
as the invited address, gives their identity when they have none yet, and takes the run of the
campaign's bank. One active (not revoked) invitation per campaign and address; an organiser limited
to an academy invites for their academy (``academy``) and sees only those invitations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementInvitation(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Envoyée")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Révoquée")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campagne"),
        on_delete=models.PROTECT,
        related_name="placement_invitations",
    )
    email = models.EmailField(_("adresse électronique"))
    academy = models.ForeignKey(
        "campaigns.Academy",
        verbose_name=_("académie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    school_level = models.CharField(_("degré"), max_length=10, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation au parcours bilan")
        verbose_name_plural = _("invitations au parcours bilan")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_invitation_per_campaign_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.campaign}"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        return self.State.SENT
