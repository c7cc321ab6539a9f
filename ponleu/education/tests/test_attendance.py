import datetime as dt
import zoneinfo

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.education import selectors, signals
from ponleu.education.models import AttendanceCorrection, AttendanceMonth
from ponleu.education.services import attendance

from .factories import class_with_pupils, enrol, make_class, make_pupil

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
TUESDAY = dt.date(2026, 5, 12)


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=PP)):
        yield TUESDAY


def test_roll_call_stores_one_short_row_per_pupil_and_month(world, today):
    school_class, pupils = class_with_pupils(world, 3)
    teacher = world.actor("teacher")
    result = attendance.roll_call_save(
        actor=teacher,
        school_class=school_class,
        day=today,
        statuses={str(pupils[1].pk): "A", str(pupils[2].pk): "l"},
    )
    assert result.changed == 3
    rows = {r.enrolment_id: r.statuses for r in AttendanceMonth.objects.all()}
    assert len(rows) == 3
    assert rows[pupils[0].pk] == "." * 11 + "P"  # the 12th, nothing before
    assert rows[pupils[1].pk][11] == "A"
    assert rows[pupils[2].pk][11] == "L"
    # The next day lands in the same rows.
    with clock.frozen(dt.datetime(2026, 5, 13, 9, 0, tzinfo=PP)):
        attendance.roll_call_save(
            actor=teacher, school_class=school_class, day=dt.date(2026, 5, 13), statuses={}
        )
    assert AttendanceMonth.objects.count() == 3
    assert AttendanceMonth.objects.get(enrolment=pupils[1]).statuses == "." * 11 + "AP"


def test_saving_the_same_roll_call_again_changes_nothing(world, today):
    school_class, pupils = class_with_pupils(world, 2)
    teacher = world.actor("teacher")
    statuses = {str(pupils[0].pk): "A"}
    attendance.roll_call_save(actor=teacher, school_class=school_class, day=today, statuses=statuses)
    events = AuditEvent.objects.count()
    again = attendance.roll_call_save(actor=teacher, school_class=school_class, day=today, statuses=statuses)
    assert (again.changed, again.unchanged) == (0, 2)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 1, 7), "public holiday"),  # Victory over the Genocidal Regime, a Wednesday
        (dt.date(2026, 3, 17), "not in a term"),  # between the semesters
        (dt.date(2026, 2, 7), "not a teaching day"),  # a Saturday
        (dt.date(2026, 5, 13), "future"),
        (dt.date(2025, 10, 1), "outside the school year"),
    ],
)
def test_days_without_school_are_refused_and_nothing_is_stored(world, today, day, words):
    school_class, pupils = class_with_pupils(world, 2)
    with pytest.raises(ValidationFailed) as refused:
        attendance.roll_call_save(
            actor=world.actor("teacher"), school_class=school_class, day=day, statuses={}
        )
    assert words in " ".join(refused.value.errors["date"])
    assert not AttendanceMonth.objects.exists()


def test_a_pupil_of_another_class_is_refused_with_every_problem_listed(world, today):
    school_class, pupils = class_with_pupils(world, 2)
    other = make_class(school_class.school, school_class.year, section="B")
    stranger = enrol(other, make_pupil(world.org))
    late = enrol(school_class, make_pupil(world.org), on=dt.date(2026, 5, 20))
    statuses = {str(pupils[0].pk): "Z", str(stranger.pk): "A", str(late.pk): "A"}
    with pytest.raises(ValidationFailed) as refused:
        attendance.roll_call_save(
            actor=world.actor("teacher"), school_class=school_class, day=today, statuses=statuses
        )
    assert set(refused.value.errors) == {f"pupil {pupils[0].pk}", f"pupil {stranger.pk}", f"pupil {late.pk}"}
    assert "not enrolled in this class" in refused.value.errors[f"pupil {stranger.pk}"][0]
    assert not AttendanceMonth.objects.exists()


def test_only_the_homeroom_teacher_takes_the_roll_call(world, today):
    school_class, _ = class_with_pupils(world, 1, teacher_key=None)
    with pytest.raises(PermissionDenied):
        attendance.roll_call_save(
            actor=world.actor("teacher"), school_class=school_class, day=today, statuses={}
        )
    with pytest.raises(PermissionDenied):
        attendance.roll_call_save(
            actor=world.actor("caseworker_a"), school_class=school_class, day=today, statuses={}
        )


def test_correcting_a_past_day_needs_a_reason_and_is_logged(world, today):
    school_class, pupils = class_with_pupils(world, 2)
    teacher = world.actor("teacher")
    monday = dt.date(2026, 5, 11)
    attendance.roll_call_save(actor=teacher, school_class=school_class, day=monday, statuses={})
    change = {str(pupils[0].pk): "E"}
    with pytest.raises(ValidationFailed) as refused:
        attendance.roll_call_save(actor=teacher, school_class=school_class, day=monday, statuses=change)
    assert "reason" in refused.value.errors
    assert AttendanceMonth.objects.get(enrolment=pupils[0]).statuses[10] == "P"
    attendance.roll_call_save(
        actor=teacher,
        school_class=school_class,
        day=monday,
        statuses=change,
        reason="Mother brought a letter",
    )
    correction = AttendanceCorrection.objects.get()
    assert (correction.before, correction.after, correction.date) == ("P", "E", monday)
    event = AuditEvent.objects.filter(action="education.attendance.corrected").get()
    assert event.reason == "Mother brought a letter"
    assert event.changes["statuses"] == {str(pupils[0].pk): ["P", "E"]}


def test_a_roll_call_saved_by_someone_else_meanwhile_is_a_conflict(world, today):
    school_class, pupils = class_with_pupils(world, 2)
    teacher = world.actor("teacher")
    seen = selectors.roll_call(actor=teacher, class_id=school_class.pk, day=today).version
    attendance.roll_call_save(actor=teacher, school_class=school_class, day=today, statuses={}, version=seen)
    with pytest.raises(Conflict):
        attendance.roll_call_save(
            actor=teacher,
            school_class=school_class,
            day=today,
            statuses={str(pupils[0].pk): "A"},
            version=seen,
        )


def test_the_class_is_announced_for_rescoring_after_commit(world, today, django_capture_on_commit_callbacks):
    school_class, _ = class_with_pupils(world, 1)
    heard = []

    def receiver(sender, school_class_id, first_day, **kwargs):
        heard.append((school_class_id, first_day))

    signals.attendance_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            attendance.roll_call_save(
                actor=world.actor("teacher"), school_class=school_class, day=today, statuses={}
            )
    finally:
        signals.attendance_changed.disconnect(receiver)
    assert heard == [(school_class.pk, today)]
