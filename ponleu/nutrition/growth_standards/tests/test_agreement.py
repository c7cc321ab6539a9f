"""``assess_many`` (arrays) and ``assess`` (one row, plain Python) agree on varied synthetic data."""

from __future__ import annotations

import math

import numpy as np

from ponleu.nutrition.growth_standards import FINDINGS, INDICATORS, Measurement, assess, assess_many


def _synthetic(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    age = rng.integers(-5, 7100, n)
    # Plausible sizes for the age with a wide spread, so that every range, edge and flag is met.
    years = np.clip(age, 0, None) / 365.25
    length = np.where(years < 5, 50 + 40 * np.sqrt(years / 2), 80 + 6 * years) * rng.normal(1, 0.08, n)
    weight = np.where(years < 5, 3.3 + 2.6 * years, 2 + 3 * years) * rng.lognormal(0, 0.25, n)
    return {
        "sex": rng.choice(np.array(["M", "F"]), n),
        "age_days": age,
        "weight_kg": np.where(rng.random(n) < 0.05, np.nan, weight),
        "length_cm": np.where(rng.random(n) < 0.05, np.nan, np.round(length, 1)),
        "measured_lying": rng.choice(np.array([1.0, 0.0, np.nan]), n),
        "muac_mm": np.where(rng.random(n) < 0.1, np.nan, np.round(rng.normal(140, 15, n))),
        "oedema": rng.random(n) < 0.02,
    }


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def test_vectorised_and_row_by_row_agree():
    data = _synthetic(20_000, seed=16)
    many = assess_many(**data)
    scored = {indicator: 0 for indicator in INDICATORS}
    for i in range(len(data["age_days"])):
        lying = data["measured_lying"][i]
        one = assess(
            Measurement(
                sex=str(data["sex"][i]),
                age_days=int(data["age_days"][i]),
                weight_kg=_optional(data["weight_kg"][i]),
                length_cm=_optional(data["length_cm"][i]),
                measured_lying=None if math.isnan(lying) else bool(lying),
                muac_mm=_optional(data["muac_mm"][i]),
                oedema=bool(data["oedema"][i]),
            )
        )
        for indicator in INDICATORS:
            value = getattr(one, indicator)
            if value is None:
                assert math.isnan(many[indicator][i]), (i, indicator)
            else:
                scored[indicator] += 1
                assert math.isclose(value, many[indicator][i], abs_tol=1e-9), (i, indicator)
            assert (indicator in one.implausible) == many[f"implausible_{indicator}"][i], (i, indicator)
        assert one.findings == {name for name in FINDINGS if many[name][i]}, i
    # The data reach every indicator, flag and finding (else the comparison proves little).
    assert min(scored.values()) > 2_000, scored
    for indicator in INDICATORS:
        assert many[f"implausible_{indicator}"].any(), indicator
    for name in FINDINGS:
        assert many[name].any(), name
