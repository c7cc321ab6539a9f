"""Synthetic schools for one demo organisation: two school years of attendance, marks and behaviour,
risk scores week by week, a trained model, a review queue with decisions and outcomes.

The pupils are the organisation's demo children of school age, each in a school of their own
district (primary for grades 1-6, a general secondary school for 7-12). Every child has lasting
traits: household poverty (the registry's IDPoor level), parents working away, engagement and
ability, and being over-age for the grade. A known data-generating process turns them into the
records: absences rise with poverty, parents away and low engagement, and sharply in the weeks
before a child leaves; test scores follow ability and engagement; incidents follow low
engagement. The yearly chance of leaving rises with poverty, parents away, over-age, low
engagement and low ability, and is far higher in secondary school (MoEYS: 4.6 % primary, 17 %
lower secondary). Sex and disability play no part, so any gap the subgroup table shows comes from
the model. Deterministic for a seed; everything is written in bulk.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np

from ponleu.access.actors import actor_for_membership, system_actor
from ponleu.common import clock
from ponleu.common.errors import DomainError
from ponleu.early_warning.choices import Decision, FlagStatus, Outcome
from ponleu.early_warning.engine.model import TrainingSettings
from ponleu.early_warning.models import Flag, week_of
from ponleu.early_warning.services import interventions, review, scoring, training
from ponleu.education import registers, schooldays
from ponleu.education.choices import (
    AssessmentKind,
    DropoutReason,
    EnrolmentEventKind,
    EnrolmentStatus,
    IncidentType,
    SchoolLevel,
)
from ponleu.education.models import (
    AcademicYear,
    Assessment,
    AttendanceMonth,
    BehaviourIncident,
    CalendarDay,
    Enrolment,
    EnrolmentEvent,
    School,
    SchoolClass,
    Term,
)
from ponleu.education.services.holidays import holidays_seed
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.registry.choices import IDPoorStatus, MigrationDestination, PersonKind
from ponleu.registry.models import HouseholdMember, Person

from . import people

SUBJECTS = ("khmer", "maths", "science")
CLASS_SIZE = 45  # a lower-secondary class in a rural Cambodian school
NEWCOMER_NUMBERS = 90_000  # document numbers of the newcomers, above the registry's own
MAX_SCORE = 50
BATCH = 2000
# How many flags the caseworkers got to, over the year so far; the rest were flagged, not served.
REVIEWS_PER_ORGANISATION = 120
# The demo model trains on one finished year; a smaller search keeps `ponleu demo` quick.
DEMO_TRAINING = TrainingSettings(
    boosting_grid=(
        {
            "learning_rate": 0.1,
            "max_iter": 100,
            "max_leaf_nodes": 7,
            "min_samples_leaf": 40,
            "l2_regularization": 1.0,
        },
    ),
    logistic_grid=(0.1,),
    calibration_methods=("sigmoid",),
    calibration_folds=3,
)
DECISIONS = (
    (Decision.HOME_VISIT, 30),
    (Decision.SCHOLARSHIP, 20),
    (Decision.REMEDIAL_CLASS, 15),
    (Decision.SCHOOL_MATERIALS, 8),
    (Decision.BREAKFAST, 5),
    (Decision.BICYCLE, 5),
    (Decision.CASE_REFERRAL, 4),
    (Decision.NO_ACTION, 13),
)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _years(organisation, today: dt.date) -> list[AcademicYear]:
    """The current year started about five months ago; the previous one a year before it."""
    current_start = _monday(today - dt.timedelta(days=150))
    years = []
    for start in (current_start - dt.timedelta(days=364), current_start):
        end = start + dt.timedelta(days=299)
        break_start = start + dt.timedelta(days=140)
        year = AcademicYear.objects.create(
            organisation=organisation, name=f"{start.year}–{end.year}", starts_on=start, ends_on=end
        )
        Term.objects.bulk_create(
            [
                Term(year=year, number=1, name="ឆមាសទី ១ · Semester 1", starts_on=start, ends_on=break_start),
                Term(
                    year=year,
                    number=2,
                    name="ឆមាសទី ២ · Semester 2",
                    starts_on=break_start + dt.timedelta(days=10),
                    ends_on=end,
                ),
            ]
        )
        holidays_seed(year)
        years.append(year)
    return years


def _calendar(year: AcademicYear) -> schooldays.SchoolCalendar:
    terms = tuple(year.terms.order_by("number").values_list("starts_on", "ends_on"))
    special = dict(CalendarDay.objects.filter(year=year).values_list("date", "kind"))
    return schooldays.SchoolCalendar(year.starts_on, year.ends_on, year.weekdays, terms, special)


def _schools(organisation, teams, rng) -> dict:
    """Per district: two primary schools and one general secondary school, in real villages."""
    out = {}
    for index, (_team, district) in enumerate(teams):
        villages = list(AdminUnit.objects.within(district).filter(level="village").order_by("code")[:60])
        chosen = rng.choice(len(villages), size=min(3, len(villages)), replace=False)
        specs = [
            (SchoolLevel.SECONDARY, "High School"),
            (SchoolLevel.PRIMARY, "Primary School"),
            (SchoolLevel.PRIMARY, "Primary School"),
        ]
        made = []
        for k, (level, kind) in zip(chosen, specs, strict=False):
            village = villages[int(k)]
            school = School(
                organisation=organisation,
                emis_code=f"{district}{index}{len(made):02d}",
                name_km=f"សាលា{'បឋមសិក្សា' if level == SchoolLevel.PRIMARY else 'វិទ្យាល័យ'}{village.name_km}",
                name_en=f"{village.name_latin or village.code} {kind}",
                level=level,
                village=village,
            )
            school.save()
            made.append(school)
        out[district] = made
    return out


def _age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class _Pupil:
    __slots__ = ("away", "ability", "district", "engagement", "overage", "person", "poverty")


def _pupil(person, district, idpoor, away, rng) -> _Pupil:
    """A pupil's lasting traits: poverty and parents away from the household, the rest drawn."""
    pupil = _Pupil()
    pupil.person, pupil.district = person, district
    pupil.poverty = {IDPoorStatus.LEVEL_1: 2, IDPoorStatus.LEVEL_2: 1}.get(idpoor, 0)
    pupil.away = int(away not in ("", MigrationDestination.NONE))
    pupil.engagement, pupil.ability = rng.normal(), rng.normal()
    return pupil


def _pupils(organisation, teams, start: dt.date, rng) -> list[_Pupil]:
    districts = [d for _, d in teams]
    households = {}
    for person_id, idpoor, away, relationship in HouseholdMember.objects.filter(
        person__organisation=organisation
    ).values_list("person_id", "household__idpoor_status", "household__parents_away", "relationship"):
        if person_id not in households or relationship == "child":
            households[person_id] = (idpoor, away)
    people = Person.objects.filter(
        organisation=organisation,
        kind=PersonKind.CHILD,
        merged_into__isnull=True,
        date_of_birth__isnull=False,
    ).order_by("pk")
    out = []
    for person in people:
        age = _age_on(person.date_of_birth, start)
        district = next((d for d in districts if person.area_code.startswith(d)), None)
        if district is None or not 6 <= age <= 16:
            continue
        idpoor, away = households.get(person.pk, (IDPoorStatus.NOT_ASSESSED, ""))
        pupil = _pupil(person, district, idpoor, away, rng)
        pupil.overage = int(rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2]))
        out.append(pupil)
    return out


def _simulate_year(pupils, grades, schools, year, calendar, until, rng, classes, teachers) -> dict:
    """Enrolments, registers, test sheets and incidents of one year; returns who dropped out."""
    days = [d for d in calendar.school_days() if d <= until]
    all_days = calendar.school_days()
    n_days = len(all_days)
    enrolments, events, months, incidents = [], [], [], []
    sheets: dict = defaultdict(dict)
    test_days = [
        d for d in days if d.day >= 20 and d.weekday() == 3
    ]  # the monthly test: a Thursday late in the month
    test_days = sorted({(d.year, d.month): d for d in test_days}.values())
    exam_days = [max((d for d in days if d <= last), default=None) for _, last in calendar.terms]
    exam_days = [d for d in exam_days if d is not None and d <= until]
    dropped = set()
    month_of = [d.replace(day=1) for d in days]
    day_of = [d.day - 1 for d in days]
    for pupil, grade in zip(pupils, grades, strict=True):
        if grade is None:
            continue
        level = SchoolLevel.PRIMARY if grade <= 6 else SchoolLevel.SECONDARY
        here = schools[pupil.district]
        school = next((s for s in here if s.level == level), here[0])
        key = (school.pk, grade)
        if key not in classes:
            teacher = teachers.pop(pupil.district, None) if grade == 7 else None
            school_class = SchoolClass(
                school=school, year=year, grade=grade, section="A", homeroom_teacher=teacher
            )
            school_class.save()
            classes[key] = school_class
        school_class = classes[key]
        base = -3.6 if level == SchoolLevel.PRIMARY else -2.0
        logit = (
            base
            + 0.55 * pupil.poverty
            + 0.5 * pupil.away
            + 0.45 * pupil.overage
            - 0.7 * pupil.engagement
            - 0.35 * pupil.ability
        )
        yearly = float(_sigmoid(logit))
        hazard = 1 - (1 - yearly) ** (1 / max(n_days, 1))
        leave_at = None
        draws = rng.random(n_days)
        hit = np.flatnonzero(draws < hazard)
        if hit.size:
            leave_at = int(hit[0])
        enrolment = Enrolment(
            organisation=school_class.organisation,
            person=pupil.person,
            school_class=school_class,
            enrolled_on=year.starts_on,
            is_repeating=pupil.overage > 0 and rng.random() < 0.3,
        )
        left_day = all_days[leave_at] if leave_at is not None else None
        if left_day is not None and left_day <= until:
            enrolment.status, enrolment.left_on = EnrolmentStatus.DROPPED_OUT, left_day
            enrolment.left_reason = str(
                rng.choice(
                    [
                        DropoutReason.WORK,
                        DropoutReason.WORK,
                        DropoutReason.MIGRATION,
                        DropoutReason.HOUSEHOLD_CHORES,
                        DropoutReason.COST,
                        DropoutReason.LOW_RESULTS,
                    ]
                )
            )
            dropped.add(pupil.person.pk)
        elif until >= year.ends_on:
            enrolment.status = EnrolmentStatus.COMPLETED
        enrolments.append(enrolment)
        events.append(
            EnrolmentEvent(enrolment=enrolment, kind=EnrolmentEventKind.ENROLLED, date=year.starts_on)
        )
        if enrolment.status == EnrolmentStatus.DROPPED_OUT:
            events.append(
                EnrolmentEvent(
                    enrolment=enrolment,
                    kind=EnrolmentEventKind.DROPPED_OUT,
                    date=left_day,
                    reason=enrolment.left_reason,
                )
            )
        # Attendance: a daily absence chance from the traits, rising before the child leaves.
        last = len(days) if left_day is None else min(len(days), all_days.index(left_day))
        p_absent = float(_sigmoid(-3.2 + 0.35 * pupil.poverty + 0.5 * pupil.away - 0.7 * pupil.engagement))
        p = np.full(last, p_absent)
        if leave_at is not None:
            ramp = np.arange(last) - (leave_at - 25)
            p = np.where(ramp > 0, np.minimum(0.9, p_absent + ramp / 25 * 0.6), p)
        absent = rng.random(last) < p
        late = ~absent & (rng.random(last) < 0.04)
        excused = absent & (rng.random(last) < 0.15)
        codes = np.where(excused, "E", np.where(absent, "A", np.where(late, "L", "P")))
        letters: dict = {}
        for k in range(last):
            letters.setdefault(month_of[k], ["."] * 31)[day_of[k]] = codes[k]
        for month, chars in letters.items():
            months.append(
                AttendanceMonth(
                    enrolment=enrolment, month=month, statuses="".join(chars).rstrip(registers.NONE)
                )
            )
        # Marks: ability and engagement, a little worse with poverty; absent on the day = not taken.
        taken_days = {days[k]: not absent[k] for k in range(last)}
        mean = 0.66 + 0.1 * pupil.ability + 0.04 * pupil.engagement - 0.03 * pupil.poverty
        for kind, when in [(AssessmentKind.MONTHLY_TEST, d) for d in test_days] + [
            (AssessmentKind.SEMESTER_EXAM, d) for d in exam_days
        ]:
            if not taken_days.get(when, False):
                continue
            for subject in SUBJECTS:
                pct = min(1.0, max(0.0, rng.normal(mean - (0.04 if subject == "maths" else 0), 0.1)))
                sheets[(key, subject, kind, when)][enrolment] = round(pct * MAX_SCORE, 1)
        n_incidents = rng.poisson(0.25 * math.exp(-0.8 * pupil.engagement) * last / 190)
        for _ in range(int(n_incidents)):
            when = days[int(rng.integers(0, max(last, 1)))] if last else None
            if when is None:
                break
            severity = int(rng.choice([1, 1, 1, 2, 2, 3]))
            incidents.append(
                BehaviourIncident(
                    enrolment=enrolment,
                    occurred_on=when,
                    severity=severity,
                    type=str(rng.choice(IncidentType.values)),
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    EnrolmentEvent.objects.bulk_create(events, batch_size=BATCH)
    AttendanceMonth.objects.bulk_create(months, batch_size=BATCH)
    # Pupils who join classes already simulated add their marks to the sheets those classes hold.
    held = {
        (a.school_class_id, a.subject, a.kind, a.held_on): a
        for a in Assessment.objects.filter(school_class__in={classes[k[0]] for k in sheets})
    }
    new_sheets, grown = [], []
    for (key, subject, kind, when), scores in sheets.items():
        marks = {str(e.pk): v for e, v in scores.items()}
        sheet = held.get((classes[key].pk, subject, kind, when))
        if sheet is None:
            new_sheets.append(
                Assessment(
                    school_class=classes[key],
                    subject=subject,
                    kind=kind,
                    held_on=when,
                    max_score=MAX_SCORE,
                    scores=marks,
                )
            )
        else:
            sheet.scores = {**sheet.scores, **marks}
            grown.append(sheet)
    Assessment.objects.bulk_create(new_sheets, batch_size=BATCH)
    Assessment.objects.bulk_update(grown, ["scores"], batch_size=BATCH)
    BehaviourIncident.objects.bulk_create(incidents, batch_size=BATCH)
    return {
        "dropped": dropped,
        "enrolments": len(enrolments),
        "registers": len(months),
        "sheets": len(sheets),
    }


def _grade(pupil, start: dt.date) -> int | None:
    grade = _age_on(pupil.person.date_of_birth, start) - 5 - pupil.overage
    return grade if 1 <= grade <= 12 else None


def _review(organisation, members, rng, today) -> dict:
    """Caseworkers decide on the older flags of their district; outcomes recorded at term end."""
    caseworkers = {}
    for membership in members.get(Role.CASEWORKER, []):
        actor = actor_for_membership(membership, is_verified=True)
        for code in actor.area_codes:
            caseworkers[code] = actor
    flags = list(
        Flag.objects.filter(organisation=organisation, status=FlagStatus.AWAITING_REVIEW)
        .select_related("enrolment__person", "school_class__homeroom_teacher", "school_class__year")
        .order_by("opened_on", "pk")
    )
    cutoff = today - dt.timedelta(days=21)  # the last three weeks' flags wait in the queue
    decided = served = 0
    names, weights = zip(*DECISIONS, strict=True)
    capacity = REVIEWS_PER_ORGANISATION
    weights = np.array(weights, dtype=float) / sum(weights)
    for flag in flags:
        if flag.opened_on > cutoff or rng.random() < 0.4 or decided >= capacity:
            continue  # still to review, or never reached: recorded as not served
        actor = next(
            (a for code, a in caseworkers.items() if flag.school_class.area_code.startswith(code)), None
        )
        if actor is None:
            continue
        decision = str(rng.choice(names, p=weights))
        details = {"starts_on": flag.opened_on + dt.timedelta(days=int(rng.integers(2, 10)))}
        reason = ""
        if decision == Decision.SCHOLARSHIP:
            details.update(
                amount=60000,
                currency="KHR",
                schedule="monthly",
                min_attendance_percent=80,
                provider="Commune council for women and children",
            )
        elif decision == Decision.NO_ACTION:
            reason = "Absent for a family funeral; back at school"
        elif decision == Decision.CASE_REFERRAL:
            reason = "Works with the family away from home; needs a caseworker"
        else:
            details["provider"] = organisation.name_en
        details["starts_on"] = min(details["starts_on"], today)
        try:
            item = review.flag_decide(
                actor=actor,
                flag=flag,
                version=flag.version,
                decision=decision,
                reason=reason,
                details=details,
            )
        except DomainError:
            continue
        decided += 1
        if item is None:
            continue
        served += 1
        term_end = _term_end(flag.school_class.year, item.starts_on)
        if term_end is not None and term_end < today:
            enrolment = flag.enrolment
            gone = enrolment.status == EnrolmentStatus.DROPPED_OUT and enrolment.left_on <= term_end
            outcome = (
                Outcome.DROPPED_OUT if gone else (Outcome.RETURNED if rng.random() < 0.08 else Outcome.STAYED)
            )
            interventions.outcome_record(
                actor=actor, intervention=item, version=item.version, outcome=outcome, on=term_end
            )
    return {"decided": decided, "served": served, "awaiting": len(flags) - decided}


def _fill_homeroom_classes(organisation, teams, members, schools, year, classes, teachers, until, rng, seed):
    """Each teacher's grade 7 class holds a full class of CLASS_SIZE on its roll today: families
    who moved into the district fill the places the registry's own children leave (or left)."""
    caseworkers = {m.teams.first().pk: m.user for m in members.get(Role.CASEWORKER, [])}
    calendar = _calendar(year)
    made = 0
    for index, (team, district) in enumerate(teams):
        teacher = teachers.get(district)
        if teacher is None:
            continue
        school = next(
            (s for s in schools[district] if s.level == SchoolLevel.SECONDARY), schools[district][0]
        )
        key = (school.pk, 7)
        if key not in classes:
            classes[key] = SchoolClass.objects.create(
                school=school, year=year, grade=7, section="A", homeroom_teacher=teacher
            )
        for round_ in range(5):  # newcomers may leave during the year too; a few rounds fill the roll
            on_roll = Enrolment.objects.filter(
                school_class=classes[key], status=EnrolmentStatus.ENROLLED
            ).count()
            missing = CLASS_SIZE - on_roll
            if missing <= 0:
                break
            pairs = people.newcomers(
                organisation=organisation,
                team=team,
                district=district,
                owner=caseworkers.get(team.pk),
                count=missing,
                ages=(12, 12),
                seed=seed + int(district) + round_,
                numbers_from=NEWCOMER_NUMBERS + 1000 * (5 * index + round_),
            )
            pupils = []
            for child, household in pairs:
                pupil = _pupil(child, district, household.idpoor_status, household.parents_away, rng)
                pupil.overage = 0
                pupils.append(pupil)
            _simulate_year(pupils, [7] * len(pupils), schools, year, calendar, until, rng, classes, {})
            made += len(pupils)
    return made


def _scoring_days(start: dt.date, today: dt.date) -> list[dt.date]:
    """Every other Friday since the year began, then yesterday, each in a week of its own (the
    nightly scoring would fill every week; the demo keeps it quick). A score belongs to its week,
    so yesterday replaces a Friday of the same week rather than scoring that week twice."""
    days = []
    day = _monday(start) + dt.timedelta(days=11)
    while day < today:
        days.append(day)
        day += dt.timedelta(days=14)
    yesterday = today - dt.timedelta(days=1)
    if days and week_of(days[-1]) == week_of(yesterday):
        days[-1] = yesterday
    elif days:
        days.append(yesterday)
    return days


def _term_end(year, day: dt.date) -> dt.date | None:
    for term in year.terms.order_by("number"):
        if term.starts_on <= day <= term.ends_on:
            return term.ends_on
    return None


def populate(*, organisation, teams, members, seed: int) -> dict:
    rng = np.random.default_rng(seed + sum(map(ord, organisation.short_name)))
    today = clock.today()
    previous, current = _years(organisation, today)
    schools = _schools(organisation, teams, rng)
    pupils = _pupils(organisation, teams, previous.starts_on, rng)
    teachers = {}
    for membership in members.get(Role.TEACHER, []):
        district = next((code for code in membership.areas.values_list("code", flat=True)), None)
        if district is not None:
            teachers.setdefault(district, membership)
    counts = {}
    classes: dict = {}
    first = _simulate_year(
        pupils,
        [_grade(p, previous.starts_on) for p in pupils],
        schools,
        previous,
        _calendar(previous),
        previous.ends_on,
        rng,
        classes,
        {},
    )
    counts["previous_year"] = {k: v for k, v in first.items() if k != "dropped"} | {
        "dropouts": len(first["dropped"])
    }
    stayers = [p for p in pupils if p.person.pk not in first["dropped"]]
    classes = {}
    second = _simulate_year(
        stayers,
        [_grade(p, current.starts_on) for p in stayers],
        schools,
        current,
        _calendar(current),
        today - dt.timedelta(days=1),
        rng,
        classes,
        dict(teachers),
    )
    counts["current_year"] = {k: v for k, v in second.items() if k != "dropped"} | {
        "dropouts": len(second["dropped"])
    }
    counts["newcomers"] = _fill_homeroom_classes(
        organisation,
        teams,
        members,
        schools,
        current,
        classes,
        teachers,
        today - dt.timedelta(days=1),
        rng,
        seed,
    )
    system = system_actor(organisation.pk, name="demo")
    try:
        model = training.model_train(actor=system, settings=DEMO_TRAINING)
    except DomainError as refused:
        counts["model"] = str(refused.message)  # the rule index stays in use, and the demo says why
    else:
        training.model_activate(actor=system, model=model, reason="Demo: trained on the previous school year")
        counts["model"] = {"version": model.number, "roc_auc": model.metrics.get("roc_auc")}
    weeks = _scoring_days(current.starts_on, today)
    run = scoring.risk_score_weeks(actor=system, year=current, days=weeks)
    counts["scores"] = {"weeks": len(weeks), "flags": run.new_flags}
    counts["review"] = _review(organisation, members, rng, today)
    return counts
