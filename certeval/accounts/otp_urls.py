"""``/comptes/second-facteur/`` (docs/security-2fa.md)."""

from django.urls import path

from certeval.accounts import otp_views

app_name = "accounts_otp"

urlpatterns = [
    path("", otp_views.manage, name="manage"),
    path("verifier/", otp_views.verify, name="verify"),
    path("application/", otp_views.totp_setup, name="totp"),
    path("codes-de-secours/", otp_views.recovery, name="recovery"),
    path("cle-d-acces/", otp_views.passkey, name="passkey"),
    path("supprimer/<slug:kind>/<int:pk>/", otp_views.remove, name="remove"),
    path("reinitialiser/", otp_views.reset, name="reset"),
]
