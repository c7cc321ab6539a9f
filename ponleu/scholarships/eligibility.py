"""A scheme's eligibility rules against what is known of one child.

Pure: the facts are gathered by the selectors (household IDPoor level, the Child Functioning
Module's overall flag, the grade of the current enrolment, an early-warning flag this year) or
declared on the application (a household affected by HIV, an orphan: the registry holds neither).
Each rule the scheme sets gives one line, true or false; a rule not set gives nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    idpoor_status: str = ""
    hiv_affected: bool = False
    orphan: bool = False
    functional_difficulty: bool | None = None  # None: never assessed
    grade: int | None = None
    risk_flag: bool = False


def rules(scheme, facts: Facts) -> dict[str, bool]:
    out: dict[str, bool] = {}
    if scheme.idpoor_levels:
        out["idpoor"] = facts.idpoor_status in scheme.idpoor_levels
    if scheme.requires_hiv_affected:
        out["hiv_affected"] = facts.hiv_affected
    if scheme.requires_orphan:
        out["orphan"] = facts.orphan
    if scheme.requires_disability:
        out["disability"] = facts.functional_difficulty is True
    if scheme.grade_min is not None:
        out["grade_min"] = facts.grade is not None and facts.grade >= scheme.grade_min
    if scheme.grade_max is not None:
        out["grade_max"] = facts.grade is not None and facts.grade <= scheme.grade_max
    if scheme.requires_risk_flag:
        out["risk_flag"] = facts.risk_flag
    return out


def eligible(result: dict[str, bool]) -> bool:
    return all(result.values())
