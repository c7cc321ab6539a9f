"""Reads of schools, classes, registers and marks, each from what the actor may act on.

Reads that show pupils write one access event naming them (registry people), in the same
request; pages with no pupil on them name the object they show.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Substr

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock

from . import registers
from .choices import EducationAction, EnrolmentStatus
from .models import (
    AcademicYear,
    Assessment,
    AttendanceMonth,
    CalendarDay,
    Enrolment,
    School,
    SchoolClass,
)
from .schooldays import SchoolCalendar, month_start

PERSON = "registry.person"


def calendar_for(year: AcademicYear) -> SchoolCalendar:
    """The year's calendar (two queries), cached on the year object."""
    cached = getattr(year, "_calendar", None)
    if cached is None:
        terms = tuple(year.terms.order_by("starts_on").values_list("starts_on", "ends_on"))
        special = dict(CalendarDay.objects.filter(year=year).values_list("date", "kind"))
        cached = SchoolCalendar(year.starts_on, year.ends_on, year.weekdays, terms, special)
        year._calendar = cached
    return cached


def current_year(organisation_id, on: dt.date | None = None) -> AcademicYear | None:
    day = on or clock.today()
    years = AcademicYear.objects.filter(organisation_id=organisation_id)
    return years.filter(starts_on__lte=day, ends_on__gte=day).first() or years.order_by("-starts_on").first()


def enrolled_on(day: dt.date) -> Q:
    """Enrolments active on ``day``: enrolled by then and not yet left (any final status)."""
    return Q(enrolled_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def pupil_order():
    return (
        "person__family_name_km",
        "person__given_name_km",
        "person__family_name_latin",
        "person__given_name_latin",
    )


# --- classes ----------------------------------------------------------------------------


def class_get(*, actor: Actor, class_id, capability: str = "education.take_attendance") -> SchoolClass:
    """A class the actor may act on with ``capability``; DoesNotExist when missing or out of reach."""
    return (
        SchoolClass.objects.actionable_by(actor, capability)
        .select_related("school", "year", "homeroom_teacher__user")
        .get(pk=class_id)
    )


def teacher_classes(*, actor: Actor) -> list[SchoolClass]:
    """Classes of the current years the actor takes roll call in, with their pupil counts."""
    today = clock.today()
    return list(
        SchoolClass.objects.actionable_by(actor, "education.take_attendance")
        .filter(year__starts_on__lte=today, year__ends_on__gte=today)
        .select_related("school", "year")
        .annotate(pupils=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .order_by("school__name_en", "grade", "section")
    )


def roll_calls_due(*, actor: Actor, day: dt.date | None = None):
    """The actor's classes with pupils whose roll call for ``day`` (today) is not taken yet,
    on a school day of their year's calendar; a query, so that counting and listing agree."""
    day = day or clock.today()
    classes = (
        SchoolClass.objects.actionable_by(actor, "education.take_attendance")
        .filter(year__starts_on__lte=day, year__ends_on__gte=day)
        .filter(pk__in=Enrolment.objects.filter(enrolled_on(day)).values("school_class_id"))
    )
    years = AcademicYear.objects.filter(pk__in=classes.values("year_id"))
    school_day_years = [year.pk for year in years if calendar_for(year).why_not(day) is None]
    taken = (
        AttendanceMonth.objects.filter(month=month_start(day))
        .annotate(letter=Substr("statuses", day.day, 1))
        .exclude(letter__in=("", registers.NONE))
        .values("enrolment__school_class_id")
    )
    return (
        classes.filter(year_id__in=school_day_years)
        .exclude(pk__in=taken)
        .select_related("school", "year")
        .order_by("school__name_en", "grade", "section", "pk")
    )


def roll_call_gaps(*, actor: Actor, capability: str, year: AcademicYear, days: list[dt.date]):
    """The classes of ``year`` in the actor's reach under ``capability`` with pupils enrolled on
    the last of ``days``, each annotated with ``missing``: on how many of ``days`` nobody in the
    class had a roll call taken. One query, however many classes."""
    if not days:
        return SchoolClass.objects.none()
    missing = []
    for day in days:
        taken = (
            AttendanceMonth.objects.filter(enrolment__school_class_id=OuterRef("pk"), month=month_start(day))
            .annotate(letter=Substr("statuses", day.day, 1))
            .exclude(letter__in=("", registers.NONE))
        )
        missing.append(
            Case(When(Exists(taken), then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    return (
        SchoolClass.objects.actionable_by(actor, capability)
        .filter(year=year, pk__in=Enrolment.objects.filter(enrolled_on(days[-1])).values("school_class_id"))
        .annotate(missing=functools.reduce(operator.add, missing))
    )


def school_list(*, actor: Actor, capability: str = "education.manage") -> list[School]:
    return list(
        School.objects.actionable_by(actor, capability)
        .annotate(class_count=Count("classes", distinct=True))
        .order_by("name_en", "name_km")
    )


def school_get(*, actor: Actor, school_id, capability: str = "education.manage") -> School:
    school = School.objects.actionable_by(actor, capability).select_related("village").get(pk=school_id)
    audit.record_access(
        actor=actor,
        action=EducationAction.SCHOOL_VIEWED,
        target_type="education.school",
        target_ids=[school.pk],
    )
    return school


def year_get(*, actor: Actor, year_id) -> AcademicYear:
    year = AcademicYear.objects.get(pk=year_id, organisation_id=actor.organisation_id)
    audit.record_access(
        actor=actor,
        action=EducationAction.YEAR_VIEWED,
        target_type="education.academicyear",
        target_ids=[year.pk],
    )
    return year


# --- roll call ---------------------------------------------------------------------------


@dataclass
class Pupil:
    enrolment: Enrolment
    status: str
    number: int
    label: str = ""  # set by the interface, which knows whose names the reader may see


@dataclass
class RollCall:
    school_class: SchoolClass
    day: dt.date
    why_not: str | None  # None on a school day
    pupils: list[Pupil] = field(default_factory=list)
    recorded: bool = False
    version: str = ""

    @property
    def is_school_day(self) -> bool:
        return self.why_not is None

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(registers.LETTERS, 0)
        for pupil in self.pupils:
            out[pupil.status] += 1
        return out


def class_pupils(school_class: SchoolClass, day: dt.date) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(enrolled_on(day), school_class=school_class)
        .select_related("person")
        .order_by(*pupil_order())
    )


def day_statuses(enrolment_ids, day: dt.date) -> dict:
    rows = AttendanceMonth.objects.filter(enrolment_id__in=list(enrolment_ids), month=month_start(day))
    return {row.enrolment_id: registers.status_on(row.statuses, day) for row in rows}


def roll_call(*, actor: Actor, class_id, day: dt.date) -> RollCall:
    """The register of one class for one day, pupils in register order; one access event.

    Names are left to the interface (``policies.label_pupils``): some readers see initials."""
    school_class = class_get(actor=actor, class_id=class_id)
    calendar = calendar_for(school_class.year)
    result = RollCall(school_class=school_class, day=day, why_not=calendar.why_not(day))
    enrolments = class_pupils(school_class, day)
    statuses = day_statuses([e.pk for e in enrolments], day)
    for number, enrolment in enumerate(enrolments, start=1):
        status = statuses.get(enrolment.pk, registers.NONE)
        result.recorded = result.recorded or status != registers.NONE
        result.pupils.append(Pupil(enrolment, status, number))
    result.version = registers.day_version({str(p.enrolment.pk): p.status for p in result.pupils})
    record_read(
        actor=actor,
        action=EducationAction.ROLL_CALL_VIEWED,
        target=school_class,
        person_ids=[e.person_id for e in enrolments],
        query=f"date={day.isoformat()}",
    )
    return result


def class_marks(*, actor: Actor, school_class: SchoolClass) -> list[Assessment]:
    return list(Assessment.objects.filter(school_class=school_class).order_by("-held_on", "subject"))


def record_read(*, actor: Actor, action, target, person_ids=(), query: str = "") -> None:
    """The access events of one page about ``target``: one naming it, one naming the children shown."""
    label = target._meta.label_lower
    reads = [audit.Read(action, label, [target.pk], query)]
    if person_ids:
        reads.append(audit.Read(action, PERSON, list(person_ids), f"{label}={target.pk} {query}".strip()))
    audit.record_accesses(actor=actor, reads=reads)


def record_pupils_read(*, actor: Actor, action, school_class, enrolments, query: str = "") -> None:
    record_read(
        actor=actor,
        action=action,
        target=school_class,
        person_ids=[e.person_id for e in enrolments],
        query=query,
    )
