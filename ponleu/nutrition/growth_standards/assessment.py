"""One measurement of one child, and what the WHO standards say of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    sex: str  # "M" or "F"
    age_days: int
    weight_kg: float | None = None
    length_cm: float | None = None  # as measured, before the lying/standing correction
    measured_lying: bool | None = None  # None: the position WHO recommends for the age
    muac_mm: float | None = None
    oedema: bool = False  # bilateral pitting oedema


@dataclass(frozen=True)
class Assessment:
    """z-scores (None where WHO does not score), flags and findings.

    ``implausible`` names the indicators whose z-score WHO flags as implausible (the value is kept,
    as WHO Anthro keeps it beside its flag); ``findings`` holds names from ``FINDINGS``.
    """

    wfa: float | None
    lhfa: float | None
    wflh: float | None
    bmifa: float | None
    muacfa: float | None
    implausible: frozenset[str]
    findings: frozenset[str]
    clenhei: float | None = None  # length/height after the lying/standing correction
    bmi: float | None = None
