import datetime as dt
import zoneinfo

import pytest

from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.education import selectors
from ponleu.education.choices import CalendarDayKind, EnrolmentStatus
from ponleu.education.models import CalendarDay, EnrolmentEvent
from ponleu.education.services import enrolment, marks, schools

from .factories import class_with_pupils, make_school

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, tzinfo=PP)):
        yield dt.date(2026, 5, 12)


def test_a_school_year_gets_its_terms_and_the_public_holidays_in_both_languages(world, today):
    admin = world.actor("org_admin")
    year = schools.year_create(
        actor=admin,
        name="2025–2026",
        starts_on=dt.date(2025, 11, 3),
        ends_on=dt.date(2026, 8, 28),
        terms=[
            ("S1", dt.date(2025, 11, 3), dt.date(2026, 3, 13)),
            ("S2", dt.date(2026, 3, 23), dt.date(2026, 8, 28)),
        ],
    )
    new_year = CalendarDay.objects.get(year=year, date=dt.date(2026, 4, 14))
    assert new_year.kind == CalendarDayKind.PUBLIC_HOLIDAY
    assert new_year.name_en == "Khmer New Year's Day"
    assert "ចូលឆ្នាំ" in new_year.name_km
    calendar = selectors.calendar_for(year)
    assert not calendar.is_school_day(dt.date(2026, 4, 14))
    # An administrator can make a holiday a school day (a make-up day) and close a school day.
    schools.calendar_day_set(
        actor=admin, year=year, date=dt.date(2026, 4, 14), kind=CalendarDayKind.SCHOOL_DAY
    )
    schools.calendar_day_set(
        actor=admin, year=year, date=dt.date(2026, 4, 20), kind=CalendarDayKind.CLOSURE, name_en="Flood"
    )
    calendar = selectors.calendar_for(type(year).objects.get(pk=year.pk))
    assert calendar.is_school_day(dt.date(2026, 4, 14))
    assert calendar.why_not(dt.date(2026, 4, 20)) == "closure"


def test_bad_years_list_every_problem(world, today):
    with pytest.raises(ValidationFailed) as refused:
        schools.year_create(
            actor=world.actor("org_admin"),
            name="",
            starts_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2025, 1, 5),
            terms=[("", dt.date(2026, 3, 1), dt.date(2026, 2, 1))],
            weekdays="9",
        )
    assert {"name", "ends_on", "weekdays", "term 1"} <= set(refused.value.errors)
    with pytest.raises(PermissionDenied):
        schools.year_create(
            actor=world.actor("teacher"),
            name="x",
            starts_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2026, 9, 5),
            terms=[("S", dt.date(2026, 1, 5), dt.date(2026, 9, 5))],
        )


def test_a_class_needs_a_grade_the_school_teaches_and_a_teacher_of_the_organisation(world, today):
    school = make_school(world.org)  # lower secondary: grades 7 to 9
    school_class, _ = class_with_pupils(world, 0)
    with pytest.raises(ValidationFailed) as refused:
        schools.class_create(
            actor=world.actor("org_admin"),
            school=school,
            year=school_class.year,
            grade=3,
            homeroom_teacher_id=world.members["caseworker_a"].pk,
        )
    assert set(refused.value.errors) == {"grade", "homeroom_teacher"}


def test_a_dropout_is_recorded_with_its_date_and_reason(world, today):
    school_class, (pupil,) = class_with_pupils(world, 1)
    admin = world.actor("org_admin")
    with pytest.raises(ValidationFailed) as refused:
        enrolment.enrolment_change(
            actor=admin, enrolment=pupil, version=pupil.version, kind="dropped_out", date=dt.date(2026, 5, 4)
        )
    assert "reason" in refused.value.errors
    enrolment.enrolment_change(
        actor=admin,
        enrolment=pupil,
        version=pupil.version,
        kind="dropped_out",
        date=dt.date(2026, 5, 4),
        reason="work",
    )
    pupil.refresh_from_db()
    assert (pupil.status, pupil.left_on, pupil.left_reason) == (
        EnrolmentStatus.DROPPED_OUT,
        dt.date(2026, 5, 4),
        "work",
    )
    assert EnrolmentEvent.objects.filter(enrolment=pupil, kind="dropped_out").exists()
    enrolment.enrolment_change(
        actor=admin, enrolment=pupil, version=pupil.version, kind="returned", date=dt.date(2026, 5, 11)
    )
    pupil.refresh_from_db()
    assert pupil.status == EnrolmentStatus.ENROLLED


def test_a_score_above_the_maximum_is_refused_with_every_pupil_named(world, today):
    school_class, pupils = class_with_pupils(world, 3)
    scores = {str(pupils[0].pk): "55", str(pupils[1].pk): "-1", str(pupils[2].pk): "40"}
    with pytest.raises(ValidationFailed) as refused:
        marks.assessment_save(
            actor=world.actor("teacher"),
            school_class=school_class,
            subject="maths",
            kind="monthly",
            held_on=dt.date(2026, 5, 7),
            max_score=50,
            scores=scores,
        )
    assert set(refused.value.errors) == {f"score {pupils[0].pk}", f"score {pupils[1].pk}"}
    assert "above the maximum" in refused.value.errors[f"score {pupils[0].pk}"][0]
    assert not school_class.assessments.exists()
    scores[str(pupils[0].pk)], scores[str(pupils[1].pk)] = "45", ""
    test = marks.assessment_save(
        actor=world.actor("teacher"),
        school_class=school_class,
        subject="maths",
        kind="monthly",
        held_on=dt.date(2026, 5, 7),
        max_score=50,
        scores=scores,
    )
    assert test.scores == {str(pupils[0].pk): 45.0, str(pupils[2].pk): 40.0}  # an empty score: did not sit it
