"""Charts drawn on the server as inline SVG: no script, no chart library, readable at 360 px.

Colours and lines are SVG presentation attributes, which the strict content-security policy
allows (it forbids only ``style``). Each chart has a title and the numbers are also in a table
on the page for screen readers.
"""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ponleu.common.numerals import to_khmer_digits

WIDTH, HEIGHT = 340, 170
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 12, 26
# Distinguishable in colour-blind vision and in grey: grades from light to dark.
PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
)


def format_date(day: dt.date, style: str = "short") -> str:
    """Day and month in the reader's language (Khmer digits in Khmer)."""
    language = (translation.get_language() or "km").split("-")[0]
    locale = {"km": "km_KH", "fr": "fr_FR"}.get(language, "en_GB")
    # Axis labels get the numeric day/month: Khmer month names do not fit under a narrow chart.
    skeleton = {"short": "dMMM", "axis": "dM"}.get(style)
    text = babel_dates.format_skeleton(skeleton, day, locale=locale) if skeleton else day.isoformat()
    return to_khmer_digits(text) if locale == "km_KH" else text


def grade_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _frame(title: str, body: list[str], ident: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped; numbers are formatted here
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}">{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _axis(max_value: float, label_first: str, label_last: str) -> list[str]:
    bottom = HEIGHT - BOTTOM
    out = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#8a949e" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#8a949e" stroke-width="1"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end" fill="#55606b">{escape(_num(max_value))}</text>',
        f'<text x="{LEFT - 4}" y="{bottom}" font-size="10" text-anchor="end" fill="#55606b">0</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10" fill="#55606b">{escape(label_first)}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" font-size="10" text-anchor="end" fill="#55606b">{escape(label_last)}</text>',
    ]
    return out


def _num(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or float(value).is_integer() else f"{value:.2f}"


def flags_by_grade(series: list[tuple[dt.date, dict]], grades: list[int], *, title: str) -> SafeString:
    """Stacked bars: flagged students per week, one colour per grade."""
    if not series:
        return mark_safe("")
    totals = [sum(counts.values()) for _, counts in series]
    top = max(max(totals), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(series)
    bar = max(1.0, step * 0.75)
    body = _axis(top, format_date(series[0][0], "axis"), format_date(series[-1][0], "axis"))
    for i, (period, counts) in enumerate(series):
        x = LEFT + i * step + (step - bar) / 2
        y = HEIGHT - BOTTOM
        for g, grade in enumerate(grades):
            n = counts.get(grade, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{grade_colour(g)}">'
                f"<title>{escape(format_date(period, 'short'))}: {n}</title></rect>"
            )
    return _frame(title, body, "flags-by-grade")


def risk_trend(points: list[tuple[dt.date, float, bool]], *, title: str, maximum: float = 1.0) -> SafeString:
    """A line of one student's risk (or rule index) week by week; flagged weeks are red dots."""
    if not points:
        return mark_safe("")
    top = max(maximum, max(v for _, v, _ in points), 1e-9)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def xy(day, value):
        x = LEFT + (plot_w * (day - first).days / span if len(points) > 1 else plot_w / 2)
        return x, HEIGHT - BOTTOM - plot_h * value / top

    coords = [xy(d, v) for d, v, _ in points]
    body = _axis(top, format_date(first, "axis"), format_date(last, "axis"))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    body.append(f'<polyline points="{path}" fill="none" stroke="#1a5fb4" stroke-width="2"/>')
    for (x, y), (day, value, flagged) in zip(coords, points, strict=True):
        colour = "#b3261e" if flagged else "#1a5fb4"
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(format_date(day, "short"))}: '
            f"{escape(_num(value))}</title></circle>"
        )
    return _frame(title, body, "risk-trend")


def swatch(colour: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the colour comes from PALETTE
        f'<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="{colour}"/></svg>'
    )
