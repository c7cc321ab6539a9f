"""Schools, academic years with their terms and calendar days, and classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.access import policy
from ponleu.access.actors import Actor
from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.education import policies, schooldays
from ponleu.education.choices import GRADES, CalendarDayKind, CalendarDaySource, EducationAction, SchoolLevel
from ponleu.education.models import AcademicYear, CalendarDay, School, SchoolClass, Term
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Membership

from .base import Problems, require
from .holidays import holidays_seed

SCHOOL_FIELDS = ("emis_code", "name_km", "name_en", "level", "village_id", "is_active")


def _check_school(data: dict, problems: Problems) -> None:
    if not (data.get("emis_code") or "").strip():
        problems.add("emis_code", _("Give the school's EMIS code."))
    if not (data.get("name_km") or "").strip() and not (data.get("name_en") or "").strip():
        problems.add("name_km", _("Give the school's name."))
    if data.get("level") not in SchoolLevel.values:
        problems.add("level", _("Choose the school's level."))
    village = data.get("village_id") or ""
    if not AdminUnit.objects.filter(code=village, level="village").exists():
        problems.add("village", _("Choose the village where the school is."))


def _save(school: School) -> None:
    """Save the school; an EMIS code another school holds is refused on its field (the
    database's unique constraint decides, so two writers at once cannot both pass)."""
    try:
        with transaction.atomic():
            school.save()
    except IntegrityError:
        raise ValidationFailed(_("Another school already has this EMIS code."), field="emis_code") from None


@transaction.atomic
def school_create(*, actor: Actor, data: dict) -> School:
    require(actor.can("education.manage") and actor.scope_for("education.manage") >= Scope.ORG)
    problems = Problems()
    _check_school(data, problems)
    problems.raise_if_any()
    school = School(organisation_id=actor.organisation_id, **{k: data[k] for k in SCHOOL_FIELDS if k in data})
    school.emis_code = school.emis_code.strip()
    _save(school)
    audit.record(
        actor=actor,
        action=EducationAction.SCHOOL_CREATED,
        target=school,
        changes=audit.diff({}, audit.snapshot(school, SCHOOL_FIELDS)),
    )
    return school


@transaction.atomic
def school_update(*, actor: Actor, school: School, version, data: dict) -> School:
    require(policies.can_manage_school(actor, school))
    merged = {**audit.snapshot(school, SCHOOL_FIELDS), **data}
    problems = Problems()
    _check_school(merged, problems)
    problems.raise_if_any()
    claim_version(school, version)
    before = audit.snapshot(school, SCHOOL_FIELDS)
    for name in SCHOOL_FIELDS:
        setattr(school, name, merged[name])
    _save(school)
    audit.record(
        actor=actor,
        action=EducationAction.SCHOOL_UPDATED,
        target=school,
        changes=audit.diff(before, audit.snapshot(school, SCHOOL_FIELDS)),
    )
    return school


# --- academic years ---------------------------------------------------------------------


def _check_terms(starts_on, ends_on, terms, problems: Problems) -> None:
    if not terms:
        problems.add("terms", _("Give at least one term with its first and last day."))
    previous_end = None
    for index, (name, first, last) in enumerate(terms, start=1):
        where = f"term {index}"
        if not name:
            problems.add(where, _("Give the term a name."))
        if first is None or last is None:
            problems.add(where, _("Give the term's first and last day."))
            continue
        if last < first:
            problems.add(where, _("The term ends before it starts."))
        if starts_on and ends_on and (first < starts_on or last > ends_on):
            problems.add(where, _("The term must lie inside the school year."))
        if previous_end is not None and first <= previous_end:
            problems.add(where, _("Terms must not overlap and must be in order."))
        previous_end = last


@transaction.atomic
def year_create(
    *,
    actor: Actor,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    terms: list[tuple[str, dt.date, dt.date]],
    weekdays: str = "01234",
    holiday_language: str = "km",
    closures: Sequence[dt.date] | None = None,
    closure_name: str = "",
) -> AcademicYear:
    """A school year with its terms; Cambodia's public holidays inside it become calendar days.

    A year loaded from records (a school history) gives ``closures`` instead: the teaching days
    nobody recorded, closed under ``closure_name``, so its school days are exactly the recorded
    ones."""
    require(actor.scope_for("education.manage") >= Scope.ORG)
    problems = Problems()
    name = (name or "").strip()
    if not name:
        problems.add("name", _("Give the year a name, for example 2026–2027."))
    elif AcademicYear.objects.filter(organisation_id=actor.organisation_id, name=name).exists():
        problems.add("name", _("A school year with this name already exists."))
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        problems.add("ends_on", _("The last day must come after the first day."))
    elif (ends_on - starts_on).days > 400:
        problems.add("ends_on", _("A school year lasts at most about thirteen months."))
    if not weekdays or any(c not in "0123456" for c in weekdays):
        problems.add("weekdays", _("Choose the teaching days of the week."))
    if holiday_language not in schooldays.HOLIDAY_LANGUAGES:
        problems.add("holiday_language", _("Choose Khmer or English for holiday names."))
    _check_terms(starts_on, ends_on, terms, problems)
    problems.raise_if_any()
    year = AcademicYear.objects.create(
        organisation_id=actor.organisation_id,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays="".join(sorted(set(weekdays))),
        holiday_language=holiday_language,
    )
    Term.objects.bulk_create(
        [
            Term(year=year, number=i, name=n, starts_on=a, ends_on=b)
            for i, (n, a, b) in enumerate(terms, start=1)
        ]
    )
    if closures is None:
        holidays_seed(year)
    else:
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    year=year,
                    date=day,
                    kind=CalendarDayKind.CLOSURE,
                    name_en=closure_name,
                    source=CalendarDaySource.ADMIN,
                )
                for day in closures
            ],
            batch_size=2000,
        )
    audit.record(
        actor=actor,
        action=EducationAction.YEAR_CREATED,
        target=year,
        changes={
            "name": [None, name],
            "starts_on": [None, starts_on.isoformat()],
            "ends_on": [None, ends_on.isoformat()],
            "terms": [None, [[n, a.isoformat(), b.isoformat()] for n, a, b in terms]],
        },
    )
    return year


@transaction.atomic
def terms_save(
    *, actor: Actor, year: AcademicYear, version, terms: list[tuple[str, dt.date, dt.date]]
) -> None:
    """Replace the year's term dates (they move from year to year; never hard-coded)."""
    require(
        actor.scope_for("education.manage") >= Scope.ORG and year.organisation_id == actor.organisation_id
    )
    problems = Problems()
    _check_terms(year.starts_on, year.ends_on, terms, problems)
    problems.raise_if_any()
    claim_version(year, version)
    before = [[t.name, t.starts_on.isoformat(), t.ends_on.isoformat()] for t in year.terms.order_by("number")]
    year.terms.all().delete()
    Term.objects.bulk_create(
        [
            Term(year=year, number=i, name=n, starts_on=a, ends_on=b)
            for i, (n, a, b) in enumerate(terms, start=1)
        ]
    )
    after = [[n, a.isoformat(), b.isoformat()] for n, a, b in terms]
    audit.record(
        actor=actor, action=EducationAction.TERM_SAVED, target=year, changes={"terms": [before, after]}
    )


@transaction.atomic
def calendar_day_set(
    *, actor: Actor, year: AcademicYear, date: dt.date, kind: str, name_km: str = "", name_en: str = ""
) -> CalendarDay:
    """Mark a date as a holiday, a closure or a (make-up) school day; replaces what was there."""
    require(
        actor.scope_for("education.manage") >= Scope.ORG and year.organisation_id == actor.organisation_id
    )
    problems = Problems()
    if date is None or not year.contains(date):
        problems.add("date", _("Choose a date inside the school year."))
    if kind not in CalendarDayKind.values:
        problems.add("kind", _("Choose what kind of day this is."))
    problems.raise_if_any()
    existing = CalendarDay.objects.filter(year=year, date=date).first()
    before = existing.kind if existing else None
    if existing is None:
        existing = CalendarDay(year=year, date=date)
    existing.kind = kind
    existing.name_km = name_km or existing.name_km
    existing.name_en = name_en or existing.name_en
    existing.source = CalendarDaySource.ADMIN
    existing.save()
    audit.record(
        actor=actor,
        action=EducationAction.CALENDAR_DAY_SET,
        target=year,
        changes={date.isoformat(): [before, kind]},
    )
    return existing


@transaction.atomic
def calendar_day_remove(*, actor: Actor, year: AcademicYear, date: dt.date) -> None:
    require(
        actor.scope_for("education.manage") >= Scope.ORG and year.organisation_id == actor.organisation_id
    )
    day = CalendarDay.objects.filter(year=year, date=date).first()
    if day is None:
        return
    day.delete()
    audit.record(
        actor=actor,
        action=EducationAction.CALENDAR_DAY_REMOVED,
        target=year,
        changes={date.isoformat(): [day.kind, None]},
    )


# --- classes ----------------------------------------------------------------------------


def _teacher(organisation_id, membership_id, problems: Problems) -> Membership | None:
    if not membership_id:
        return None
    membership = (
        Membership.objects.filter(pk=membership_id, organisation_id=organisation_id, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None or policy.scope_of(membership.role, "education.take_attendance") == Scope.NONE:
        problems.add("homeroom_teacher", _("Choose a teacher of this organisation."))
        return None
    return membership


@transaction.atomic
def class_create(
    *,
    actor: Actor,
    school: School,
    year: AcademicYear,
    grade: int,
    section: str = "",
    homeroom_teacher_id=None,
) -> SchoolClass:
    require(policies.can_manage_school(actor, school))
    problems = Problems()
    if year.organisation_id != school.organisation_id:
        problems.add("year", _("Choose a school year of this organisation."))
    try:
        grade = int(grade)
    except (TypeError, ValueError):
        grade = 0
    if grade not in GRADES[school.level]:
        problems.add(
            "grade",
            _("This school teaches grades %(first)d to %(last)d.")
            % {"first": school.grades[0], "last": school.grades[-1]},
        )
    section = (section or "").strip().upper()
    teacher = _teacher(school.organisation_id, homeroom_teacher_id, problems)
    if (
        not problems
        and SchoolClass.objects.filter(school=school, year=year, grade=grade, section=section).exists()
    ):
        problems.add("section", _("This class already exists for that year."))
    problems.raise_if_any()
    school_class = SchoolClass(
        school=school, year=year, grade=grade, section=section, homeroom_teacher=teacher
    )
    school_class.save()
    audit.record(
        actor=actor,
        action=EducationAction.CLASS_CREATED,
        target=school_class,
        changes={
            "class": [None, school_class.label],
            "year": [None, year.name],
            "homeroom_teacher": [None, str(teacher.pk) if teacher else None],
        },
    )
    return school_class


@transaction.atomic
def class_update(
    *, actor: Actor, school_class: SchoolClass, version, homeroom_teacher_id=None
) -> SchoolClass:
    require(policies.can_manage_school(actor, school_class.school))
    problems = Problems()
    teacher = _teacher(school_class.organisation_id, homeroom_teacher_id, problems)
    problems.raise_if_any()
    claim_version(school_class, version)
    before = str(school_class.homeroom_teacher_id) if school_class.homeroom_teacher_id else None
    school_class.homeroom_teacher = teacher
    school_class.save()
    audit.record(
        actor=actor,
        action=EducationAction.CLASS_UPDATED,
        target=school_class,
        changes={"homeroom_teacher": [before, str(teacher.pk) if teacher else None]},
    )
    return school_class
