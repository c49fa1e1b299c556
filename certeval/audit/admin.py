"""The admin and the audit log: audited records are read-only there (their changes go through the
services, which write the audit rows), and the few models the admin may still edit (accounts)
record every edit in the audit log."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.accounts.reauth import require_recent_authentication
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


# Accounts are registered here, where their edits are audited (the accounts context is below the audit).
@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Accounts stay editable in the admin (staff rights, deactivation); every edit is audited."""

    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    @method_decorator(require_recent_authentication)
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        """Adding an account or changing one (its rights: staff, administrator, groups) is a role
        grant: it needs a recently confirmed password."""
        return super().changeform_view(request, object_id, form_url, extra_context)

    @method_decorator(require_recent_authentication)
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """The admin's password page saves without ``save_model``: audit it here (never the value)."""
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                if user is not None:
                    audit_record(
                        actor=cast(User, request.user),  # the admin site lets only active staff users in
                        action="admin.change",
                        target=user,
                        data={"fields": ["password"]},
                    )
        return response
