"""API shapes of the education app. Input schemas refuse unknown fields."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

from ponleu.common.schemas import Code


class RollCallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    statuses: dict[str, Code] = Field(
        default_factory=dict,
        description="Enrolment id → P, A, L or E. Pupils of the class left out are present.",
    )
    reason: str = Field(
        "", max_length=300, description="Required when the upload changes a day already recorded."
    )
    version: Code | None = Field(
        None, description="The version read with GET; the upload is refused (409) if the day changed since."
    )


class RollCallPupilOut(Schema):
    enrolment_id: str
    number: int
    status: str

    @staticmethod
    def resolve_enrolment_id(pupil) -> str:
        return str(pupil.enrolment.pk)


class RollCallOut(Schema):
    """A ``selectors.RollCall``; after an upload, also what it changed (set by the operation)."""

    class_id: str
    date: dt.date
    is_school_day: bool
    version: str
    pupils: list[RollCallPupilOut]
    changed: int | None = None
    corrections: int | None = None

    @staticmethod
    def resolve_class_id(sheet) -> str:
        return str(sheet.school_class.pk)

    @staticmethod
    def resolve_date(sheet) -> dt.date:
        return sheet.day
