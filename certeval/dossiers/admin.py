"""Dossiers, files and receipts are read-only in the admin: deposits go through the services,
and a frozen dossier never changes (the models refuse it anyway)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from certeval.audit.admin import ReadOnlyAdmin
from certeval.dossiers.models import Dossier, DossierFile, Receipt


class DossierFileInline(admin.TabularInline):
    model = DossierFile
    extra = 0
    fields = ("kind", "title", "name", "size", "sha256", "uploaded_at", "superseded_at", "withdrawn_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "state", "frozen_at", "frozen_reason")
    list_filter = ("state", "enrolment__campaign")
    search_fields = ("enrolment__candidate__birth_name", "enrolment__candidate__email")
    inlines = (DossierFileInline,)


@admin.register(DossierFile)
class DossierFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "dossier", "kind", "size", "sha256", "uploaded_at")
    list_filter = ("kind",)
    search_fields = ("name", "sha256")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "sha256", "created_at")
    search_fields = ("sha256",)
