"""A session's results published before the whole campaign's (docs/results.md, « Campaign dashboard
and publication »).

Publishing a campaign is its move to « Résultats publiés »; publishing one session makes the results
of that session's candidates visible to them while the campaign is still in deliberation. One row
per published session; it is never changed nor deleted (the campaign's publication covers it later).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionPublicationError(Exception):
    """Raised on any attempt to change or delete a session's publication."""


class SessionPublication(models.Model):
    session = models.OneToOneField(
        "campaigns.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="results_publication",
    )
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    candidates = models.PositiveIntegerField(_("candidats concernés"), default=0)

    class Meta:
        verbose_name = _("publication des résultats d'une session")
        verbose_name_plural = _("publications des résultats de sessions")
        ordering = ("published_at", "pk")

    def __str__(self) -> str:
        return str(self.session)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SessionPublicationError("A session's publication never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SessionPublicationError("A session's publication is never deleted.")
