"""The second-factor pages under ``/comptes/second-facteur/`` (docs/security-2fa.md): the devices of
the signed-in person (authenticator app, passkeys, recovery codes), the verification after the
password, removal with the password, and an administrator's reset for a person who lost theirs."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from certeval.accounts import otp_services
from certeval.accounts.models import User
from certeval.accounts.otp_forms import CodeForm, PasswordConfirmForm, ResetForm, TotpConfirmForm
from certeval.accounts.otp_middleware import forget_status
from certeval.accounts.staff import is_staff_person

PENDING_TOTP_KEY = "certeval_totp_pending"
KIND_LABELS = {
    "totp": gettext_lazy("Application d'authentification"),
    "recovery": gettext_lazy("Codes de secours"),
    "passkey": gettext_lazy("Clé d'accès (passkey)"),
}


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _must_verify(request: HttpRequest) -> HttpResponse | None:
    """A person who has a device changes their devices only from a verified session."""
    if not request.user.is_verified() and otp_services.has_device(request.user):  # type: ignore[union-attr, arg-type]
        return HttpResponseRedirect(reverse("accounts_otp:verify") + "?next=" + request.path)
    return None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if (refused := _must_verify(request)) is not None:
        return refused
    user = _user(request)
    devices = [
        {"kind": kind, "label": str(KIND_LABELS[kind]), "device": device}
        for device in otp_services.confirmed_devices(user)
        for kind in [otp_services.kind_of(device)]
    ]
    return render(
        request,
        "accounts/otp/manage.html",
        {
            "devices": devices,
            "first_setup": not devices,
            "staff": is_staff_person(user, request),
            "recovery_left": otp_services.recovery_codes_left(user),
            "has_recovery": any(d["kind"] == "recovery" for d in devices),
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next(request))
    if not otp_services.has_device(user):
        return HttpResponseRedirect(reverse("accounts_otp:manage"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = otp_services.verify_code(request, form.cleaned_data["token"])
        except otp_services.SecondFactorError as error:
            form.add_error("token", str(error))
        else:
            forget_status(request)
            if verified.recovery:
                left = otp_services.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "Code de secours accepté : il ne servira plus. Il vous en reste %(left)d.",
                        "Code de secours accepté : il ne servira plus. Il vous en reste %(left)d.",
                        left,
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(_next(request))
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    has_code = (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )
    return render(
        request,
        "accounts/otp/verify.html",
        {"form": form, "next": _next(request), "has_passkey": has_passkey, "has_code": has_code},
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    if (refused := _must_verify(request)) is not None:
        return refused
    user = _user(request)
    device = otp_services.totp_pending(user, request.session.get(PENDING_TOTP_KEY))
    request.session[PENDING_TOTP_KEY] = device.pk
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_services.totp_confirm(request, device, form.cleaned_data["token"])
        except otp_services.SecondFactorError as error:
            form.add_error("token", str(error))
        else:
            request.session.pop(PENDING_TOTP_KEY, None)
            forget_status(request)
            messages.success(request, _("Application d'authentification enregistrée."))
            if otp_services.recovery_codes_left(user) == 0:
                messages.info(
                    request,
                    _("Créez maintenant vos codes de secours : ils servent si vous perdez votre téléphone."),
                )
                return HttpResponseRedirect(reverse("accounts_otp:recovery") + "?next=" + _next(request))
            return HttpResponseRedirect(_next(request))
    uri = device.config_url
    return render(
        request,
        "accounts/otp/totp_setup.html",
        {
            "form": form,
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            "uri": uri,
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    if (refused := _must_verify(request)) is not None:
        return refused
    user = _user(request)
    has_factor = TOTPDevice.objects.filter(user=user, confirmed=True).exists() or (
        WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )
    codes: list[str] = []
    if request.method == "POST":
        if not has_factor:
            messages.error(
                request, _("Ajoutez d'abord une application d'authentification ou une clé d'accès.")
            )
            return HttpResponseRedirect(reverse("accounts_otp:manage"))
        codes = otp_services.recovery_codes_generate(user)
        forget_status(request)
    return render(
        request,
        "accounts/otp/recovery.html",
        {
            "codes": codes,
            "left": otp_services.recovery_codes_left(user),
            "has_factor": has_factor,
            "next": _next(request),
        },
    )


@login_required
def passkey(request: HttpRequest) -> HttpResponse:
    if (refused := _must_verify(request)) is not None:
        return refused
    return render(request, "accounts/otp/passkey.html", {"next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if (refused := _must_verify(request)) is not None:
        return refused
    if kind not in otp_services.KINDS:
        raise Http404
    user = _user(request)
    device = get_object_or_404(otp_services.KINDS[kind], pk=pk, user=user, confirmed=True)
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_services.device_remove(request, kind, pk, form.cleaned_data["password"])
        except otp_services.SecondFactorError as error:
            form.add_error("password", str(error))
        else:
            forget_status(request)
            messages.success(request, _("Appareil supprimé."))
            return HttpResponseRedirect(reverse("accounts_otp:manage"))
    return render(
        request,
        "accounts/otp/remove.html",
        {
            "form": form,
            "device": device,
            "label": KIND_LABELS[kind],
            "last": len(otp_services.confirmed_devices(user)) == 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """An administrator removes every device of a person who lost theirs (audited)."""
    actor = _user(request)
    if not actor.is_superuser or not request.user.is_verified():  # type: ignore[union-attr]
        raise Http404
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"].strip()).first()
        if person is None:
            form.add_error("email", _("Aucun compte n'a cette adresse électronique."))
        elif person == actor:
            form.add_error("email", _("Supprimez vos propres appareils depuis la page « Second facteur »."))
        else:
            removed = otp_services.devices_reset(actor, person)
            messages.success(
                request,
                ngettext(
                    "%(count)d appareil supprimé pour %(person)s : un nouveau second facteur lui sera demandé à sa prochaine connexion.",
                    "%(count)d appareils supprimés pour %(person)s : un nouveau second facteur lui sera demandé à sa prochaine connexion.",
                    removed,
                )
                % {"count": removed, "person": person},
            )
            return HttpResponseRedirect(reverse("accounts_otp:reset"))
    return render(request, "accounts/otp/reset.html", {"form": form})
