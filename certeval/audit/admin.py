"""The admin and the audit log: audited records are read-only there (their changes go through the
services, which write the audit rows), and the few models the admin may still edit (accounts)
record every edit in the audit log."""

from typing import Any, cast

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.audit.services import audit_record


class ReadOnlyAdmin(admin.ModelAdmin):
    """Insert-only records, or records changed only by the services: visible in the admin, never
    added, changed or deleted there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made in the admin writes an audit row (``admin.add``,
    ``admin.change``, ``admin.delete``) with the names of the changed fields (never their values:
    a password hash stays out of the log). The admin saves inside a transaction, so the row and
    the change commit together."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=cast(User, request.user),  # the admin site lets only active staff users in
            action="admin.change" if change else "admin.add",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    @staticmethod
    def _record_deletion(request: HttpRequest, obj: Any) -> None:
        """The row names the deleted object in its data; it does not point at it (the row would
        protect it from the deletion)."""
        itself: dict[str, Any] = {
            column: None
            for column, label in (("person", "accounts.user"), ("campaign", "campaigns.campaign"))
            if obj._meta.label_lower == label
        }
        audit_record(
            actor=cast(User, request.user),  # the admin site lets only active staff users in
            action="admin.delete",
            target=obj,
            data={"object": str(obj)},
            **itself,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # The « delete selected » action runs outside the admin's transactions: open one.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "outcome", "actor", "target_type", "target_id", "campaign", "person")
    list_filter = ("outcome", "target_type", "action")
    search_fields = ("action", "target_id", "actor__email", "person__email", "message")
    date_hierarchy = "at"
