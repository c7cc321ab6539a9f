"""API shapes of scholarships: schemes with their ledger, a period's payments with the
attendance check, the term's run, an override."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from ponleu.common.schemas import Text


class LedgerOut(Schema):
    currency: str
    budget: int = Field(description="in the smallest unit: riel, or US cents")
    paid: int
    due: int
    withheld: int
    remaining: int


class SchemeOut(Schema):
    id: uuid.UUID
    name: str
    project_id: uuid.UUID
    kind: str
    currency: str
    amount: int = Field(description="per period, in the smallest unit: riel, or US cents")
    schedule: str
    opens_on: dt.date
    closes_on: dt.date
    min_attendance_percent: int | None
    requires_promotion: bool
    ledger: LedgerOut


class PaymentOut(Schema):
    id: uuid.UUID
    version: int
    award_id: uuid.UUID
    person_id: uuid.UUID | None = Field(description="null where the caller may not see who the child is")
    name: str = Field(description="the child's name, or initials where the caller may not see who they are")
    period_start: dt.date
    period_end: dt.date
    period_label: str
    amount: int
    currency: str
    status: str
    condition: str
    days_present: int
    days_absent: int
    days_excused: int
    days_recorded: int
    school_days: int
    attendance_percent: Decimal | None
    override_reason: str
    paid_on: dt.date | None
    channel: str
    receipt_number: str


class RunIn(Schema):
    year_id: uuid.UUID
    term: int = Field(ge=1, le=6, description="the term's number in the school year")


class RunOut(Schema):
    created: int
    checked: int
    passed: int
    failed: int
    no_data: int
    roll_call_rows_read: int


class OverrideIn(Schema):
    reason: Text
