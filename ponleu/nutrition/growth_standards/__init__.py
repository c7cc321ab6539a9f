"""WHO growth z-scores and nutritional classification: pure computation (numpy), no Django.

WHO Child Growth Standards 2006 (0 to 1,856 days) and WHO Growth Reference 2007 (61 months to
19 years), following the WHO Anthro macros (``igrowup_standard.r``, ``who2007.r``); tables and
their credits in tables/README.md. The whole interface::

    Measurement(sex, age_days, weight_kg=None, length_cm=None, measured_lying=None,
                muac_mm=None, oedema=False)
    assess(m: Measurement) -> Assessment          # ValueError if sex is not "M" or "F"
        Assessment(wfa, lhfa, wflh, bmifa, muacfa,   # float | None
                   implausible: frozenset[str],       # indicator names WHO flags
                   findings: frozenset[str],          # names from FINDINGS
                   clenhei, bmi)                      # corrected length/height, BMI (or None)
    assess_many(sex, age_days, weight_kg, length_cm, measured_lying, muac_mm, oedema)
        -> dict[str, numpy.ndarray]: the same for arrays (NaN or None for missing; sex "M"/"F"
           or 1/2, any other sex unscored; measured_lying 1/0/NaN or bools): float arrays
           "wfa" "lhfa" "wflh" "bmifa" "muacfa" "clenhei" "bmi", bool arrays
           "implausible_<indicator>" and one bool array per name in FINDINGS
    curve(indicator, sex, z, *, age_days=None) -> list[(x, value)]
        x = age in days (wfa, lhfa, bmifa, muacfa) or cm ("wflh": length under 731 days or
        height from 731 days by age_days; "wfl", "wfh"); value in kg, cm, kg/m2 or mm (MUAC)
    INDICATORS = ("wfa", "lhfa", "wflh", "bmifa", "muacfa")
    FINDINGS = ("severe_stunting", "stunting", "severe_wasting", "wasting", "severe_underweight",
                "underweight", "overweight", "obese", "severe_thinness", "thinness", "sam", "mam")

The rules (rules.py, checked against WHO's output for its example survey):
- age in whole days; the 2006 standards to 1,856 days, the 2007 references (age / 30.4375
  months, LMS interpolated between months) from 61 months to under 229 months, weight-for-age to
  under 121 months (the last tabulated month's LMS held through that month, as WHO's Stata
  macro's output shows);
  no weight-for-length/height after 1,856 days; MUAC-for-age from 91 to 1,856 days;
- length lying under 731 days, height standing from 731 days: standing under 731 days +0.7 cm,
  lying from 731 days -0.7 cm; BMI from the corrected length/height;
- weight-for-length (45-110 cm) under 731 days, weight-for-height (65-120 cm) from 731 days,
  LMS interpolated between the 0.1 cm rows;
- restricted LMS beyond +/-3 SD for wfa, wflh, bmifa and muacfa (not lhfa);
- no weight-based z-score (wfa, wflh, bmifa) with oedema;
- implausible (after rounding to 2 decimals): lhfa < -6 or > 6, wfa < -6 or > 5, wflh, bmifa
  and muacfa < -5 or > 5;
- findings: see classify.py (stunting, wasting, underweight, overweight/obese, thinness, SAM/MAM).
"""

from .assessment import Assessment, Measurement
from .classify import FINDINGS
from .curves import curve
from .rules import INDICATORS
from .single import assess
from .vectorised import assess_many

__all__ = ["FINDINGS", "INDICATORS", "Assessment", "Measurement", "assess", "assess_many", "curve"]
