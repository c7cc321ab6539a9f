"""The Child Status Index over time as inline SVG, drawn on the server (no script, no library).

Twelve small charts, one per domain, share a time axis from the first to the last assessment;
each plots the 1–4 scores. Colours and lines are SVG presentation attributes, which the strict
content-security policy allows (it forbids only ``style``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .choices import CSIDomain

WIDTH = 320
COLUMNS = 2
PANEL_W = 150
PANEL_H = 58
GAP_X = 20
ROW_H = 84
TOP = 22
# The PDF's shipped faces first; in a browser these fall through to the page's web font.
FONTS = "Ponleu Latin, Ponleu Khmer, Noto Sans Khmer, sans-serif"
COLOURS = {1: "#b3261e", 2: "#a4461c", 3: "#8a6d00", 4: "#176b37"}


def _x(day: dt.date, first: dt.date, last: dt.date, left: float) -> float:
    span = (last - first).days
    if span <= 0:
        return left + PANEL_W / 2
    return left + 6 + (PANEL_W - 12) * (day - first).days / span


def _y(score: int, top: float) -> float:
    return top + PANEL_H - 6 - (PANEL_H - 12) * (score - 1) / 3


def csi_chart(
    points: list[tuple[dt.date, dict]], *, labels: dict | None = None, title: str | None = None
) -> SafeString:
    """``points``: (assessment date, {domain code: score}) sorted by date; ``labels``: domain names."""
    if not points:
        return mark_safe("")
    domains = list(CSIDomain)
    rows = (len(domains) + COLUMNS - 1) // COLUMNS
    height = rows * ROW_H + 8
    first, last = points[0][0], points[-1][0]
    title = title or _("Child Status Index from %(first)s to %(last)s") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    parts = [
        f'<svg class="csi-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="csi-title" font-family="{FONTS}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="csi-title">{escape(title)}</title>',
    ]
    for index, domain in enumerate(domains):
        left = (index % COLUMNS) * (PANEL_W + GAP_X)
        top = (index // COLUMNS) * ROW_H + TOP
        label = f"{domain.value} {(labels or {}).get(domain.value) or domain.label}"
        parts.append(
            f'<text x="{left}" y="{top - 6}" font-size="10" fill="#1d2630">{escape(label[:30])}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{top}" width="{PANEL_W}" height="{PANEL_H}" fill="#fff" stroke="#d5dbe1"/>'
        )
        for score in (1, 2, 3, 4):
            y = _y(score, top)
            parts.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + PANEL_W}" y2="{y:.1f}" '
                f'stroke="#eef1f4" stroke-width="1"/>'
            )
        series = [(day, scores.get(domain.value)) for day, scores in points if scores.get(domain.value)]
        coords = [(_x(day, first, last, left), _y(int(score), top), int(score), day) for day, score in series]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _s, _d in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#55606b" stroke-width="1.5"/>')
        for x, y, score, day in coords:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[score]}">'
                f"<title>{escape(day.isoformat())}: {score}</title></circle>"
            )
        if coords:
            parts.append(
                f'<text x="{left + PANEL_W - 4}" y="{top + 12}" font-size="11" text-anchor="end" '
                f'font-weight="700" fill="{COLOURS[coords[-1][2]]}">{coords[-1][2]}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
