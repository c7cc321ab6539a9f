"""The comparison of children with and without a scholarship: Wilson intervals, strata compared
only where both groups are present, the difference weighted by the holders' mix."""

import pytest

from ponleu.scholarships.comparison import band_of, compare, tertile_cuts, wilson


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson(10, 100)
    assert (round(low, 4), round(high, 4)) == (0.0552, 0.1744)
    low, high = wilson(0, 20)
    assert low == 0.0
    assert round(high, 4) == 0.1611
    assert wilson(0, 0) is None


def test_strata_without_both_groups_are_left_out_and_counted():
    result = compare(
        {("high", "s1"): (10, 1, 30, 9), ("high", "s2"): (5, 2, 0, 0), ("low", "s1"): (0, 0, 8, 1)}
    )
    assert result.strata_compared == 1
    assert result.strata_without_match == 1
    assert (result.holders.n, result.others.n) == (10, 30)
    assert result.difference == pytest.approx(0.1 - 0.3)
    low, high = result.interval
    assert low < result.difference < high


def test_the_difference_is_weighted_by_the_holders_in_each_stratum():
    result = compare({"a": (30, 3, 30, 6), "b": (10, 5, 10, 5)})
    assert result.difference == pytest.approx((30 * -0.1 + 10 * 0.0) / 40)


def test_no_comparison_without_a_matched_stratum():
    result = compare({"a": (3, 1, 0, 0)})
    assert result.difference is None
    assert result.interval is None


def test_risk_bands_are_thirds_of_the_years_flagged_scores():
    cuts = tertile_cuts([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert [band_of(s, cuts) for s in (0.1, 0.3, 0.6)] == [0, 1, 2]
