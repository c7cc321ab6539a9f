"""The printable referral slip: the reference number in words and as a QR code, for a
provider that has no account on Ponleu (the family carries it; the provider writes back on it)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ponleu.common import clock


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def slip_html(referral, *, child: str, fonts: str, detail_url: str) -> str:
    return render_to_string(
        "referrals/referral_slip.html",
        {
            "referral": referral,
            "child": child,
            "fonts": mark_safe(fonts),  # noqa: S308 - our own @font-face rules, no user text
            "qr": mark_safe(qr_svg(referral.reference)),  # noqa: S308 - an SVG drawn by qrcode
            "printed_on": clock.today(),
            "detail_url": detail_url,
        },
    )
