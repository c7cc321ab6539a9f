"""TOTP second factor (django-otp): enrolment with a QR code, verification, recovery codes."""

from __future__ import annotations

import secrets

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ponleu.audit import services as audit
from ponleu.common.numerals import to_ascii_digits

from .actors import user_actor
from .choices import AccountAction
from .models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "phone"
RECOVERY_DEVICE_NAME = "recovery"
ENROLMENT_KEY_BYTES = 20


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_enrolment_key() -> str:
    """A fresh secret (hex) for one visit of the enrolment page.

    It lives in that visit's session until confirmed and is never stored before: a key shown
    on an earlier visit, or to anyone else who knew the password, never becomes the account's.
    """
    return random_hex(ENROLMENT_KEY_BYTES)


def enrolment_device(user, key: str) -> TOTPDevice:
    """The device ``key`` would become (unsaved): what the QR code and typed key show."""
    return TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=False)


def qr_modules(text: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of ``text``, quiet zone included."""
    code = qrcode.QRCode(border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def svg_qr(text: str) -> str:
    """A QR code as inline SVG (no style attributes, so the strict CSP lets it render).

    One path of horizontal runs in module units: a dense code (ODK Collect's settings) stays a
    few kilobytes, where one square per module in millimetres weighed 33 KB.
    """
    modules = qr_modules(text)
    runs = []
    for y, row in enumerate(modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    size = len(modules)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><path d="{"".join(runs)}"/></svg>'
    )


def qr_svg(device: TOTPDevice) -> str:
    return svg_qr(device.config_url)


def _recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def enrolment_confirm(*, user, key: str, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the key shown on this visit with a first code from the phone.

    Returns the new device and its recovery codes, or None if the code does not match (or
    another enrolment of this user finished first). The device replaces any older one.
    """
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    try:
        token = int(_digits(code))
    except ValueError:
        return None
    if not totp.verify(token, device.tolerance):
        return None
    # The code just used may not log in again (django-otp refuses steps up to last_t).
    device.last_t = totp.t()
    device.drift = totp.drift
    return _enrolment_save(user=user, device=device)


@transaction.atomic
def _enrolment_save(*, user, device: TOTPDevice) -> tuple[TOTPDevice, list[str]] | None:
    User.objects.select_for_update().filter(pk=user.pk).first()
    if has_second_factor(user):
        # Someone finished enrolling in between (another browser with the same password):
        # replacing a confirmed phone takes proving it, not a stale enrolment page.
        return None
    replaced, _by_model = TOTPDevice.objects.filter(user=user).delete()
    device.save()
    codes = _recovery_codes(user)
    audit.record(
        actor=user_actor(user),
        action=AccountAction.MFA_ENROLLED,
        target=user,
        changes={"authenticators": [replaced, 1]},
    )
    return device, codes


def verify(user, code: str):
    """The device that accepts ``code`` (TOTP first, then a single-use recovery code)."""
    code = _digits(code)
    device = confirmed_totp(user)
    if device is not None and device.verify_is_allowed()[0] and device.verify_token(code):
        return device
    static = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).first()
    if static is not None and static.verify_is_allowed()[0] and static.verify_token(code.lower()):
        audit.record(actor=user_actor(user), action=AccountAction.RECOVERY_CODE_USED, target=user)
        return static
    return None


def _digits(code: str) -> str:
    return to_ascii_digits(code).strip().replace(" ", "")
