"""The growth chart: the five WHO lines and the child's points inside the plot, on the table
the child's age calls for (weight-for-height from two years), and none without a sex."""

import datetime as dt
from types import SimpleNamespace

from ponleu.nutrition.charts import growth_chart


def _row(day, age_days, weight=None, length=None, **scores):
    return SimpleNamespace(
        measured_on=day,
        age_days=age_days,
        weight_kg=weight,
        length_cm=length,
        implausible=scores.pop("implausible", []),
        wfa=scores.get("wfa"),
        lhfa=scores.get("lhfa"),
        wflh=scores.get("wflh"),
    )


def _inside(chart, x, y):
    return chart.left <= x <= chart.right and chart.top <= y <= chart.bottom


def test_weight_for_age_draws_five_lines_and_every_point_inside_the_plot():
    rows = [_row(dt.date(2026, m, 1), 30 * m, weight=3.5 + 0.6 * m, wfa=0.1) for m in range(1, 12)]
    chart = growth_chart("wfa", "F", rows)
    assert [label for label, *_ in chart.lines] == ["+3", "+2", "0", "-2", "-3"]
    assert len(chart.points) == 11
    assert all(_inside(chart, x, y) for x, y, *_ in chart.points)
    assert all(
        _inside(chart, float(p.split(",")[0]), float(p.split(",")[1]))
        for _l, path, *_ in chart.lines
        for p in path.split()
    )
    # Two years at least on the axis, in months.
    assert chart.x_ticks[-1][1] == 24


def test_the_median_lies_between_the_minus_two_and_plus_two_lines():
    chart = growth_chart("lhfa", "M", [_row(dt.date(2026, 1, 1), 400, length=75.0)])
    ends = {label: float(path.split()[-1].split(",")[1]) for label, path, *_ in chart.lines}
    # SVG y grows downwards: +3 is highest on the screen.
    assert ends["+3"] < ends["+2"] < ends["0"] < ends["-2"] < ends["-3"]


def test_weight_for_height_from_two_years_on_a_cm_axis():
    rows = [_row(dt.date(2026, 1, 1), 900, weight=11.0, length=84.0)]
    chart = growth_chart("wflh", "F", rows)
    labels = [float(label) for _x, label in chart.x_ticks]
    assert min(labels) >= 65  # the weight-for-height table starts at 65 cm
    assert len(chart.points) == 1


def test_an_implausible_point_is_drawn_flagged_and_no_chart_without_a_sex():
    rows = [_row(dt.date(2026, 1, 1), 300, weight=2.0, wfa=-9.0, implausible=["wfa"])]
    assert growth_chart("wfa", "F", rows).points[0][4] is True
    assert growth_chart("wfa", "U", rows) is None
