"""The WHO LMS tables (vendored CSV, see tables/README.md) as numpy arrays, loaded once.

Every table is held as three arrays L, M, S of shape (2, rows): row 0 boys, row 1 girls, one
column per step of the table's x (1 day, 1 month or 0.1 cm) from ``x0``. A table that starts later
than its family (MUAC-for-age from day 91) is padded with NaN before its first row, so that the
age-indexed tables of the 0-5 standard share one index: the age in days.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TABLE_DIR = Path(__file__).resolve().parent / "tables"

MALE = 0
FEMALE = 1


@dataclass(frozen=True)
class LmsTable:
    """One indicator's L, M and S by sex, ``x0 + i * step`` being column i's x."""

    name: str
    x0: float
    step: float
    l: np.ndarray  # noqa: E741 (the LMS method's own letter)
    m: np.ndarray
    s: np.ndarray

    @property
    def rows(self) -> int:
        return self.l.shape[1]

    @property
    def x_last(self) -> float:
        return self.x0 + (self.rows - 1) * self.step

    def xs(self) -> np.ndarray:
        # Rounded so that 0.1 cm steps read back as the table's own lengths (45.1, not 45.1000001).
        return np.round(self.x0 + np.arange(self.rows) * self.step, 6)


# file name, x0 of the shared index, step
_FILES = {
    "wfa": ("who2006_wfa_by_day.csv", 0, 1),
    "lhfa": ("who2006_lhfa_by_day.csv", 0, 1),
    "bmifa": ("who2006_bmifa_by_day.csv", 0, 1),
    "muacfa": ("who2006_muacfa_by_day.csv", 0, 1),
    "wfl": ("who2006_wfl_by_length.csv", 45, 0.1),
    "wfh": ("who2006_wfh_by_height.csv", 65, 0.1),
    "wfa_2007": ("who2007_wfa_by_month.csv", 61, 1),
    "hfa_2007": ("who2007_hfa_by_month.csv", 61, 1),
    "bmifa_2007": ("who2007_bmifa_by_month.csv", 61, 1),
}


def _read(name: str) -> LmsTable:
    file_name, x0, step = _FILES[name]
    with open(TABLE_DIR / file_name, newline="", encoding="ascii") as handle:
        rows = list(csv.DictReader(handle))
    x_column = next(key for key in rows[0] if key not in ("sex", "l", "m", "s"))
    last = max(round((float(row[x_column]) - x0) / step) for row in rows)
    arrays = {key: np.full((2, last + 1), np.nan) for key in "lms"}
    for row in rows:
        sex = MALE if row["sex"] == "M" else FEMALE
        column = round((float(row[x_column]) - x0) / step)
        for key in "lms":
            arrays[key][sex, column] = float(row[key])
    # The Box-Cox formula divides by L; the WHO tables have no L of exactly 0 (which would need
    # the logarithmic form), and a future table that had one must not slip through silently.
    if np.any(arrays["l"] == 0):
        raise ValueError(f"{file_name}: L = 0 needs the logarithmic LMS form")
    for key in "lms":
        arrays[key].setflags(write=False)
    return LmsTable(name, float(x0), float(step), arrays["l"], arrays["m"], arrays["s"])


@functools.cache
def table(name: str) -> LmsTable:
    return _read(name)


def names() -> tuple[str, ...]:
    return tuple(_FILES)
