"""The WHO curves at a given z, for drawing growth charts."""

from __future__ import annotations

import numpy as np

from . import rules
from .lms import curve_value
from .tables import FEMALE, MALE, LmsTable, table

# indicator -> (the 0-5 table, the 5-19 table or None); x of the curve is age in days.
_BY_AGE = {
    "wfa": ("wfa", "wfa_2007"),
    "lhfa": ("lhfa", "hfa_2007"),
    "bmifa": ("bmifa", "bmifa_2007"),
    "muacfa": ("muacfa", None),
}


def _values(tab: LmsTable, sex: int, z: float, restricted: bool) -> np.ndarray:
    l, m, s = tab.l[sex], tab.m[sex], tab.s[sex]  # noqa: E741
    if not restricted or abs(z) <= 3:
        return curve_value(z, l, m, s)
    # Beyond 3 SD the restricted method measures in steps of the 2-3 SD gap (see lms.py).
    sign = 1.0 if z > 0 else -1.0
    sd3 = curve_value(3 * sign, l, m, s)
    sd2 = curve_value(2 * sign, l, m, s)
    return sd3 + (z - 3 * sign) * np.abs(sd3 - sd2)


def curve(indicator: str, sex: str, z: float, *, age_days: int | None = None) -> list[tuple[float, float]]:
    """Points (x, measurement) of the WHO curve at ``z`` SD, in the table's own steps.

    For wfa, lhfa, bmifa and muacfa x is the age in days: daily from the 2006 standards (0-1,856
    days; MUAC from 91), then monthly from the 2007 references (61-228 months, weight to 120
    months) at ``month * 30.4375`` days; MUAC in mm, as measured. For "wflh" x is the length or height in cm: the
    weight-for-length curve (45-110 cm), or the weight-for-height curve (65-120 cm) when
    ``age_days`` is 731 or more; "wfl" and "wfh" name either curve directly.
    """
    sex_index = {"M": MALE, "F": FEMALE}.get(sex)
    if sex_index is None:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if indicator == "wflh":
        indicator = "wfh" if age_days is not None and age_days >= rules.LYING_UNDER_DAYS else "wfl"
    if indicator in ("wfl", "wfh"):
        tab = table(indicator)
        return _points(tab.xs(), _values(tab, sex_index, z, True))
    if indicator not in _BY_AGE:
        raise ValueError(f"unknown indicator {indicator!r}")
    restricted = indicator in rules.RESTRICTED
    standards, references = _BY_AGE[indicator]
    tab = table(standards)
    # MUAC is tabulated in cm but measured (Measurement.muac_mm) in mm.
    scale = 10.0 if indicator == "muacfa" else 1.0
    points = _points(tab.xs(), _values(tab, sex_index, z, restricted) * scale)
    if references is not None:
        tab = table(references)
        points += _points(tab.xs() * rules.DAYS_PER_MONTH, _values(tab, sex_index, z, restricted))
    return points


def _points(xs: np.ndarray, ys: np.ndarray) -> list[tuple[float, float]]:
    keep = ~np.isnan(ys)
    return list(zip(xs[keep].tolist(), ys[keep].tolist(), strict=True))
