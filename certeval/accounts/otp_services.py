"""The second factor's write paths (docs/security-2fa.md): TOTP devices, recovery codes, passkeys,
verification after the password, removal with the password, and an administrator's reset.

Each action checks what it must, runs in one transaction and writes its audit row there. The devices
are django-otp's (``TOTPDevice``, ``StaticDevice`` for recovery codes) and django-otp-webauthn's
(``WebAuthnCredential``); throttling after wrong codes is django-otp's (1 s, 2 s, 4 s… per device).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import django_otp
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from certeval.accounts.hooks import account_event
from certeval.accounts.models import User

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
# The kinds of device a person manages, by the word in their URLs.
KINDS: dict[str, type[Device]] = {"totp": TOTPDevice, "recovery": StaticDevice, "passkey": WebAuthnCredential}


class SecondFactorError(Exception):
    """A refused second-factor action; the message is French and shown as it is."""


def confirmed_devices(user: User) -> list[Device]:
    """Every confirmed device of ``user``: authenticator apps, recovery codes, passkeys."""
    return list(django_otp.devices_for_user(user, confirmed=True))


def has_device(user: User) -> bool:
    return any(model.objects.filter(user=user, confirmed=True).exists() for model in KINDS.values())


def kind_of(device: Device) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(device, model))


def _audit(actor: User | None, person: User, *, action: str, refused: bool = False, **data: Any) -> None:
    account_event(action=action, request=None, actor=actor, person=person, refused=refused, data=data)


# --- authenticator app (TOTP) ---------------------------------------------------------------------


def totp_pending(user: User, device_id: int | None) -> TOTPDevice:
    """The unconfirmed authenticator-app device being set up (a new secret when there is none)."""
    if device_id is not None:
        found = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if found is not None:
            return found
    return TOTPDevice.objects.create(user=user, name=_("Application d'authentification"), confirmed=False)


def totp_confirm(request: HttpRequest, device: TOTPDevice, token: str) -> None:
    """Confirm a new authenticator app with a code it shows; the session is then verified."""
    user = request.user
    assert isinstance(user, User)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        throttled = _throttled_message([device])
        confirmed = not throttled and device.verify_token(_digits(token))
        if confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _audit(user, user, action="account.otp_device_add", device_kind="totp")
    if not confirmed:  # outside the transaction: the failure counts for the throttling
        raise SecondFactorError(
            throttled
            or _(
                "Ce code ne correspond pas : saisissez le code à 6 chiffres affiché maintenant par l'application."
            )
        )
    if not user.is_verified():  # type: ignore[attr-defined]
        django_otp.login(request, device)


def _digits(token: str) -> str:
    return "".join(token.split())


# --- recovery codes -----------------------------------------------------------------------------


def recovery_codes_generate(user: User) -> list[str]:
    """Ten new single-use recovery codes (the previous ones stop working), shown once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        _audit(user, user, action="account.recovery_codes_generate", count=RECOVERY_CODE_COUNT)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- verification after the password --------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery: bool


def _throttled_message(devices: list[Device]) -> str:
    """The French message when every device refuses to verify for now (django-otp's throttling)."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return ""
        until = (data or {}).get("locked_until")
        if until is not None:
            waits.append(until)
    if not waits:
        return ""
    seconds = max(1, math.ceil((min(waits) - timezone.now()).total_seconds()))
    return ngettext(
        "Trop de codes erronés : patientez %(seconds)d seconde avant de réessayer.",
        "Trop de codes erronés : patientez %(seconds)d secondes avant de réessayer.",
        seconds,
    ) % {"seconds": seconds}


def verify_code(request: HttpRequest, token: str) -> Verified:
    """Check a code from an authenticator app or a recovery code; the session is then verified.
    A wrong code is audited as a failure and throttled (each failure doubles the wait)."""
    user = request.user
    assert isinstance(user, User)
    token = _digits(token)
    with transaction.atomic():
        devices: list[Device] = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        devices += list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        throttled = _throttled_message(devices) if devices else ""
        match = None
        if token and not throttled:
            match = next((device for device in devices if device.verify_token(token)), None)
        if match is not None:
            recovery = isinstance(match, StaticDevice)
            if recovery:
                _audit(user, user, action="account.recovery_code_use", codes_left=recovery_codes_left(user))
    if match is None:
        with transaction.atomic():
            _audit(user, user, action="account.otp_failure", refused=True, device_kind="code")
        raise SecondFactorError(
            throttled
            or _(
                "Ce code n'est pas valable : saisissez le code à 6 chiffres de votre application ou un code de secours non utilisé."
            )
        )
    django_otp.login(request, match)
    return Verified(device=match, recovery=recovery)


# --- removal and reset --------------------------------------------------------------------------


def device_remove(request: HttpRequest, kind: str, pk: int, password: str) -> None:
    """Remove one of the person's devices after they typed their password again."""
    user = request.user
    assert isinstance(user, User)
    model = KINDS[kind]
    if not user.check_password(password):
        raise SecondFactorError(_("Mot de passe incorrect : l'appareil n'a pas été supprimé."))
    with transaction.atomic():
        device = model.objects.select_for_update().get(pk=pk, user=user)
        device.delete()
        _audit(user, user, action="account.otp_device_remove", device_kind=kind)


def devices_reset(actor: User, person: User) -> int:
    """An administrator removes every device of a person who lost theirs (audited): at their next
    sign-in they set up a new second factor. Returns the number of devices removed."""
    if not actor.is_superuser:
        raise SecondFactorError(
            _("Seul un administrateur peut réinitialiser le second facteur d'une personne.")
        )
    with transaction.atomic():
        removed = 0
        for model in KINDS.values():
            removed += model.objects.filter(user=person).delete()[1].get(model._meta.label, 0)
        _audit(actor, person, action="account.otp_reset", devices_removed=removed)
    return removed


def passkey_added(user: User) -> None:
    with transaction.atomic():
        _audit(user, user, action="account.otp_device_add", device_kind="passkey")


def passkey_failed(user: User) -> None:
    with transaction.atomic():
        _audit(user, user, action="account.otp_failure", refused=True, device_kind="passkey")
