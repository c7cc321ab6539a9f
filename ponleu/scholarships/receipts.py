"""Payment receipts in Khmer, one A6 page each, printed as one PDF for a period (WeasyPrint with
the Khmer fonts, as the referral slip)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ponleu.common import clock


def receipts_html(rows, *, scheme, fonts: str) -> str:
    """``rows``: (payment, the child's name as the actor may see it)."""
    return render_to_string(
        "scholarships/receipts.html",
        {
            "rows": rows,
            "scheme": scheme,
            "fonts": mark_safe(fonts),  # noqa: S308 - our own @font-face rules, no user text
            "printed_on": clock.today(),
        },
    )
