from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from certeval.frameworks.labels import framework_title


class ImmutableVersionError(Exception):
    """Raised on any attempt to change or delete a published framework version."""


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableVersionError("A published framework version never changes; load a new version.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableVersionError("A published framework version is never deleted.")


class FrameworkVersion(models.Model):
    """One published version of a référentiel: the YAML text as loaded and its parsed document.

    A published version never changes: loading a changed file creates the next version.
    """

    framework_id = models.SlugField(_("identifiant"), max_length=80)
    version_number = models.PositiveIntegerField(_("numéro de version"))
    label = models.CharField(_("libellé de version"), max_length=80)
    title = models.CharField(_("titre"), max_length=300)
    content_hash = models.CharField(_("empreinte SHA-256 du contenu"), max_length=64)
    source_yaml = models.TextField(_("fichier YAML publié"))
    document = models.JSONField(_("référentiel"))
    search_text = models.TextField(_("texte indexé"), editable=False)
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de référentiel")
        verbose_name_plural = _("versions de référentiels")
        ordering = ("framework_id", "-version_number")
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "version_number"], name="framework_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version_number__gte=1), name="framework_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{framework_title(self.title)} — v{self.version_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableVersionError("A published framework version never changes; load a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersionError("A published framework version is never deleted.")
