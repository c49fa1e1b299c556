from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "certeval.accounts"
    label = "accounts"
    verbose_name = _("Comptes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from certeval.accounts.reauth import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="certeval.accounts.reauth.on_sign_in")
