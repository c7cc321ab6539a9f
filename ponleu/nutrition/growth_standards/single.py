"""``assess``: one child's measurement, computed with plain Python arithmetic.

It follows the same rules as ``assess_many`` but row by row, so that the two implementations check
each other (tests/test_agreement.py) and the benchmark has a per-row reference.
"""

from __future__ import annotations

import math

from . import rules
from .assessment import Assessment, Measurement
from .classify import FINDINGS, findings
from .lms import z_scalar
from .tables import FEMALE, MALE, LmsTable, table

_NAN = math.nan


def _positive(value: float | None) -> float:
    return float(value) if value is not None and value > 0 else _NAN


def _by_day(name: str, y: float, sex: int, day: int, restricted: bool) -> float:
    tab = table(name)
    return z_scalar(y, float(tab.l[sex, day]), float(tab.m[sex, day]), float(tab.s[sex, day]), restricted)


def _interpolated(tab: LmsTable, sex: int, position: float) -> tuple[float, float, float]:
    position = min(position, tab.rows - 1)  # the last row's values hold past it (rules.py)
    low = min(max(math.floor(position), 0), tab.rows - 2)
    fraction = position - low
    values = []
    for array in (tab.l, tab.m, tab.s):
        below = float(array[sex, low])
        values.append(below + fraction * (float(array[sex, low + 1]) - below))
    return values[0], values[1], values[2]


def _by_month(name: str, y: float, sex: int, months: float, restricted: bool) -> float:
    tab = table(name)
    return z_scalar(y, *_interpolated(tab, sex, months - tab.x0), restricted)


def _by_length(name: str, weight: float, sex: int, length: float) -> float:
    tab = table(name)
    return z_scalar(weight, *_interpolated(tab, sex, length * 10 - tab.x0 * 10), True)


def _z_scores(m: Measurement, sex: int, age: int, clenhei: float, bmi: float) -> dict[str, float]:
    weight = _positive(m.weight_kg)
    dry = not m.oedema
    z = dict.fromkeys(rules.INDICATORS, _NAN)
    months = age / rules.DAYS_PER_MONTH
    if 0 <= age <= rules.STANDARDS_LAST_DAY:
        z["lhfa"] = _by_day("lhfa", clenhei, sex, age, False)
        if age >= rules.MUAC_FIRST_DAY:
            z["muacfa"] = _by_day("muacfa", _positive(m.muac_mm) / 10, sex, age, True)
        if dry:
            z["wfa"] = _by_day("wfa", weight, sex, age, True)
            z["bmifa"] = _by_day("bmifa", bmi, sex, age, True)
            if age < rules.LYING_UNDER_DAYS and rules.WFL_CM[0] <= clenhei <= rules.WFL_CM[1]:
                z["wflh"] = _by_length("wfl", weight, sex, clenhei)
            elif age >= rules.LYING_UNDER_DAYS and rules.WFH_CM[0] <= clenhei <= rules.WFH_CM[1]:
                z["wflh"] = _by_length("wfh", weight, sex, clenhei)
    elif rules.REFERENCES_FIRST_MONTH <= months < rules.REFERENCES_END_MONTH:
        z["lhfa"] = _by_month("hfa_2007", clenhei, sex, months, False)
        if dry:
            z["bmifa"] = _by_month("bmifa_2007", bmi, sex, months, True)
            if months < rules.REFERENCES_WFA_END_MONTH:
                z["wfa"] = _by_month("wfa_2007", weight, sex, months, True)
    return z


def assess(m: Measurement) -> Assessment:
    """z-scores, implausible flags and findings of one measurement (see the package docstring)."""
    sex = {"M": MALE, "m": MALE, "F": FEMALE, "f": FEMALE}.get(m.sex)
    if sex is None:
        raise ValueError(f"sex must be 'M' or 'F', not {m.sex!r}")
    age = math.floor(m.age_days + 0.5)
    length = _positive(m.length_cm)
    if m.measured_lying is False and age < rules.LYING_UNDER_DAYS:
        length += rules.LYING_STANDING_CM
    elif m.measured_lying is True and age >= rules.LYING_UNDER_DAYS:
        length -= rules.LYING_STANDING_CM
    weight = _positive(m.weight_kg)
    bmi = weight / (length / 100) ** 2
    z = _z_scores(m, sex, age, length, bmi) if age >= 0 else dict.fromkeys(rules.INDICATORS, _NAN)
    # NaN fails both comparisons, so an indicator WHO does not score is never flagged.
    implausible = frozenset(
        name
        for name, (low, high) in rules.IMPLAUSIBLE.items()
        if (round(z[name], 2) < low) | (round(z[name], 2) > high)
    )
    found = findings(age, z, _positive(m.muac_mm), bool(m.oedema))
    return Assessment(
        **{name: (None if math.isnan(value) else value) for name, value in z.items()},
        implausible=implausible,
        findings=frozenset(name for name in FINDINGS if found[name]),
        clenhei=None if math.isnan(length) else length,
        bmi=None if math.isnan(bmi) else bmi,
    )
