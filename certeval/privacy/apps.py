from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (RGPD): notices, the register of processing, the person's rights, retention."""

    name = "certeval.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.accounts import account_page
        from certeval.privacy.account_entries import entries

        account_page.register(entries)
