"""The WHO curves for growth charts: a point on the curve at z is scored z by ``assess``."""

from __future__ import annotations

import pytest

from ponleu.nutrition.growth_standards import Measurement, assess, curve


def test_median_weight_for_age_starts_at_birth():
    points = curve("wfa", "M", 0)
    assert points[0] == (0.0, pytest.approx(3.3464))
    assert points[1856][0] == 1856.0
    # then the 2007 references, monthly from 61 to 120 months, in days
    assert points[1857][0] == pytest.approx(61 * 30.4375)
    assert points[-1][0] == pytest.approx(120 * 30.4375)
    assert len(points) == 1857 + 60


def test_muac_curve_in_millimetres_from_three_months():
    first_day, median = curve("muacfa", "F", 0)[0]
    assert first_day == 91.0
    assert 120 < median < 150


def test_curves_are_ordered_by_z():
    low, median, high = (curve("lhfa", "F", z) for z in (-2, 0, 2))
    assert all(a[1] < b[1] < c[1] for a, b, c in zip(low, median, high, strict=True))


@pytest.mark.parametrize("z", [-4.0, -3.0, -2.0, 0.0, 1.0, 3.0, 4.5])
def test_a_point_on_the_curve_scores_its_z(z):
    for x, weight in curve("wfa", "F", z)[::300]:
        assert assess(Measurement("F", int(x), weight_kg=weight)).wfa == pytest.approx(z, abs=1e-9)
    for x, muac_mm in curve("muacfa", "M", z)[::300]:
        assert assess(Measurement("M", int(x), muac_mm=muac_mm)).muacfa == pytest.approx(z, abs=1e-9)
    for length, weight in curve("wflh", "M", z)[::50]:
        a = assess(Measurement("M", 400, weight_kg=weight, length_cm=length))
        assert a.wflh == pytest.approx(z, abs=1e-9)
    for height, weight in curve("wflh", "F", z, age_days=1000)[::50]:
        a = assess(Measurement("F", 1000, weight_kg=weight, length_cm=height))
        assert a.wflh == pytest.approx(z, abs=1e-9)


def test_weight_for_length_or_height_by_age():
    assert curve("wflh", "F", 0)[0][0] == 45.0
    assert curve("wflh", "F", 0)[-1][0] == 110.0
    assert curve("wflh", "F", 0, age_days=731)[0][0] == 65.0
    assert curve("wfh", "F", 0)[-1][0] == 120.0


def test_unknown_indicator_or_sex():
    with pytest.raises(ValueError, match="indicator"):
        curve("hcfa", "F", 0)
    with pytest.raises(ValueError, match="sex"):
        curve("wfa", "x", 0)
