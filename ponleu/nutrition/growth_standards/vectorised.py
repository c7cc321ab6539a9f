"""``assess_many``: z-scores, flags and findings for whole arrays of measurements at once.

No loop over rows: every table lookup is an index into the LMS arrays (``tables``), the
interpolations and the LMS formula are array arithmetic, and the 5-19-year references are computed
only for the rows they concern.
"""

from __future__ import annotations

import numpy as np

from . import rules
from .classify import FINDINGS, findings
from .lms import z_array
from .tables import FEMALE, LmsTable, table


def _floats(values, n: int) -> np.ndarray:
    """A float array with NaN for missing (None, or a whole column left out)."""
    if values is None:
        return np.full(n, np.nan)
    array = np.asarray(values)
    if array.ndim == 0:
        array = np.full(n, array)
    if array.dtype == object:
        array = np.where(array == None, np.nan, array)  # noqa: E711 (elementwise on an object array)
    return array.astype(float)


def _sex_index(sex) -> tuple[np.ndarray, np.ndarray]:
    """(index into the tables: 0 boys, 1 girls; known) from "M"/"F" or WHO's codes 1/2."""
    codes = np.asarray(sex)
    if codes.dtype.kind in "USO":
        male = (codes == "M") | (codes == "m")
        female = (codes == "F") | (codes == "f")
    else:
        male = codes == 1
        female = codes == 2
    return np.where(female, FEMALE, 0).astype(np.intp), male | female


def _lookup(tab: LmsTable, sex: np.ndarray, column: np.ndarray):
    flat = sex * tab.rows + column
    return tab.l.ravel()[flat], tab.m.ravel()[flat], tab.s.ravel()[flat]


def _interpolated(tab: LmsTable, sex: np.ndarray, position: np.ndarray):
    """L, M, S interpolated linearly between the table's columns (``position`` in columns)."""
    # Past the last row (the final month of the 2007 references) the last row's values hold.
    position = np.minimum(position, tab.rows - 1)
    low = np.clip(np.floor(position), 0, tab.rows - 2).astype(np.intp)
    fraction = position - low
    flat = sex * tab.rows + low
    out = []
    for values in (tab.l.ravel(), tab.m.ravel(), tab.s.ravel()):
        below = values[flat]
        out.append(below + fraction * (values[flat + 1] - below))
    return out


def _z_by_day(name: str, y, sex, day, rows: np.ndarray, restricted: bool, out: np.ndarray) -> None:
    if rows.size:
        tab = table(name)
        l, m, s = _lookup(tab, sex[rows], day[rows])  # noqa: E741
        out[rows] = z_array(y[rows], l, m, s, restricted)


def _z_by_month(name: str, y, sex, months, rows: np.ndarray, restricted: bool, out: np.ndarray) -> None:
    if rows.size:
        tab = table(name)
        l, m, s = _interpolated(tab, sex[rows], months[rows] - tab.x0)  # noqa: E741
        out[rows] = z_array(y[rows], l, m, s, restricted)


def _z_by_length(name: str, weight, sex, length, rows: np.ndarray, out: np.ndarray) -> None:
    if rows.size:
        tab = table(name)
        # Columns are 0.1 cm apart: scaling by 10 keeps 84.8 cm at column 398 exactly, where
        # dividing by 0.1 would land a hair below it.
        position = length[rows] * 10 - tab.x0 * 10
        l, m, s = _interpolated(tab, sex[rows], position)  # noqa: E741
        out[rows] = z_array(weight[rows], l, m, s, True)


def assess_many(
    sex,
    age_days,
    weight_kg=None,
    length_cm=None,
    measured_lying=None,
    muac_mm=None,
    oedema=None,
) -> dict[str, np.ndarray]:
    """Assess arrays of measurements (same length; NaN or None for a missing value).

    ``sex``: "M"/"F" (or WHO's 1/2); ``age_days``: age in days (rounded to whole days as WHO
    does); ``measured_lying``: 1/True lying, 0/False standing, NaN/None the position WHO recommends
    for the age (no correction); ``oedema``: bilateral pitting oedema (missing = no).

    Returns float arrays ``wfa``, ``lhfa``, ``wflh``, ``bmifa``, ``muacfa`` (NaN where WHO does
    not score), ``clenhei`` (length/height after the lying/standing correction) and ``bmi``; bool
    arrays ``implausible_<indicator>``; and one bool array per finding in ``FINDINGS``.
    """
    sex_index, sex_known = _sex_index(sex)
    n = sex_index.shape[0]
    age = _floats(age_days, n)
    age = np.floor(age + 0.5)  # whole days, halves up (WHO's ``rounde``)
    weight = _floats(weight_kg, n)
    length = _floats(length_cm, n)
    lying = _floats(measured_lying, n)
    muac_cm = _floats(muac_mm, n) / 10
    swollen = np.zeros(n, bool) if oedema is None else np.asarray(oedema).astype(bool)
    if swollen.ndim == 0:
        swollen = np.full(n, bool(swollen))
    # A measurement of zero or less is no measurement.
    weight = np.where(weight > 0, weight, np.nan)
    length = np.where(length > 0, length, np.nan)
    muac_cm = np.where(muac_cm > 0, muac_cm, np.nan)

    under_two = age < rules.LYING_UNDER_DAYS
    correction = np.where(under_two & (lying == 0), rules.LYING_STANDING_CM, 0.0)
    correction = np.where(~under_two & (lying == 1), -rules.LYING_STANDING_CM, correction)
    clenhei = length + correction
    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = weight / (clenhei / 100) ** 2

    known = sex_known & (age >= 0)
    standards = known & (age <= rules.STANDARDS_LAST_DAY)
    months = age / rules.DAYS_PER_MONTH
    references = known & (months >= rules.REFERENCES_FIRST_MONTH) & (months < rules.REFERENCES_END_MONTH)
    references_wfa = references & (months < rules.REFERENCES_WFA_END_MONTH)
    dry = ~swollen
    day = np.where(standards, age, 0).astype(np.intp)

    z = {name: np.full(n, np.nan) for name in rules.INDICATORS}
    _z_by_day("lhfa", clenhei, sex_index, day, np.flatnonzero(standards), False, z["lhfa"])
    _z_by_month("hfa_2007", clenhei, sex_index, months, np.flatnonzero(references), False, z["lhfa"])
    _z_by_day("wfa", weight, sex_index, day, np.flatnonzero(standards & dry), True, z["wfa"])
    _z_by_month("wfa_2007", weight, sex_index, months, np.flatnonzero(references_wfa & dry), True, z["wfa"])
    _z_by_day("bmifa", bmi, sex_index, day, np.flatnonzero(standards & dry), True, z["bmifa"])
    _z_by_month("bmifa_2007", bmi, sex_index, months, np.flatnonzero(references & dry), True, z["bmifa"])
    muac_rows = standards & (age >= rules.MUAC_FIRST_DAY)
    _z_by_day("muacfa", muac_cm, sex_index, day, np.flatnonzero(muac_rows), True, z["muacfa"])
    by_length = standards & dry & under_two & (clenhei >= rules.WFL_CM[0]) & (clenhei <= rules.WFL_CM[1])
    by_height = standards & dry & ~under_two & (clenhei >= rules.WFH_CM[0]) & (clenhei <= rules.WFH_CM[1])
    _z_by_length("wfl", weight, sex_index, clenhei, np.flatnonzero(by_length), z["wflh"])
    _z_by_length("wfh", weight, sex_index, clenhei, np.flatnonzero(by_height), z["wflh"])

    result: dict[str, np.ndarray] = dict(z)
    result["clenhei"] = clenhei
    result["bmi"] = bmi
    for name, (low, high) in rules.IMPLAUSIBLE.items():
        rounded = np.round(z[name], 2)
        result[f"implausible_{name}"] = (rounded < low) | (rounded > high)
    found = findings(age, z, muac_cm * 10, swollen)
    for name in FINDINGS:
        result[name] = np.asarray(found[name], bool)
    return result
