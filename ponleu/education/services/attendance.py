"""Roll calls, corrections of past days, and registers imported from spreadsheets.

Every write checks the whole request first (the day is a school day of the class's year and
term, not in the future; every pupil is enrolled in the class that day; every status is known)
and stores nothing if anything is wrong. A change to a status already recorded on a past day is
a correction: it needs a reason, and leaves an ``AttendanceCorrection`` row and an audit entry.

Statuses live in ``AttendanceMonth`` rows (one per pupil and month). After the transaction
commits, ``signals.attendance_changed`` tells the early-warning app to rescore the class.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, ValidationFailed
from ponleu.education import policies, registers, selectors, signals
from ponleu.education.choices import EducationAction
from ponleu.education.models import AttendanceCorrection, AttendanceMonth, Enrolment, SchoolClass
from ponleu.education.schooldays import month_start

from .base import Problems, require

WHY_NOT = {
    "outside_year": gettext_lazy("%(date)s is outside the school year %(year)s."),
    "outside_term": gettext_lazy("%(date)s is not in a term of %(year)s (school holidays)."),
    "holiday": gettext_lazy("%(date)s is a public holiday: there is no school."),
    "closure": gettext_lazy("%(date)s is marked as a day the school was closed."),
    "weekend": gettext_lazy("%(date)s is not a teaching day of the week."),
}


def not_a_school_day_message(reason: str, day: dt.date, year) -> str:
    return str(WHY_NOT[reason] % {"date": day.isoformat(), "year": year.name})


@dataclass
class Change:
    enrolment_id: object
    day: dt.date
    before: str
    after: str


@dataclass
class AttendanceResult:
    changes: list[Change] = field(default_factory=list)
    corrections: list[Change] = field(default_factory=list)
    unchanged: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return len(self.changes)


def _apply(marks: dict[tuple, str], today: dt.date) -> AttendanceResult:
    """Write ``{(enrolment_id, day): letter}`` into the monthly rows; returns what changed."""
    result = AttendanceResult()
    months = {(eid, month_start(day)) for eid, day in marks}
    enrolment_ids = {eid for eid, _ in months}
    month_values = {m for _, m in months}
    existing = {
        (row.enrolment_id, row.month): row
        for row in AttendanceMonth.objects.select_for_update().filter(
            enrolment_id__in=enrolment_ids, month__in=month_values
        )
    }
    touched: dict[tuple, AttendanceMonth] = {}
    created: dict[tuple, AttendanceMonth] = {}
    for (eid, day), letter in sorted(marks.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        key = (eid, month_start(day))
        row = existing.get(key) or created.get(key)
        if row is None:
            row = created[key] = AttendanceMonth(enrolment_id=eid, month=key[1], statuses="")
        before = registers.status_on(row.statuses, day)
        result.counts[letter] += 1
        if before == letter:
            result.unchanged += 1
            continue
        row.statuses = registers.with_status(row.statuses, day, letter)
        change = Change(eid, day, before, letter)
        result.changes.append(change)
        if before != registers.NONE and day < today:
            result.corrections.append(change)
        if key in existing:
            touched[key] = row
    AttendanceMonth.objects.bulk_create(list(created.values()))
    for row in touched.values():
        AttendanceMonth.objects.filter(enrolment_id=row.enrolment_id, month=row.month).update(
            statuses=row.statuses
        )
    return result


def _record_corrections(actor: Actor, corrections: list[Change], reason: str) -> None:
    AttendanceCorrection.objects.bulk_create(
        [
            AttendanceCorrection(
                enrolment_id=c.enrolment_id,
                date=c.day,
                before=c.before,
                after=c.after,
                reason=reason,
                corrected_by_id=actor.user_id,
            )
            for c in corrections
        ]
    )


def _after_commit(school_class: SchoolClass, days) -> None:
    class_id, first = school_class.pk, min(days)
    transaction.on_commit(
        lambda: signals.attendance_changed.send(sender=SchoolClass, school_class_id=class_id, first_day=first)
    )


@transaction.atomic
def roll_call_save(
    *,
    actor: Actor,
    school_class: SchoolClass,
    day: dt.date,
    statuses: dict,
    reason: str = "",
    version: str | None = None,
) -> AttendanceResult:
    """Record one day's roll call. ``statuses`` maps enrolment id to P, A, L or E; a pupil of the
    class left out is present (everyone is present unless marked). Saving the same roll call
    again changes nothing. ``version`` (from the roll-call page or the API) refuses a write over
    a roll call someone else saved since it was read."""
    require(policies.can_take_attendance(actor, school_class))
    problems = Problems()
    today = clock.today()
    calendar = selectors.calendar_for(school_class.year)
    if day > today:
        problems.add(
            "date", _("%(date)s is in the future: take the roll call on the day.") % {"date": day.isoformat()}
        )
    elif calendar.why_not(day):
        problems.add("date", not_a_school_day_message(calendar.why_not(day), day, school_class.year))
    enrolments = {str(e.pk): e for e in selectors.class_pupils(school_class, day)}
    marks: dict[tuple, str] = {}
    for key, letter in statuses.items():
        enrolment = enrolments.get(str(key))
        letter = (letter or "").strip().upper()
        if enrolment is None:
            problems.add(
                f"pupil {key}",
                _("This pupil is not enrolled in this class on %(date)s.") % {"date": day.isoformat()},
            )
            continue
        if letter not in registers.RECORDED_STATUSES:
            problems.add(f"pupil {key}", _("Unknown status %(value)r: use P, A, L or E.") % {"value": letter})
            continue
        marks[(enrolment.pk, day)] = letter
    for enrolment in enrolments.values():
        marks.setdefault((enrolment.pk, day), "P")
    problems.raise_if_any()
    if version:
        current = selectors.day_statuses([e.pk for e in enrolments.values()], day)
        now = registers.day_version({k: current.get(e.pk, registers.NONE) for k, e in enrolments.items()})
        if now != version:
            raise Conflict(
                _("Someone saved this roll call after you opened it. Reload it and check before saving.")
            )
    result = _apply(marks, today)
    if result.corrections and not (reason or "").strip():
        transaction.set_rollback(True)
        raise ValidationFailed(
            _("This changes a day already recorded: give the reason for the correction."), field="reason"
        )
    if result.changes:
        _record_corrections(actor, result.corrections, (reason or "").strip())
        action = (
            EducationAction.ATTENDANCE_CORRECTED if result.corrections else EducationAction.ROLL_CALL_TAKEN
        )
        audit.record(
            actor=actor,
            action=action,
            target=school_class,
            changes={
                "date": [None, day.isoformat()],
                "statuses": {str(c.enrolment_id): [c.before, c.after] for c in result.changes},
            },
            reason=(reason or "").strip(),
        )
        _after_commit(school_class, [day])
    return result


@dataclass
class GridCell:
    row: int  # spreadsheet row (1-based, header is row 1)
    column: str  # spreadsheet column letter
    enrolment_id: object
    day: dt.date
    letter: str


@transaction.atomic
def attendance_import(
    *,
    actor: Actor,
    school_class: SchoolClass,
    cells: list[GridCell],
    problems: Problems,
    dry_run: bool,
    reason: str = "",
    source: str = "",
) -> AttendanceResult:
    """Apply a register read from a spreadsheet (``spreadsheets.read_register``), or check it.

    ``problems`` already holds what the reader found (unreadable cells, unknown pupils); the
    service adds days that are not school days and pupils not enrolled on a day. With any
    problem, or on a dry run, nothing is stored and the result says what would change.
    """
    require(policies.can_take_attendance(actor, school_class))
    today = clock.today()
    calendar = selectors.calendar_for(school_class.year)
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(school_class=school_class).only("pk", "enrolled_on", "left_on")
    }
    marks: dict[tuple, str] = {}
    for cell in cells:
        where = f"row {cell.row}, column {cell.column}"
        why = calendar.why_not(cell.day)
        if cell.day > today:
            problems.add(where, _("%(date)s is in the future.") % {"date": cell.day.isoformat()})
        elif why:
            problems.add(where, not_a_school_day_message(why, cell.day, school_class.year))
        enrolment = enrolments.get(cell.enrolment_id)
        if enrolment is None or not enrolment.is_enrolled_on(cell.day):
            problems.add(
                where,
                _("This pupil is not enrolled in this class on %(date)s.") % {"date": cell.day.isoformat()},
            )
        marks[(cell.enrolment_id, cell.day)] = cell.letter
    problems.raise_if_any()
    result = _apply(marks, today)
    if dry_run:
        transaction.set_rollback(True)
        return result
    if result.corrections and not (reason or "").strip():
        transaction.set_rollback(True)
        raise ValidationFailed(
            _("The file changes days already recorded: give the reason for the correction."), field="reason"
        )
    if result.changes:
        _record_corrections(actor, result.corrections, (reason or "").strip())
        audit.record(
            actor=actor,
            action=EducationAction.ATTENDANCE_IMPORTED,
            target=school_class,
            changes={
                "file": [None, source[:200]],
                "days": [None, sorted({c.day.isoformat() for c in result.changes})],
                "changed": [None, len(result.changes)],
                "corrected": [None, len(result.corrections)],
            },
            reason=(reason or "").strip(),
        )
        _after_commit(school_class, [c.day for c in result.changes])
    return result
