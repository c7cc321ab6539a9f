"""API shapes of the early-warning app (read-only: scores are computed, never written by clients)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from ninja import Schema
from pydantic import Field

from ponleu.common.schemas import reader
from ponleu.education.policies import can_see_pupil, pupil_label

from . import texts


def _person_id(enrolment, context) -> str | None:
    """The pupil's registry id, for those the identity policy lets see the pupil (an M&E
    officer reads risk across the organisation without reaching anyone's record)."""
    return str(enrolment.person_id) if can_see_pupil(reader(context), enrolment) else None


def _name(enrolment, context) -> str:
    return pupil_label(reader(context), enrolment, translation.get_language())


class ScoreOut(Schema):
    scored_on: dt.date
    method: str
    model_version: int | None
    probability: float | None = Field(description="Calibrated risk of dropping out by the end of the year.")
    index_score: float = Field(description="The organisation's rule index.")
    flagged: bool
    reasons: list[str] = Field(description="Why, in the caller's language, most important first.")

    @staticmethod
    def resolve_model_version(score) -> int | None:
        return score.model.number if score.model_id and score.model else None

    @staticmethod
    def resolve_reasons(score) -> list[str]:
        return texts.factor_texts(score.factors)


class RiskRowOut(Schema):
    rank: int
    enrolment_id: str
    person_id: str | None
    name: str = Field(description="The pupil's name, or initials when the caller may not see it.")
    school_id: str
    class_id: str
    flag_id: str | None
    flag_status: str
    score: ScoreOut

    @staticmethod
    def resolve_enrolment_id(row) -> str:
        return str(row.score.enrolment_id)

    @staticmethod
    def resolve_person_id(row, context) -> str | None:
        return _person_id(row.score.enrolment, context)

    @staticmethod
    def resolve_name(row, context) -> str:
        return _name(row.score.enrolment, context)

    @staticmethod
    def resolve_school_id(row) -> str:
        return str(row.score.school_class.school_id)

    @staticmethod
    def resolve_class_id(row) -> str:
        return str(row.score.school_class_id)

    @staticmethod
    def resolve_flag_id(row) -> str | None:
        return str(row.flag_id) if row.flag_id else None


class RiskListOut(Schema):
    capacity_per_school: int
    items: list[RiskRowOut]

    @staticmethod
    def resolve_capacity_per_school(result) -> int:
        return result.capacity

    @staticmethod
    def resolve_items(result) -> list:
        return result.rows


class StudentRiskOut(Schema):
    enrolment_id: str
    person_id: str | None
    name: str
    class_id: str
    school_id: str
    status: str
    scores: list[ScoreOut]

    @staticmethod
    def resolve_enrolment_id(student) -> str:
        return str(student.enrolment.pk)

    @staticmethod
    def resolve_person_id(student, context) -> str | None:
        return _person_id(student.enrolment, context)

    @staticmethod
    def resolve_name(student, context) -> str:
        return _name(student.enrolment, context)

    @staticmethod
    def resolve_class_id(student) -> str:
        return str(student.enrolment.school_class_id)

    @staticmethod
    def resolve_school_id(student) -> str:
        return str(student.enrolment.school_class.school_id)

    @staticmethod
    def resolve_status(student) -> str:
        return student.enrolment.status
