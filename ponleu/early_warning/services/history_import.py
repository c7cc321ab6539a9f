"""Load a school-history folder (docs/early-warning/history-format.md) into Ponleu's own tables.

The engine's reader validates the whole folder first (every problem by file, line and column);
then Ponleu checks what only it can (a place for each school, cohorts not yet imported). With
any problem nothing is written. Otherwise, in one transaction, the rows are planned here and
written by the apps that own them (``education.services`` for years, schools, classes, enrolments
and their records; ``registry.services.bulk`` for people and households, with their search keys,
so a child loaded from a history is found by name search and the duplicate check at once):

- each cohort becomes a school year with one term over its dates; the days on which nobody in
  the cohort has an attendance record are marked as closures, so the school days are exactly the
  recorded ones (as the backtest counts them) and runs of absences cross weekends and holidays;
- each school becomes a school (EMIS code = its id) in the given village, or the first village of
  its province in the gazetteer; each cohort × school × grade a class;
- each child (``person_id``, else the student id) becomes one registry person, named by the id
  (the format carries no names), with sex, birth date (or one estimated from the age), a household
  carrying the IDPoor level and, when an ``x_parents_away`` column says so, parents working away;
- students become enrolments (dropped out on their date, otherwise completed for a year already
  over, enrolled for one still running); attendance becomes monthly registers; assessments become
  one test sheet per class, subject and date; behaviour becomes incidents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.early_warning.choices import EwsAction
from ponleu.early_warning.engine import history as engine_history
from ponleu.early_warning.engine.bitmaps import STATUS_LETTERS
from ponleu.education import registers
from ponleu.education.choices import GRADES, AssessmentKind, EnrolmentStatus, IncidentType, SchoolLevel
from ponleu.education.models import (
    AcademicYear,
    Assessment,
    AttendanceMonth,
    BehaviourIncident,
    Enrolment,
    School,
    SchoolClass,
)
from ponleu.education.services import loads
from ponleu.education.services import schools as school_services
from ponleu.geography.models import AdminUnit
from ponleu.registry.choices import DatePrecision, IDPoorStatus, MigrationDestination, PersonKind, Sex
from ponleu.registry.models import Household, HouseholdMember, Person
from ponleu.registry.services import bulk

POVERTY = {"1": IDPoorStatus.LEVEL_1, "2": IDPoorStatus.LEVEL_2, "0": IDPoorStatus.NOT_POOR}


@dataclass
class ImportSummary:
    years: int = 0
    schools: int = 0
    classes: int = 0
    people: int = 0
    enrolments: int = 0
    attendance_rows: int = 0
    assessments: int = 0
    incidents: int = 0
    warnings: list = field(default_factory=list)


class HistoryImportError(ValidationFailed):
    """Every problem of the folder; nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__(
            _("The history folder cannot be imported; nothing was written."), errors={"folder": problems}
        )
        self.problems = problems


def _date(value) -> dt.date | None:
    if value is None or np.isnat(value):
        return None
    return value.astype("datetime64[D]").astype(object)


def _villages(schools: dict, provinces: dict, village: str | None, problems: list[str]) -> dict:
    out = {}
    if village:
        if not AdminUnit.objects.filter(code=village, level="village").exists():
            problems.append(_("--village %(code)s is not a village of the gazetteer.") % {"code": village})
            return out
        return dict.fromkeys(schools, village)
    for school in schools:
        province = provinces.get(school) or ""
        found = (
            AdminUnit.objects.within(province)
            .filter(level="village")
            .order_by("code")
            .values_list("code", flat=True)
            .first()
            if province.isdigit()
            else None
        )
        if found is None:
            problems.append(
                _("School %(school)s: no village found for province %(province)r; give --village.")
                % {"school": school, "province": province}
            )
        else:
            out[school] = found
    return out


@transaction.atomic
def history_import(*, actor: Actor, folder: str | Path, village: str | None = None) -> ImportSummary:
    # Years and schools are the whole organisation's: loading a history needs that scope.
    if actor.organisation_id is None or actor.scope_for("education.manage") < Scope.ORG:
        raise PermissionDenied()
    try:
        h = engine_history.read_history(folder)
    except engine_history.HistoryError as refused:
        problems = [str(p) for p in refused.problems]
        if refused.more:
            problems.append(_("… and %(count)s more problems") % {"count": refused.more})
        raise HistoryImportError(problems) from None
    org = actor.organisation_id
    s = h.students
    problems: list[str] = []
    taken = set(
        AcademicYear.objects.filter(
            organisation_id=org, name__in=[c.cohort_id for c in h.cohorts]
        ).values_list("name", flat=True)
    )
    for name in sorted(taken):
        problems.append(
            _("Cohort %(cohort)s is already a school year of this organisation.") % {"cohort": name}
        )
    school_ids = sorted({str(x) for x in s.school})
    taken_schools = set(
        School.objects.filter(organisation_id=org, emis_code__in=school_ids).values_list(
            "emis_code", flat=True
        )
    )
    provinces = {}
    for school, province in zip(s.school, s.province_code, strict=True):
        provinces.setdefault(str(school), province or "")
    new_schools = [x for x in school_ids if x not in taken_schools]
    villages = _villages(new_schools, provinces, village, problems)
    if problems:
        raise HistoryImportError(problems)
    summary = ImportSummary(warnings=list(h.warnings))
    today = clock.today()

    # School years: one term; days nobody recorded are closures.
    att_dates = (
        h.attendance.arrays.get("date", np.zeros(0, "datetime64[D]"))
        if h.attendance.student.size
        else np.zeros(0, "datetime64[D]")
    )
    att_cohort = s.cohort[h.attendance.student] if h.attendance.student.size else np.zeros(0, int)
    years = []
    for index, cohort in enumerate(h.cohorts):
        recorded = {d.astype(object) for d in np.unique(att_dates[att_cohort == index])}
        weekdays = "".join(sorted({str(d.weekday()) for d in recorded})) or "01234"
        closures = None
        if recorded:
            closures, day = [], cohort.start
            while day <= cohort.end:
                if str(day.weekday()) in weekdays and day not in recorded:
                    closures.append(day)
                day += dt.timedelta(days=1)
        years.append(
            school_services.year_create(
                actor=actor,
                name=cohort.cohort_id[:40],
                starts_on=cohort.start,
                ends_on=cohort.end,
                terms=[(cohort.cohort_id[:60], cohort.start, cohort.end)],
                weekdays=weekdays,
                closures=closures,
                closure_name="No record",
            )
        )
    summary.years = len(years)

    # Schools, by the grades they teach.
    grades_by_school = defaultdict(set)
    for school, grade in zip(s.school, s.grade, strict=True):
        if grade not in (None, "") and str(grade).isdigit():
            grades_by_school[str(school)].add(int(grade))
    schools = {x.emis_code: x for x in School.objects.filter(organisation_id=org, emis_code__in=school_ids)}
    for code in new_schools:
        grades = grades_by_school.get(code) or {7}
        level = SchoolLevel.PRIMARY if max(grades) <= 6 else SchoolLevel.SECONDARY
        schools[code] = school_services.school_create(
            actor=actor,
            data={
                "emis_code": code[:20],
                "name_km": code,
                "name_en": code,
                "level": level,
                "village_id": villages[code],
            },
        )
    summary.schools = len(new_schools)

    # Classes: cohort × school × grade.
    classes: dict[tuple, SchoolClass] = {}
    class_of = []
    for i in range(len(s.ids)):
        school = schools[str(s.school[i])]
        grade = s.grade[i]
        grade = int(grade) if grade not in (None, "") and str(grade).isdigit() else GRADES[school.level][0]
        key = (int(s.cohort[i]), school.emis_code, grade)
        if key not in classes:
            classes[key] = SchoolClass(school=school, year=years[key[0]], grade=grade, section="")
        class_of.append(key)
    loads.classes_load(actor=actor, classes=list(classes.values()))
    summary.classes = len(classes)

    # People and households, once per child.
    person_rows: dict[str, int] = {}
    for i, pid in enumerate(s.person):
        person_rows.setdefault(str(pid), i)
    away = s.extras.get("x_parents_away")
    people: dict[str, Person] = {}
    households, members = [], []
    for pid, i in person_rows.items():
        school = schools[str(s.school[i])]
        birth = _date(s.birth_date[i])
        precision = DatePrecision.DAY
        if birth is None and not np.isnan(s.age_years[i]):
            start = h.cohorts[int(s.cohort[i])].start
            birth = start - dt.timedelta(days=int(round(float(s.age_years[i]) * 365.25)))
            precision = DatePrecision.ESTIMATED
        disability = s.disability[i]
        person = Person(
            organisation_id=org,
            village_id=school.village_id,
            area_code=school.area_code,
            kind=PersonKind.CHILD,
            family_name_latin=_("Student"),
            given_name_latin=pid[:80],
            sex={"F": Sex.FEMALE, "M": Sex.MALE}.get(
                s.sex[i] or "", Sex.UNKNOWN if not s.sex[i] else Sex.OTHER
            ),
            date_of_birth=birth,
            date_of_birth_precision=precision,
            has_functional_difficulty=None if disability in (None, "") else disability == "yes",
        )
        people[pid] = person
        poverty = s.poverty_level[i]
        parents = away[i] if away is not None else None
        if poverty not in (None, "") or parents not in (None, ""):
            household = Household(
                organisation_id=org,
                village_id=school.village_id,
                area_code=school.area_code,
                idpoor_status=POVERTY.get(str(poverty), IDPoorStatus.NOT_ASSESSED),
                parents_away=MigrationDestination.OTHER_PROVINCE if str(parents).lower() == "yes" else "",
            )
            households.append(household)
            members.append(HouseholdMember(household=household, person=person, relationship="child"))
    bulk.people_register_bulk(
        actor=actor,
        people=list(people.values()),
        households=households,
        members=members,
        capability="education.manage",
        source=("education.academicyear", str(years[-1].pk) if years else ""),
        reason=str(folder)[:300],
    )
    summary.people = len(people)

    # Enrolments and how each year ended.
    enrolments = []
    for i in range(len(s.ids)):
        cohort = h.cohorts[int(s.cohort[i])]
        left = _date(h.left_on[i]) if h.dropped[i] else None
        if h.dropped[i]:
            status = EnrolmentStatus.DROPPED_OUT
        else:
            status = EnrolmentStatus.COMPLETED if cohort.end < today else EnrolmentStatus.ENROLLED
        enrolments.append(
            Enrolment(
                person=people[str(s.person[i])],
                school_class=classes[class_of[i]],
                enrolled_on=_date(s.enrolled_on[i]) or cohort.start,
                status=status,
                left_on=left,
                left_reason="unknown" if left else "",
            )
        )
    last_year = years[-1] if years else None
    loads.enrolments_load(actor=actor, year=last_year, enrolments=enrolments)
    summary.enrolments = len(enrolments)

    # Attendance as monthly registers.
    months: dict[tuple, list] = {}
    if h.attendance.student.size:
        for student, day, code in zip(
            h.attendance.student, h.attendance.arrays["date"], h.attendance.arrays["status"], strict=True
        ):
            d = day.astype(object)
            key = (int(student), d.replace(day=1))
            letters = months.setdefault(key, ["."] * 31)
            letters[d.day - 1] = STATUS_LETTERS[int(code)]
    registers_rows = [
        AttendanceMonth(
            enrolment=enrolments[i], month=month, statuses="".join(letters).rstrip(registers.NONE)
        )
        for (i, month), letters in months.items()
    ]
    summary.attendance_rows = len(months)

    # Test sheets: one per class, subject and date; not taken = no entry.
    sheets: dict[tuple, dict] = {}
    a = h.assessments
    for k in range(a.student.size):
        i = int(a.student[k])
        day = _date(a.arrays["due"][k]) or _date(a.arrays["taken"][k])
        subject = h.subjects[int(a.arrays["subject"][k])][:20]
        key = (class_of[i], subject, day)
        sheet = sheets.setdefault(key, {"max": float(a.arrays["max_score"][k]), "scores": {}})
        if _date(a.arrays["taken"][k]) is not None:
            score = float(a.arrays["score"][k])
            if np.isfinite(score) and sheet["max"] > 0 and float(a.arrays["max_score"][k]) > 0:
                score = score * sheet["max"] / float(a.arrays["max_score"][k])
            sheet["scores"][str(enrolments[i].pk)] = None if not np.isfinite(score) else round(score, 2)
    tests = [
        Assessment(
            school_class=classes[c],
            subject=subject,
            kind=AssessmentKind.MONTHLY_TEST,
            held_on=day,
            max_score=round(sheet["max"], 2),
            scores=sheet["scores"],
        )
        for (c, subject, day), sheet in sheets.items()
    ]
    summary.assessments = len(sheets)

    b = h.behaviour
    incidents = [
        BehaviourIncident(
            enrolment=enrolments[int(b.student[k])],
            occurred_on=_date(b.arrays["date"][k]),
            type=IncidentType.OTHER,
            severity=int(b.arrays["severity"][k]),
        )
        for k in range(b.student.size)
    ]
    loads.records_load(
        actor=actor, year=last_year, attendance=registers_rows, assessments=tests, incidents=incidents
    )
    summary.incidents = int(b.student.size)
    audit.record(
        actor=actor,
        action=EwsAction.HISTORY_IMPORTED,
        target=years[-1] if years else None,
        changes={k: [None, v] for k, v in summary.__dict__.items() if k != "warnings"},
        reason=str(folder)[:300],
    )
    return summary
