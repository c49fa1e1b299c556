from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from certeval.audit.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Insert-only records: visible in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "outcome", "actor", "target_type", "target_id")
    list_filter = ("outcome", "target_type", "action")
    search_fields = ("action", "target_id", "actor__email", "message")
    date_hierarchy = "at"
