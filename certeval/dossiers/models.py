"""A candidate's dossier: versioned files, frozen for good at submission or at the deadline.

Nothing is ever deleted: a replaced file is marked superseded, a removed one withdrawn, and their
bytes stay in storage. Once the dossier is frozen, the model refuses every change to the dossier
and its files (``FrozenDossierError``); the services log each refused attempt.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LINK_MAX_LENGTH = 500


class FrozenDossierError(Exception):
    """Raised on any attempt to change a frozen dossier, its files or its receipt."""


class DossierState(models.TextChoices):
    DRAFT = "draft", _("En cours de dépôt")
    SUBMITTED = "submitted", _("Déposé et figé")
    NOT_DEPOSITED = "not_deposited", _("Dossier non déposé (éliminatoire)")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def update(self, **kwargs: Any) -> int:
        if self.exclude(state=DossierState.DRAFT).exists():
            raise FrozenDossierError("A frozen dossier never changes.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Dossiers are never deleted.")


class Dossier(models.Model):
    enrolment = models.OneToOneField("campaigns.Enrolment", on_delete=models.PROTECT, related_name="dossier")
    state = models.CharField(
        _("état"), max_length=20, choices=DossierState.choices, default=DossierState.DRAFT
    )
    frozen_at = models.DateTimeField(_("figé le"), null=True, blank=True)
    frozen_reason = models.CharField(_("motif de clôture"), max_length=200, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(state="draft") & models.Q(frozen_at__isnull=True))
                | (models.Q(state__in=["submitted", "not_deposited"]) & models.Q(frozen_at__isnull=False)),
                name="dossier_frozen_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Dossier — {self.enrolment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and Dossier.objects.filter(pk=self.pk).exclude(state=DossierState.DRAFT).exists()
        ):
            raise FrozenDossierError("A frozen dossier never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Dossiers are never deleted.")

    @property
    def is_frozen(self) -> bool:
        return self.state != DossierState.DRAFT


class DossierFileQuerySet(models.QuerySet["DossierFile"]):
    def current(self) -> DossierFileQuerySet:
        return self.filter(superseded_at__isnull=True, withdrawn_at__isnull=True)

    def update(self, **kwargs: Any) -> int:
        if self.exclude(dossier__state=DossierState.DRAFT).exists():
            raise FrozenDossierError("The files of a frozen dossier never change.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Dossier files are never deleted.")


class DossierFile(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document du dossier")
        TRACE = "trace", _("Trace")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    # The framework component the document answers (``rules.constraints``: its page or character
    # limit applies to it); empty when the framework names none or the file is another piece.
    component = models.CharField(_("pièce du dossier"), max_length=80, blank=True, default="")
    title = models.CharField(_("intitulé"), max_length=200)
    name = models.CharField(_("nom du fichier"), max_length=160)
    original_name = models.CharField(_("nom d'origine"), max_length=300)
    storage_name = models.CharField(_("emplacement"), max_length=400, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    char_count = models.PositiveIntegerField(_("caractères espaces compris"), null=True, blank=True)
    # What was removed from the upload before it was stored (a PDF sanitised of its active content).
    sanitised_note = models.TextField(_("éléments retirés au dépôt"), blank=True)
    link_url = models.URLField(_("lien (pour information)"), max_length=LINK_MAX_LENGTH, blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = DossierFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("fichier de dossier")
        verbose_name_plural = _("fichiers de dossier")
        ordering = ("kind", "uploaded_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="dossier_file_sha256"
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_at__isnull=True) | models.Q(withdrawn_at__isnull=True),
                name="dossier_file_one_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Dossier.objects.filter(pk=self.dossier_id).exclude(state=DossierState.DRAFT).exists():
            raise FrozenDossierError("The files of a frozen dossier never change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Dossier files are never deleted.")

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.withdrawn_at is None


class Receipt(models.Model):
    """The deposit receipt of a frozen dossier: the PDF and its hash (insert-only)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="receipt")
    storage_name = models.CharField(_("emplacement"), max_length=400, unique=True, editable=False)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("émis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("récépissé")
        verbose_name_plural = _("récépissés")

    def __str__(self) -> str:
        return f"Récépissé — {self.dossier}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise FrozenDossierError("A receipt never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Receipts are never deleted.")


class EvidenceDeclarationQuerySet(models.QuerySet["EvidenceDeclaration"]):
    def current(self) -> EvidenceDeclarationQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def update(self, **kwargs: Any) -> int:
        if self.exclude(dossier__state=DossierState.DRAFT).exists():
            raise FrozenDossierError("The declarations of a frozen dossier never change.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Evidence declarations are never deleted.")


class EvidenceDeclaration(models.Model):
    """One piece of evidence the candidate declares for an evidence requirement of the référentiel
    (``requirement``: its id, e.g. ``C2-supports`` or ``dep-situations``): where it is in the
    deposit (a file, a page range) and how many items it counts. Editable while the dossier is a
    draft, frozen with it; a withdrawn declaration is kept for the record."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="declarations")
    requirement = models.CharField(_("exigence du référentiel"), max_length=80)
    file = models.ForeignKey(
        DossierFile, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("fichier")
    )
    first_page = models.PositiveIntegerField(_("première page"), null=True, blank=True)
    last_page = models.PositiveIntegerField(_("dernière page"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("nombre d'éléments"), default=1)
    note = models.CharField(_("précision"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("déclaré le"), default=timezone.now)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = EvidenceDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("preuve déclarée")
        verbose_name_plural = _("preuves déclarées")
        ordering = ("requirement", "declared_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_page__isnull=True, last_page__isnull=True)
                | models.Q(
                    first_page__isnull=False, last_page__isnull=False, last_page__gte=models.F("first_page")
                ),
                name="evidence_declaration_page_range",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="evidence_declaration_count"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} — {self.file_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Dossier.objects.filter(pk=self.dossier_id).exclude(state=DossierState.DRAFT).exists():
            raise FrozenDossierError("The declarations of a frozen dossier never change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenDossierError("Evidence declarations are never deleted.")

    @property
    def pages_text(self) -> str:
        """« p. 3 », « p. 3–5 » or "" (the whole file)."""
        if self.first_page is None:
            return ""
        if self.first_page == self.last_page:
            return _("p. %(n)s") % {"n": self.first_page}
        return _("p. %(a)s–%(b)s") % {"a": self.first_page, "b": self.last_page}


# The peer review's models live in their own module (registered with the app from here).
from certeval.dossiers.peer_models import PeerFeedback, PeerInvitation  # noqa: E402, F401
