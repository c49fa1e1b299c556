"""django-otp-webauthn's passkey ceremonies (JSON endpoints its script calls), with Certeval's audit
rows: a passkey added, a passkey that failed to verify (docs/security-2fa.md). Passkeys are a second
factor only (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False``): the person signed in with the
password first."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views

from certeval.accounts import otp_services
from certeval.accounts.models import User
from certeval.accounts.otp_middleware import forget_status


class RegistrationBegin(views.BeginCredentialRegistrationView):
    pass


class RegistrationComplete(views.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        user = self.request.user
        if response.status_code == 200 and isinstance(user, User):
            otp_services.passkey_added(user)
            forget_status(self.request)
        return response


class AuthenticationBegin(views.BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(views.CompleteCredentialAuthenticationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            user = self.request.user
            if isinstance(user, User):
                otp_services.passkey_failed(user)
            raise
        forget_status(self.request)
        return response


app_name = "otp_webauthn"
urlpatterns = [
    path("inscription/debut/", RegistrationBegin.as_view(), name="credential-registration-begin"),
    path("inscription/fin/", RegistrationComplete.as_view(), name="credential-registration-complete"),
    path("verification/debut/", AuthenticationBegin.as_view(), name="credential-authentication-begin"),
    path("verification/fin/", AuthenticationComplete.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
