"""The LMS method: a measurement's z-score from the L, M and S of its age (or length).

z = ((y / M) ** L - 1) / (L * S). For the skewed indicators WHO restricts the formula to
[-3, 3] SD: beyond, the distance from the 3 SD curve is counted in units of the distance between
the 2 and 3 SD curves, so that the extreme tail does not stretch (WHO Child Growth Standards,
methods and development, 2006, chapter 7; the ``calc.z*`` functions of the WHO Anthro macros).
"""

from __future__ import annotations

import math

import numpy as np


def curve_value(z, l, m, s):  # noqa: E741
    """The measurement at z SD by the LMS formula (inverse of ``z``, without restriction)."""
    return m * (1 + l * s * z) ** (1 / l)


def z_array(y: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray, restricted: bool) -> np.ndarray:  # noqa: E741
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        z = (np.power(y / m, l) - 1) / (l * s)
        if restricted:
            # Only the few rows beyond 3 SD are recomputed (NaN compares False and stays).
            beyond = np.flatnonzero(np.abs(z) > 3)
            if beyond.size:
                yb, lb, mb, sb = y[beyond], l[beyond], m[beyond], s[beyond]
                above = z[beyond] > 3
                sign = np.where(above, 1.0, -1.0)
                sd3 = curve_value(3 * sign, lb, mb, sb)
                sd2 = curve_value(2 * sign, lb, mb, sb)
                z[beyond] = 3 * sign + (yb - sd3) / np.abs(sd3 - sd2)
    return z


def z_scalar(y: float, l: float, m: float, s: float, restricted: bool) -> float:  # noqa: E741
    if math.isnan(y) or math.isnan(m):
        return math.nan
    z = ((y / m) ** l - 1) / (l * s)
    if restricted and abs(z) > 3:
        sign = 1.0 if z > 3 else -1.0
        sd3 = curve_value(3 * sign, l, m, s)
        sd2 = curve_value(2 * sign, l, m, s)
        z = 3 * sign + (y - sd3) / abs(sd3 - sd2)
    return z
