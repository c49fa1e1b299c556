"""Peer review of a draft dossier (seed 004, §5.2: « relecture du dossier par les pairs »).

The candidate invites peers by e-mail; a peer reads the current files of the draft through a signed
link (no account needed) until the deposit deadline or the freeze, whichever comes first, and leaves
written feedback per section of the dossier (the guide's Annexe 6 headings) or overall. Invitations
are revoked, never deleted; feedback is never edited. Imported by ``certeval.dossiers.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FEEDBACK_MAX_LENGTH = 5000
OVERALL = "overall"


class PeerInvitation(models.Model):
    enrolment = models.ForeignKey(
        "campaigns.Enrolment", on_delete=models.PROTECT, related_name="peer_invitations"
    )
    email = models.EmailField(_("adresse du pair"))
    name = models.CharField(_("nom du pair"), max_length=150, blank=True)
    message = models.TextField(_("message au pair"), max_length=1000, blank=True)
    # The secret carried by the signed link (with the invitation's id): a link is forged by no one.
    key = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("invité le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à relire un dossier")
        verbose_name_plural = _("invitations à relire un dossier")
        ordering = ("invited_at", "pk")
        indexes = [models.Index(fields=["email"], name="peer_invitation_email")]

    def __str__(self) -> str:
        return f"{self.email} — {self.enrolment}"

    @property
    def peer_label(self) -> str:
        return f"{self.name} ({self.email})" if self.name else self.email


class PeerFeedback(models.Model):
    """One written comment of a peer on the draft, on one section of the dossier or overall."""

    invitation = models.ForeignKey(PeerInvitation, on_delete=models.PROTECT, related_name="feedback")
    section = models.CharField(_("rubrique"), max_length=40)
    text = models.TextField(_("avis"), max_length=FEEDBACK_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)

    class Meta:
        verbose_name = _("avis d'un pair")
        verbose_name_plural = _("avis des pairs")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.invitation.email} — {self.section}"
