"""The rule index: the format's default rules, configurable weights, reasons in words."""

import datetime as dt

import numpy as np
import pytest

from ponleu.early_warning.engine import features, rules
from ponleu.early_warning.engine.tests.test_features import tiny_records


def frame():
    return features.compute_features(tiny_records(), dt.date(2024, 1, 10))


def test_default_rules_are_the_formats():
    result = rules.rule_index(frame())
    # a: attendance 3/8 in 30 days, a serious incident, a missed test, mean score 20 %.
    assert list(result.flagged) == [True, False]
    assert {r.code for r in result.reasons(0)} == {
        "low_attendance_30d",
        "serious_incident_30d",
        "missed_assessment",
        "low_mean_score",
    }
    assert result.score[0] == 4
    assert result.reasons(1) == []


def test_reasons_read_as_plain_language():
    reasons = {r.code: str(r) for r in rules.rule_index(frame()).reasons(0)}
    assert reasons["low_attendance_30d"] == "Attended 38% of school days in the last 30 days (below 80%)"
    assert reasons["missed_assessment"] == "Missed 1 test or exam so far"
    assert reasons["low_mean_score"] == "Average score 20% (below 40%)"


def test_weights_thresholds_and_household_rules_are_configurable():
    settings = rules.RuleIndexSettings(flag_at=2.0).with_weights(idpoor=1.5, low_attendance_30d=0.5)
    result = rules.rule_index(frame(), settings)
    assert result.score[0] == pytest.approx(0.5 + 1 + 1 + 1 + 1.5)
    assert "idpoor" in {r.code for r in result.reasons(0)}
    restored = rules.RuleIndexSettings.from_dict(settings.to_dict())
    assert restored == settings
    with pytest.raises(ValueError, match="unknown rule"):
        rules.RuleIndexSettings.from_dict(
            {"rules": [{"code": "astrology", "feature": "x", "op": "<", "threshold": 1}]}
        )
    with pytest.raises(ValueError, match="unknown rules"):
        settings.with_weights(astrology=1)


def test_a_feature_the_frame_lacks_never_fires():
    settings = rules.RuleIndexSettings().with_weights(parents_away=1)
    result = rules.rule_index(frame(), settings)
    assert not result.holds[:, [r.code for r in result.rules].index("parents_away")].any()
    assert np.array_equal(result.flagged, rules.rule_index(frame()).flagged)
