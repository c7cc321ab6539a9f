"""Rescoring one school of 1,000 students after a roll call, end to end, and attendance storage.

    DATABASE_URL=postgres://... .venv/bin/python bench/ews_rescore.py [--students 1000]

Builds (in the database named by DATABASE_URL, default a throw-away SQLite file) one school of
about 1,000 students in classes of 45 with a finished previous year and the current year up to
today: monthly attendance registers, three subjects' monthly tests, behaviour incidents. It trains
and activates a risk model on the previous year, takes one class's roll call, then times
``risk_score`` for the whole school (read the compact records, compute features, rule index,
model and explanations, write the week's RiskScore rows and new flags, audit), best and median of
several runs, with the rule index alone and with the model. It also reports the bytes the monthly
registers take per pupil-year (PostgreSQL: the table and its index as stored).

The last line is one JSON object. No assertion: the figures are printed (CI asserts query counts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if "DATABASE_URL" not in os.environ:
    Path("/tmp/ponleu-bench-rescore.sqlite3").unlink(missing_ok=True)  # noqa: S108 - a throw-away database
    os.environ["DATABASE_URL"] = "sqlite:////tmp/ponleu-bench-rescore.sqlite3"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ponleu.access.actors import system_actor  # noqa: E402
from ponleu.common import clock  # noqa: E402
from ponleu.early_warning.engine.model import TrainingSettings  # noqa: E402
from ponleu.early_warning.services import scoring, training  # noqa: E402
from ponleu.education import registers  # noqa: E402
from ponleu.education.models import (  # noqa: E402
    AcademicYear,
    Assessment,
    AttendanceMonth,
    BehaviourIncident,
    Enrolment,
    School,
    SchoolClass,
    Term,
)
from ponleu.education.selectors import calendar_for  # noqa: E402
from ponleu.education.services import attendance  # noqa: E402
from ponleu.education.services.holidays import holidays_seed  # noqa: E402
from ponleu.organisations.models import Organisation  # noqa: E402
from ponleu.registry.models import Household, HouseholdMember, Person  # noqa: E402
from ponleu.testing.world import load_units, make_member  # noqa: E402

CLASS_SIZE = 45
SUBJECTS = ("khmer", "maths", "science")


def _year(org, name, start, end):
    year = AcademicYear.objects.create(organisation=org, name=name, starts_on=start, ends_on=end)
    Term.objects.create(
        year=year, number=1, name="S1", starts_on=start, ends_on=start + dt.timedelta(days=140)
    )
    Term.objects.create(year=year, number=2, name="S2", starts_on=start + dt.timedelta(days=150), ends_on=end)
    holidays_seed(year)
    return year


def _fill(year, school, people, traits, until, rng, teacher=None):
    """Enrol everyone in classes of 45 and write their records up to ``until``; returns enrolments."""
    days = [d for d in calendar_for(year).school_days() if d <= until]
    all_days = calendar_for(year).school_days()
    classes, enrolments, months, sheets, incidents = [], [], [], {}, []
    for start in range(0, len(people), CLASS_SIZE):
        grade = 7 + (start // CLASS_SIZE) % 3
        c = SchoolClass(
            school=school,
            year=year,
            grade=grade,
            section=str(start // CLASS_SIZE),
            homeroom_teacher=teacher if start == 0 else None,
        )
        c.save()
        classes.append(c)
    tests = sorted({(d.year, d.month): d for d in days if d.day >= 20}.values())
    for k, person in enumerate(people):
        c = classes[k // CLASS_SIZE]
        engagement, poverty = traits[k]
        q = 1 / (1 + np.exp(-(-1.8 + 0.6 * poverty - 0.8 * engagement)))
        hazard = 1 - (1 - q) ** (1 / len(all_days))
        hit = np.flatnonzero(rng.random(len(all_days)) < hazard)
        left = all_days[hit[0]] if hit.size and all_days[hit[0]] <= until else None
        e = Enrolment(
            organisation=school.organisation,
            person=person,
            school_class=c,
            enrolled_on=year.starts_on,
            status="dropped_out" if left else ("completed" if until >= year.ends_on else "enrolled"),
            left_on=left,
        )
        enrolments.append(e)
        last = len(days) if left is None else days.index(left) if left in days else len(days)
        p = 1 / (1 + np.exp(-(-3.0 + 0.4 * poverty - 0.7 * engagement)))
        absent = rng.random(last) < p
        letters: dict = {}
        for i in range(last):
            letters.setdefault(days[i].replace(day=1), ["."] * 31)[days[i].day - 1] = (
                "A" if absent[i] else "P"
            )
        months += [
            AttendanceMonth(enrolment=e, month=m, statuses="".join(v).rstrip(registers.NONE))
            for m, v in letters.items()
        ]
        for when in tests:
            if when in days[:last] and not absent[days.index(when)]:
                for subject in SUBJECTS:
                    sheets.setdefault((c.pk, subject, when), {})[str(e.pk)] = round(
                        float(np.clip(rng.normal(32 + 6 * engagement, 6), 0, 50)), 1
                    )
        for _ in range(int(rng.poisson(0.3 * np.exp(-engagement)))):
            if last:
                incidents.append(
                    BehaviourIncident(
                        enrolment=e,
                        occurred_on=days[int(rng.integers(0, last))],
                        type="other",
                        severity=int(rng.integers(1, 4)),
                    )
                )
    by_pk = {c.pk: c for c in classes}
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    AttendanceMonth.objects.bulk_create(months, batch_size=2000)
    Assessment.objects.bulk_create(
        [
            Assessment(school_class=by_pk[c], subject=s, kind="monthly", held_on=w, max_score=50, scores=v)
            for (c, s, w), v in sheets.items()
        ],
        batch_size=2000,
    )
    BehaviourIncident.objects.bulk_create(incidents, batch_size=2000)
    return classes, enrolments


def _storage_bytes(pupil_years: float) -> dict:
    table = AttendanceMonth._meta.db_table
    rows = AttendanceMonth.objects.count()
    payload = sum(len(s) for s in AttendanceMonth.objects.values_list("statuses", flat=True))
    out = {"register_rows": rows, "status_bytes_per_pupil_year": round(payload / pupil_years, 1)}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{table}"')
            cursor.execute("SELECT pg_total_relation_size(%s), pg_relation_size(%s)", [table, table])
            total, heap = cursor.fetchone()
        out["stored_bytes_per_pupil_year"] = round(total / pupil_years, 1)
        out["heap_bytes_per_pupil_year"] = round(heap / pupil_years, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_units()
    rng = np.random.default_rng(7)
    today = clock.today()
    org = Organisation.objects.create(
        name_km="សាលាសាកល្បង", name_en="Bench", short_name=f"bench-{time.time_ns()}"
    )
    teacher = make_member(org, f"teacher-{time.time_ns()}", "teacher", areas=["0201"])
    school = School.objects.create(
        organisation=org,
        emis_code="B1",
        name_km="វិទ្យាល័យ",
        name_en="Bench High School",
        level="secondary",
        village_id="02010101",
    )
    start = today - dt.timedelta(days=today.weekday()) - dt.timedelta(days=140)
    previous = _year(org, "previous", start - dt.timedelta(days=364), start - dt.timedelta(days=65))
    current = _year(org, "current", start, start + dt.timedelta(days=299))

    def people(n):
        made = [
            Person(
                organisation=org,
                village_id="02010101",
                area_code="02010101",
                family_name_latin="Bench",
                given_name_latin=f"P{i}",
                date_of_birth=today - dt.timedelta(days=365 * 13 + i % 700),
            )
            for i in range(n)
        ]
        Person.objects.bulk_create(made, batch_size=2000)
        houses = [
            Household(
                organisation=org,
                village_id="02010101",
                area_code="02010101",
                idpoor_status=str(rng.choice(["level_1", "level_2", "not_poor", "not_poor"])),
            )
            for _ in made
        ]
        Household.objects.bulk_create(houses, batch_size=2000)
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household=h, person=p, relationship="child")
                for h, p in zip(houses, made, strict=True)
            ],
            batch_size=2000,
        )
        traits = [(rng.normal(), {"level_1": 2, "level_2": 1}.get(h.idpoor_status, 0)) for h in houses]
        return made, traits

    old, old_traits = people(args.students)
    _fill(previous, school, old, old_traits, previous.ends_on, rng)
    new, new_traits = people(args.students)
    classes, enrolments = _fill(current, school, new, new_traits, today - dt.timedelta(days=1), rng, teacher)
    built = time.perf_counter() - started
    actor = system_actor(org.pk, name="bench")
    class_ids = [c.pk for c in classes]
    settings = TrainingSettings(calibration_folds=3)
    model = training.model_train(actor=actor, settings=settings)

    def rescore_after_roll_call(label: str) -> dict:
        first = classes[0]
        first.homeroom_teacher = teacher
        pupils = [e for e in enrolments if e.school_class_id == first.pk and e.status == "enrolled"]
        day = max(d for d in calendar_for(current).school_days() if d <= today)
        from ponleu.access.actors import actor_for_membership

        attendance.roll_call_save(
            actor=actor_for_membership(teacher, is_verified=True),
            school_class=first,
            day=day,
            statuses={str(pupils[0].pk): "A"},
            reason="bench",
        )
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            run = scoring.risk_score(actor=actor, year=current, class_ids=class_ids)
            times.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as queries:
            scoring.risk_score(actor=actor, year=current, class_ids=class_ids)
        return {
            f"{label}_best_ms": round(1000 * min(times), 1),
            f"{label}_median_ms": round(1000 * statistics.median(times), 1),
            f"{label}_queries": len(queries),
            f"{label}_students": run.students,
        }

    figures = {"database": connection.vendor, "school_students": args.students, "build_s": round(built, 1)}
    figures.update(rescore_after_roll_call("rule_index"))
    training.model_activate(actor=actor, model=model, reason="bench")
    figures["model_family"] = model.family
    figures.update(rescore_after_roll_call("model"))
    days_so_far = len([d for d in calendar_for(current).school_days() if d < today])
    pupil_years = args.students * (1 + days_so_far / len(calendar_for(current).school_days()))
    figures.update(_storage_bytes(pupil_years))
    figures["load_average"] = round(os.getloadavg()[0], 2)
    for key, value in figures.items():
        print(f"{key:>34}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
