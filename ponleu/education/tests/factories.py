"""Schools, years, classes and pupils for tests, built directly (services are tested apart)."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.education.choices import SchoolLevel
from ponleu.education.models import AcademicYear, Enrolment, School, SchoolClass, Term
from ponleu.education.services.holidays import holidays_seed
from ponleu.registry.models import Person

# A year of the shape Cambodian schools keep: two semesters with a break between them.
YEAR_START = dt.date(2025, 11, 3)
YEAR_END = dt.date(2026, 8, 28)
TERMS = (
    ("Semester 1", dt.date(2025, 11, 3), dt.date(2026, 3, 13)),
    ("Semester 2", dt.date(2026, 3, 23), dt.date(2026, 8, 28)),
)

_counter = itertools.count(1)


def school_year_of(day: dt.date) -> tuple[dt.date, dt.date, tuple]:
    """The year Cambodian schools keep that holds ``day``, or ended last before it: from the first
    Monday of November to the last Friday of August, two semesters with a break in March."""
    first = day.year if day.month >= 11 else day.year - 1
    november = dt.date(first, 11, 1)
    start = november + dt.timedelta(days=-november.weekday() % 7)
    august = dt.date(first + 1, 8, 31)
    end = august - dt.timedelta(days=(august.weekday() - 4) % 7)
    terms = (
        ("Semester 1", start, dt.date(first + 1, 3, 13)),
        ("Semester 2", dt.date(first + 1, 3, 23), end),
    )
    return start, end, terms


def make_school(organisation, *, village="02010101", level=SchoolLevel.LOWER_SECONDARY, **extra) -> School:
    n = next(_counter)
    return School.objects.create(
        organisation=organisation,
        emis_code=extra.pop("emis_code", f"EMIS{n:05d}"),
        name_km=f"សាលា {n}",
        name_en=extra.pop("name_en", f"School {n}"),
        level=level,
        village_id=village,
        **extra,
    )


def make_year(
    organisation, *, name=None, start=YEAR_START, end=YEAR_END, terms=TERMS, holidays=True
) -> AcademicYear:
    name = name or f"{start.year}–{end.year}"
    existing = AcademicYear.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    year = AcademicYear.objects.create(organisation=organisation, name=name, starts_on=start, ends_on=end)
    for number, (term_name, first, last) in enumerate(terms, start=1):
        Term.objects.create(year=year, number=number, name=term_name, starts_on=first, ends_on=last)
    if holidays:
        holidays_seed(year)
    return year


def make_class(school, year, *, grade=7, section="A", teacher=None) -> SchoolClass:
    school_class = SchoolClass(
        school=school, year=year, grade=grade, section=section, homeroom_teacher=teacher
    )
    school_class.save()
    return school_class


def make_pupil(
    organisation, *, village="02010101", family="Sok", given=None, born=dt.date(2012, 5, 1), **extra
):
    n = next(_counter)
    return Person.objects.create(
        organisation=organisation,
        village_id=village,
        family_name_latin=family,
        given_name_latin=given or f"Dara{n}",
        family_name_km="សុខ",
        given_name_km=f"ដារា{n}",
        date_of_birth=born,
        **extra,
    )


def enrol(school_class, person, *, on=YEAR_START, **extra) -> Enrolment:
    return Enrolment.objects.create(
        organisation=school_class.organisation,
        person=person,
        school_class=school_class,
        enrolled_on=on,
        **extra,
    )


def class_with_pupils(world, count, *, teacher_key="teacher", grade=7):
    school = make_school(world.org)
    year = make_year(world.org)
    school_class = make_class(
        school, year, grade=grade, teacher=world.members[teacher_key] if teacher_key else None
    )
    pupils = [enrol(school_class, make_pupil(world.org)) for _ in range(count)]
    return school_class, pupils


def fill_register(enrolment, marks: dict) -> None:
    """Write ``{date: letter}`` into the pupil's monthly rows directly."""
    from ponleu.education import registers
    from ponleu.education.models import AttendanceMonth

    for day, letter in sorted(marks.items()):
        row, _ = AttendanceMonth.objects.get_or_create(enrolment=enrolment, month=day.replace(day=1))
        row.statuses = registers.with_status(row.statuses, day, letter)
        AttendanceMonth.objects.filter(enrolment=enrolment, month=row.month).update(statuses=row.statuses)


def school_days(year, first, last):
    from ponleu.education.selectors import calendar_for

    return [d for d in calendar_for(year).school_days() if first <= d <= last]
