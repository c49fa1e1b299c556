from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "certeval.core"
    label = "core"
    verbose_name = _("Socle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from certeval.core import metrics
        from certeval.core.upload_storage import secure_media_root

        if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
            secure_media_root(settings.MEDIA_ROOT)
        # Sign-ins counted for /metrics (docs/deployment.md, « Monitoring »).
        user_logged_in.connect(metrics.login_succeeded, dispatch_uid="certeval.metrics.login")
        user_login_failed.connect(metrics.login_failed, dispatch_uid="certeval.metrics.login_failed")
