"""Row by row against WHO's own output for its example survey (igrowup_standard.r, MySurvey).

Every z-score WHO gives must be within 0.01 of ours (WHO rounds to two decimals; ours are compared
unrounded), every row WHO leaves unscored must be unscored here too, and the implausible flags must
be the same rows. Both ``assess_many`` and ``assess`` are checked.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from ponleu.nutrition.growth_standards import Measurement, assess, assess_many

SURVEY = Path(__file__).resolve().parent / "data" / "MySurvey_z_st.csv"

# ours -> (WHO's z column, WHO's flag column, rows WHO scores in the file)
COLUMNS = {
    "lhfa": ("zlen", "flen", 475),
    "wfa": ("zwei", "fwei", 489),
    "wflh": ("zwfl", "fwfl", 467),
    "bmifa": ("zbmi", "fbmi", 468),
    "muacfa": ("zac", "fac", 446),
}
TOLERANCE = 0.01


def _number(text: str) -> float:
    return float(text) if text not in ("", "NA") else math.nan


def _survey() -> list[dict[str, str]]:
    with open(SURVEY, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        # The file names "oedema" twice (input, then WHO's cleaned copy); the first one is kept.
        return [{name: row[i] for i, name in reversed(list(enumerate(header)))} for row in reader]


@pytest.fixture(scope="module")
def survey():
    rows = _survey()
    assert len(rows) == 498
    return rows


def _inputs(rows):
    age_months = np.array([_number(row["agemons"]) for row in rows])
    return {
        "sex": np.array(["M" if row["GENDER"] == "1" else "F" for row in rows]),
        # WHO's macro is given the age in months and converts it: rounde(months * 30.4375).
        "age_days": np.floor(age_months * 30.4375 + 0.5),
        "weight_kg": np.array([_number(row["WEIGHT"]) for row in rows]),
        "length_cm": np.array([_number(row["HEIGHT"]) for row in rows]),
        "measured_lying": np.array([{"l": 1.0, "h": 0.0}.get(row["measure"], math.nan) for row in rows]),
        "muac_mm": np.array([_number(row["MUAC"]) * 10 for row in rows]),
        "oedema": np.array([row["oedema"] == "y" for row in rows]),
    }


def _compare(indicator: str, rows, ours_z: np.ndarray, ours_flag: np.ndarray, label: str) -> None:
    z_column, flag_column, expected_scored = COLUMNS[indicator]
    who_z = np.array([_number(row[z_column]) for row in rows])
    who_flag = np.array([_number(row[flag_column]) for row in rows])
    who_scored = ~np.isnan(who_z)
    assert who_scored.sum() == expected_scored
    assert np.array_equal(np.isnan(ours_z), ~who_scored), f"{indicator}: rows scored differ"
    difference = np.abs(ours_z[who_scored] - who_z[who_scored])
    worst = int(np.argmax(difference))
    assert difference.max() <= TOLERANCE, f"{indicator}: row {np.flatnonzero(who_scored)[worst] + 1}"
    who_flagged = who_flag == 1
    assert np.array_equal(ours_flag, who_flagged), f"{indicator}: flagged rows differ"
    print(  # noqa: T201 - the figures (rows compared, worst difference) are the point of this test
        f"{label} {indicator}: {who_scored.sum()} rows compared with WHO's {z_column}, max |diff| "
        f"{difference.max():.4f}, {int(np.sum(np.round(ours_z[who_scored], 2) == who_z[who_scored]))} equal "
        f"to WHO's once rounded, {int(ours_flag.sum())} flagged (WHO {int(who_flagged.sum())}), "
        f"{int((~who_scored).sum())} unscored by both"
    )


@pytest.mark.parametrize("indicator", list(COLUMNS))
def test_assess_many_reproduces_who(survey, indicator):
    result = assess_many(**_inputs(survey))
    who_clenhei = np.array([_number(row["clenhei"]) for row in survey])
    assert np.allclose(result["clenhei"], who_clenhei, equal_nan=True, atol=1e-9)
    _compare(indicator, survey, result[indicator], result[f"implausible_{indicator}"], "assess_many")


@pytest.mark.parametrize("indicator", list(COLUMNS))
def test_assess_reproduces_who(survey, indicator):
    inputs = _inputs(survey)
    assessments = []
    for i in range(len(survey)):
        lying = inputs["measured_lying"][i]
        assessments.append(
            assess(
                Measurement(
                    sex=str(inputs["sex"][i]),
                    age_days=int(inputs["age_days"][i]),
                    weight_kg=None if math.isnan(inputs["weight_kg"][i]) else float(inputs["weight_kg"][i]),
                    length_cm=None if math.isnan(inputs["length_cm"][i]) else float(inputs["length_cm"][i]),
                    measured_lying=None if math.isnan(lying) else bool(lying),
                    muac_mm=None if math.isnan(inputs["muac_mm"][i]) else float(inputs["muac_mm"][i]),
                    oedema=bool(inputs["oedema"][i]),
                )
            )
        )
    z = np.array([math.nan if getattr(a, indicator) is None else getattr(a, indicator) for a in assessments])
    flags = np.array([indicator in a.implausible for a in assessments])
    _compare(indicator, survey, z, flags, "assess")


def test_survey_age_in_days_is_whos(survey):
    """The conversion from months is WHO's: its own age.days column, for every row."""
    who_days = np.array([_number(row["age.days"]) for row in survey])
    assert np.array_equal(_inputs(survey)["age_days"], who_days)
