"""The table edges: birth, the last day of the 2006 standards, the first month of the 2007
references, 19 years, the weight-for-length/height limits and the lying/standing correction.

Expected values come from the vendored CSVs read here independently (csv module, the LMS formula
written out), or from WHO's own published output where WHO gives one.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from ponleu.nutrition.growth_standards import Measurement, assess, assess_many
from ponleu.nutrition.growth_standards.tables import TABLE_DIR


def _row(file_name: str, sex: str, x: float) -> tuple[float, float, float]:
    with open(TABLE_DIR / file_name, newline="", encoding="ascii") as handle:
        for row in csv.reader(handle):
            if row[0] == sex and math.isclose(float(row[1]), x):
                return float(row[2]), float(row[3]), float(row[4])
    raise LookupError((file_name, sex, x))


def _at(z: float, lms: tuple[float, float, float]) -> float:
    """The measurement at z SD (|z| <= 3)."""
    l, m, s = lms  # noqa: E741
    return m * (1 + l * s * z) ** (1 / l)


def _z(y: float, lms: tuple[float, float, float]) -> float:
    l, m, s = lms  # noqa: E741
    return ((y / m) ** l - 1) / (l * s)


def _months_lms(file_name: str, sex: str, age_days: int) -> tuple[float, float, float]:
    months = age_days / 30.4375
    low = math.floor(months)
    below, above = _row(file_name, sex, low), _row(file_name, sex, low + 1)
    return tuple(b + (months - low) * (a - b) for b, a in zip(below, above, strict=True))


def test_day_zero():
    lms = _row("who2006_wfa_by_day.csv", "M", 0)
    length = _row("who2006_lhfa_by_day.csv", "M", 0)
    a = assess(Measurement("M", 0, weight_kg=_at(-1.5, lms), length_cm=_at(1.0, length)))
    assert a.wfa == pytest.approx(-1.5, abs=1e-9)
    assert a.lhfa == pytest.approx(1.0, abs=1e-9)
    assert a.bmifa is not None
    assert a.wflh is not None
    assert a.muacfa is None  # MUAC-for-age starts at 91 days


def test_muac_for_age_from_day_91():
    lms = _row("who2006_muacfa_by_day.csv", "F", 91)
    assert assess(Measurement("F", 90, muac_mm=120)).muacfa is None
    assert assess(Measurement("F", 91, muac_mm=_at(0.5, lms) * 10)).muacfa == pytest.approx(0.5, abs=1e-9)


def test_day_1856_is_the_last_of_the_2006_standards():
    wfa = _row("who2006_wfa_by_day.csv", "F", 1856)
    a = assess(Measurement("F", 1856, weight_kg=_at(-2.5, wfa), length_cm=108.0, muac_mm=150))
    assert a.wfa == pytest.approx(-2.5, abs=1e-9)
    assert a.wflh is not None
    assert a.muacfa is not None


def test_61_months_moves_to_the_2007_references():
    # 1,857 days are 61.01 months: the references, interpolated between 61 and 62 months.
    age = 1857
    wfa = _months_lms("who2007_wfa_by_month.csv", "M", age)
    hfa = _months_lms("who2007_hfa_by_month.csv", "M", age)
    bmi = _months_lms("who2007_bmifa_by_month.csv", "M", age)
    height = _at(-2.2, hfa)
    weight = _at(0.4, wfa)
    a = assess(Measurement("M", age, weight_kg=weight, length_cm=height, muac_mm=160))
    assert a.lhfa == pytest.approx(-2.2, abs=1e-9)
    assert a.wfa == pytest.approx(0.4, abs=1e-9)
    assert a.bmifa == pytest.approx(_z(weight / (height / 100) ** 2, bmi), abs=1e-9)
    assert a.wflh is None
    assert a.muacfa is None
    assert "stunting" in a.findings


def test_the_standards_and_the_references_join_at_five_years():
    before = assess(Measurement("F", 1856, weight_kg=17.0, length_cm=108.0))
    after = assess(Measurement("F", 1857, weight_kg=17.0, length_cm=108.0))
    for indicator in ("wfa", "lhfa", "bmifa"):
        assert abs(getattr(before, indicator) - getattr(after, indicator)) < 0.1


def test_weight_for_age_of_the_references_ends_at_121_months():
    # 121 months = 3,682.9 days; WHO's Stata output scores 120-121 months with the 120-month row.
    lms = _row("who2007_wfa_by_month.csv", "F", 120)
    assert assess(Measurement("F", 3682, weight_kg=_at(1.0, lms))).wfa == pytest.approx(1.0, abs=1e-9)
    assert assess(Measurement("F", 3683, weight_kg=30.0)).wfa is None


def test_nineteen_years():
    # 228 months (19 years) = 6,939.75 days; WHO's macros score up to, not including, 229 months.
    for age in (6939, 6940, 6970):
        lms = (
            _months_lms("who2007_hfa_by_month.csv", "M", age)
            if age < 6940
            else _row("who2007_hfa_by_month.csv", "M", 228)
        )
        a = assess(Measurement("M", age, weight_kg=60.0, length_cm=_at(-3.5, lms)))
        assert a.lhfa == pytest.approx(-3.5, abs=1e-9)
        assert a.bmifa is not None
        assert a.wfa is None
        assert "severe_stunting" in a.findings
    a = assess(Measurement("M", 6971, weight_kg=60.0, length_cm=170.0))
    assert (a.lhfa, a.bmifa, a.wfa) == (None, None, None)


@pytest.mark.parametrize(
    ("age", "file_name", "limits"),
    [(400, "who2006_wfl_by_length.csv", (45.0, 110.0)), (900, "who2006_wfh_by_height.csv", (65.0, 120.0))],
)
def test_weight_for_length_height_at_the_table_limits(age, file_name, limits):
    low, high = limits
    for edge in (low, high):
        lms = _row(file_name, "F", edge)
        a = assess(Measurement("F", age, weight_kg=_at(-1.0, lms), length_cm=edge))
        assert a.wflh == pytest.approx(-1.0, abs=1e-9)
    assert assess(Measurement("F", age, weight_kg=10.0, length_cm=round(low - 0.1, 1))).wflh is None
    assert assess(Measurement("F", age, weight_kg=10.0, length_cm=round(high + 0.1, 1))).wflh is None
    # Between two 0.1 cm rows L, M and S are interpolated linearly, as WHO does.
    below, above = _row(file_name, "F", low + 10), _row(file_name, "F", low + 10.1)
    middle = tuple(b + 0.3 * (a - b) for b, a in zip(below, above, strict=True))
    a = assess(Measurement("F", age, weight_kg=_at(2.0, middle), length_cm=low + 10.03))
    assert a.wflh == pytest.approx(2.0, abs=1e-6)


def test_lying_standing_correction():
    def clenhei(age, lying):
        return assess(Measurement("M", age, weight_kg=11.0, length_cm=80.0, measured_lying=lying)).clenhei

    assert clenhei(730, False) == pytest.approx(80.7)  # standing under two: +0.7
    assert clenhei(730, True) == pytest.approx(80.0)
    assert clenhei(730, None) == pytest.approx(80.0)
    assert clenhei(731, True) == pytest.approx(79.3)  # lying from two: -0.7
    assert clenhei(731, False) == pytest.approx(80.0)
    assert clenhei(731, None) == pytest.approx(80.0)
    # BMI and the z-scores use the corrected value.
    lying = assess(Measurement("M", 731, weight_kg=11.0, length_cm=80.0, measured_lying=True))
    standing = assess(Measurement("M", 731, weight_kg=11.0, length_cm=79.3, measured_lying=False))
    assert lying.bmi == pytest.approx(11.0 / 0.793**2)
    assert (lying.lhfa, lying.wflh, lying.bmifa) == pytest.approx(
        (standing.lhfa, standing.wflh, standing.bmifa)
    )
    # The correction can take a child off the table: 65.5 cm lying at two is 64.8 cm standing.
    assert assess(Measurement("M", 800, weight_kg=7.0, length_cm=65.5, measured_lying=True)).wflh is None
    assert assess(Measurement("M", 800, weight_kg=7.0, length_cm=65.5, measured_lying=False)).wflh is not None
    many = assess_many(["M"] * 4, [730, 730, 731, 731], 11.0, 80.0, [0.0, None, 1.0, np.nan], None, None)
    assert many["clenhei"] == pytest.approx([80.7, 80.0, 79.3, 80.0])


def test_oedema_leaves_out_the_weight_based_scores():
    a = assess(Measurement("F", 500, weight_kg=8.0, length_cm=75.0, muac_mm=130, oedema=True))
    assert (a.wfa, a.wflh, a.bmifa) == (None, None, None)
    assert a.lhfa is not None
    assert a.muacfa is not None
    assert "sam" in a.findings


def test_restricted_application_beyond_three_sd():
    lms = _row("who2006_wfa_by_day.csv", "M", 365)
    sd2, sd3 = _at(2, lms), _at(3, lms)
    a = assess(Measurement("M", 365, weight_kg=sd3 + 1.5 * (sd3 - sd2)))
    assert a.wfa == pytest.approx(4.5, abs=1e-9)
    assert _z(sd3 + 1.5 * (sd3 - sd2), lms) != pytest.approx(4.5, abs=0.01)  # the plain formula differs
    sd2, sd3 = _at(-2, lms), _at(-3, lms)
    assert assess(Measurement("M", 365, weight_kg=sd3 - 0.5 * (sd2 - sd3))).wfa == pytest.approx(
        -3.5, abs=1e-9
    )
    # Length-for-age is not restricted.
    length = _row("who2006_lhfa_by_day.csv", "M", 365)
    assert assess(Measurement("M", 365, length_cm=_at(4.5, length))).lhfa == pytest.approx(4.5, abs=1e-9)


def test_implausible_flags_at_whos_limits():
    lms = _row("who2006_lhfa_by_day.csv", "F", 600)
    assert assess(Measurement("F", 600, length_cm=_at(-6.004, lms))).implausible == frozenset()
    assert assess(Measurement("F", 600, length_cm=_at(-6.006, lms))).implausible == {"lhfa"}
    assert assess(Measurement("F", 600, length_cm=_at(6.006, lms))).implausible == {"lhfa"}
    wfa = _row("who2006_wfa_by_day.csv", "F", 600)
    sd2, sd3 = _at(2, wfa), _at(3, wfa)
    assert assess(Measurement("F", 600, weight_kg=sd3 + 2.004 * (sd3 - sd2))).implausible == frozenset()
    assert assess(Measurement("F", 600, weight_kg=sd3 + 2.006 * (sd3 - sd2))).implausible == {"wfa"}


def test_whos_anthro_package_example_with_its_flags():
    """The example of WHO's R package anthro (README of WorldHealthOrganization/anthro)."""
    result = assess_many(
        [1, 2, 1, 1], [1001, 1000, 1010, 1000], [18, 15, 10, 15], [120, 80, 100, 100], None, None, None
    )
    expected = {
        "lhfa": [7.31, -3.50, 1.62, 1.70],
        "wfa": [2.20, 0.95, -2.76, 0.69],
        "wflh": [-2.39, 4.13, -5.19, -0.29],
        "bmifa": [-3.01, 4.66, -5.61, -0.58],
    }
    flags = {"lhfa": [1, 0, 0, 0], "wfa": [0, 0, 0, 0], "wflh": [0, 0, 1, 0], "bmifa": [0, 0, 1, 0]}
    for indicator, values in expected.items():
        assert np.abs(result[indicator] - values).max() <= 0.005 + 1e-9
        assert result[f"implausible_{indicator}"].tolist() == [bool(f) for f in flags[indicator]]


def test_missing_and_unknown_values_are_not_scored():
    a = assess(Measurement("F", 400))
    assert (a.wfa, a.lhfa, a.wflh, a.bmifa, a.muacfa) == (None,) * 5
    assert a.findings == frozenset()
    assert a.implausible == frozenset()
    result = assess_many(["X", "F"], [400, -1], 9.0, 75.0, None, 130.0, False)
    for indicator in ("wfa", "lhfa", "wflh", "bmifa", "muacfa"):
        assert np.isnan(result[indicator]).all()
    with pytest.raises(ValueError, match="sex"):
        assess(Measurement("X", 400, weight_kg=9.0))
