"""Findings from z-scores, MUAC and oedema, for one child (floats) or many (arrays) alike.

Only comparisons, ``&``, ``|`` and ``np.logical_not`` are used, so the same function serves the
scalar ``assess`` and the vectorised ``assess_many``; a missing value is NaN, which compares false
and so never produces a finding.

Cut-offs (WHO):
- under five (2006 standards): stunting lhfa < -2, severe < -3; underweight wfa < -2, severe < -3;
  wasting wflh < -2, severe < -3; overweight wflh > 2, obese wflh > 3.
- five to nineteen (2007 references): stunting hfa < -2, severe < -3; underweight wfa < -2,
  severe < -3 (to ten years, where the reference stops); thinness bmifa < -2, severe < -3;
  overweight bmifa > 1, obese bmifa > 2.
- acute malnutrition, under 60 months: SAM = MUAC < 115 mm (6-59 months) or wflh < -3 or bilateral
  oedema; MAM = MUAC 115 to < 125 mm (6-59 months) or -3 <= wflh < -2 (6-59 months), and not SAM.
  WHO's 2013 guideline also counts wflh < -3 and oedema as SAM for infants under 6 months, who are
  therefore included; MUAC has no cut-off under 6 months.

"stunting" includes "severe_stunting" (and so on), as WHO counts prevalences; "mam" and "sam"
exclude each other. A value flagged implausible still gives its finding: the flag asks for the
child to be measured again, not for a possible severe case to go unseen.
"""

from __future__ import annotations

import numpy as np

from . import rules

FINDINGS = (
    "severe_stunting",
    "stunting",
    "severe_wasting",
    "wasting",
    "severe_underweight",
    "underweight",
    "overweight",
    "obese",
    "severe_thinness",
    "thinness",
    "sam",
    "mam",
)


def findings(age_days, z, muac_mm, oedema):
    """Each finding (bool or bool array) from age in days, z-scores by indicator, MUAC, oedema."""
    lhfa, wfa, wflh, bmifa = z["lhfa"], z["wfa"], z["wflh"], z["bmifa"]
    under_five = (age_days >= 0) & (age_days <= rules.STANDARDS_LAST_DAY)
    over_five = age_days > rules.STANDARDS_LAST_DAY
    months = age_days / rules.DAYS_PER_MONTH
    under_60_months = (age_days >= 0) & (months < 60)
    six_to_59_months = (months >= 6) & (months < 60)

    muac_severe = six_to_59_months & (muac_mm < rules.MUAC_SEVERE_MM)
    muac_moderate = six_to_59_months & (muac_mm >= rules.MUAC_SEVERE_MM) & (muac_mm < rules.MUAC_MODERATE_MM)
    sam = muac_severe | (under_60_months & ((wflh < -3) | oedema))
    mam = np.logical_not(sam) & (muac_moderate | (six_to_59_months & (wflh >= -3) & (wflh < -2)))
    return {
        "severe_stunting": lhfa < -3,
        "stunting": lhfa < -2,
        "severe_wasting": wflh < -3,
        "wasting": wflh < -2,
        "severe_underweight": wfa < -3,
        "underweight": wfa < -2,
        "overweight": (under_five & (wflh > 2)) | (over_five & (bmifa > 1)),
        "obese": (under_five & (wflh > 3)) | (over_five & (bmifa > 2)),
        "severe_thinness": over_five & (bmifa < -3),
        "thinness": over_five & (bmifa < -2),
        "sam": sam,
        "mam": mam,
    }
