"""A child's growth chart, drawn on the server as SVG: the WHO curves at −3, −2, 0, +2 and +3
z-scores and the child's points, sized for a 360 px phone (the viewBox scales to the screen).

The drawing is plain numbers handed to a template (``nutrition/_chart.html``), so every label
goes through the template's escaping and translation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .growth_standards import curve

LINES = (3, 2, 0, -2, -3)
WIDTH, HEIGHT = 360, 300
LEFT, RIGHT, TOP, BOTTOM = 38, 28, 12, 34
DAYS_PER_MONTH = 30.4375
# Age charts run to five years (the WHO standards) unless the child is older.
FIVE_YEARS = 1856
# Points drawn per curve: enough for a smooth line, little enough for a phone.
CURVE_POINTS = 80

TITLES = {
    "wfa": _("Weight-for-age"),
    "lhfa": _("Length/height-for-age"),
    "wflh": _("Weight-for-length/height"),
}
Y_LABELS = {"wfa": _("Weight (kg)"), "lhfa": _("Length/height (cm)"), "wflh": _("Weight (kg)")}


@dataclass
class Chart:
    indicator: str
    title: object
    x_label: object
    y_label: object
    lines: list = field(default_factory=list)  # (z, "x,y x,y ...", label x, label y, css class)
    points: list = field(default_factory=list)  # (x, y, z-score or None, day, flagged)
    trail: str = ""
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _value(measurement, indicator: str):
    if indicator == "wfa":
        return measurement.age_days, measurement.weight_kg
    if indicator == "lhfa":
        return measurement.age_days, measurement.length_cm
    return measurement.length_cm, measurement.weight_kg


def _thin(points, limit: int = CURVE_POINTS):
    step = max(1, len(points) // limit)
    kept = points[::step]
    if points and kept[-1] != points[-1]:
        kept.append(points[-1])
    return kept


def _nice_step(span: float, ticks: int = 6) -> float:
    raw = span / ticks
    for step in (0.5, 1, 2, 5, 10, 20, 25, 50):
        if step >= raw:
            return step
    return 100


def growth_chart(indicator: str, sex: str, measurements) -> Chart | None:
    """The chart of ``indicator`` for a child of ``sex`` with ``measurements`` (oldest first);
    None when the child's sex has no standard."""
    if sex not in ("M", "F") or indicator not in TITLES:
        return None
    by_age = indicator != "wflh"
    mine = [
        (float(x), float(y), m)
        for m in measurements
        for x, y in [_value(m, indicator)]
        if x is not None and y is not None
    ]
    # Weight-for-length under two years, weight-for-height after: the table of the newest age.
    newest = max((m.age_days for m in measurements), default=0)
    curves = {
        z: [
            (float(x), float(v)) for x, v in curve(indicator, sex, z, age_days=newest if not by_age else None)
        ]
        for z in LINES
    }
    if not curves[0]:
        return None
    if by_age:
        oldest = max((x for x, _y, _m in mine), default=0)
        # Two years at least, five while the child is under five, then as far as they are.
        x_high = (
            24 * DAYS_PER_MONTH
            if oldest < 610
            else float(FIVE_YEARS)
            if oldest < FIVE_YEARS - 60
            else oldest + 120
        )
        x_low = 0.0
    else:
        xs = [x for x, _y, _m in mine] or [curves[0][0][0], curves[0][-1][0]]
        x_low, x_high = max(curves[0][0][0], min(xs) - 10), min(curves[0][-1][0], max(xs) + 10)
        if x_high - x_low < 20:
            x_high = min(curves[0][-1][0], x_low + 20)
    curves = {z: _thin([(x, v) for x, v in points if x_low <= x <= x_high]) for z, points in curves.items()}
    ys = [v for points in curves.values() for _x, v in points] + [y for _x, y, _m in mine]
    if not ys:
        return None
    y_low, y_high = min(ys), max(ys)
    pad = (y_high - y_low) * 0.05 or 1
    y_low, y_high = max(0.0, y_low - pad), y_high + pad
    chart = Chart(
        indicator=indicator,
        title=TITLES[indicator],
        x_label=_("Age (months)") if by_age else _("Length/height (cm)"),
        y_label=Y_LABELS[indicator],
    )

    def sx(x):
        return round(chart.left + (x - x_low) / (x_high - x_low) * (chart.right - chart.left), 1)

    def sy(y):
        return round(chart.bottom - (y - y_low) / (y_high - y_low) * (chart.bottom - chart.top), 1)

    for z, points in curves.items():
        if not points:
            continue
        path = " ".join(f"{sx(x)},{sy(v)}" for x, v in points)
        label = "0" if z == 0 else f"{z:+d}"
        css = "median" if z == 0 else "severe" if abs(z) == 3 else "moderate"
        chart.lines.append((label, path, chart.right + 3, sy(points[-1][1]) + 3, css))
    for x, y, measurement in mine:
        if not (x_low <= x <= x_high):
            continue
        score = getattr(measurement, indicator, None)
        flagged = indicator in (measurement.implausible or [])
        chart.points.append((sx(x), sy(y), score, measurement.measured_on, flagged))
    chart.trail = " ".join(f"{x},{y}" for x, y, *_rest in chart.points)
    if by_age:
        months = (x_high - x_low) / DAYS_PER_MONTH
        step = 3 if months <= 24 else 6 if months <= 60 else 12
        chart.x_ticks = [(sx(m * DAYS_PER_MONTH), m) for m in range(0, int(months) + 1, step)]
    else:
        step = _nice_step(x_high - x_low)
        first = int(x_low // step + 1) * step
        chart.x_ticks = [(sx(v), f"{v:g}") for v in _frange(first, x_high, step)]
    step = _nice_step(y_high - y_low)
    first = int(y_low // step + 1) * step
    chart.y_ticks = [(sy(v), f"{v:g}") for v in _frange(first, y_high, step)]
    return chart


def _frange(start: float, stop: float, step: float):
    value = start
    while value <= stop + 1e-9:
        yield value
        value += step
