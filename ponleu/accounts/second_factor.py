"""TOTP second factor (django-otp): enrolment with a QR code, verification, recovery codes."""

from __future__ import annotations

import io
import secrets

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.audit import services as audit
from ponleu.common.numerals import to_ascii_digits

from .choices import AccountAction
from .services import user_actor

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "phone"
RECOVERY_DEVICE_NAME = "recovery"


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (one at a time; a new visit reuses it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def svg_qr(text: str) -> str:
    """A QR code as inline SVG (no style attributes, so the strict CSP lets it render)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Inline in HTML the XML declaration is noise; the <svg> element is all the page needs.
    return svg[svg.index("<svg") :]


def qr_svg(device: TOTPDevice) -> str:
    return svg_qr(device.config_url)


def _recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def enrolment_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the phone with a first code; returns the new recovery codes, or None."""
    if not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes(user)
    audit.record(actor=user_actor(user), action=AccountAction.MFA_ENROLLED, target=user)
    return codes


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
