from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "certeval.audit"
    label = "audit"
    verbose_name = _("Journal d'audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.accounts.otp_events import register_recorder
        from certeval.audit.account_events import record_account_event

        register_recorder(record_account_event)
