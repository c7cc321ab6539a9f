"""The attendance condition of a national scholarship programme: 100,000 award holders, one term
of roll calls, checked by the real service, against a naive loop (one query per award) timed on
a sample in the same run and scaled.

    .venv/bin/python bench/scholarship_conditions.py \
        --database-url postgres://postgres@127.0.0.1:5432/ponleu_bench_scholarships
    .venv/bin/python bench/scholarship_conditions.py --holders 5000          # SQLite, smaller

Builds (once per database; a second run reuses it) one organisation, one school year with the
Cambodian shape (two semesters, public holidays), 2,000 classes of 50 pupils, every pupil
holding an award in one termly scheme with an 80 % attendance condition, and the first
semester's registers: one row per pupil and month, a letter per school day (mostly present,
some absent, late or excused; a few pupils never recorded). Then times:

- the aggregate alone: one query over every register row the term touches, for all holders;
- the run of the term (``check_period``): the holders, the aggregate, the 100,000 payments
  inserted with their results; then a second run, which inserts nothing and updates only
  payments whose result changed (none: the registers did not change);
- the reference: the same check done per award (fetch the pupil's rows, count in Python) on a
  sample, scaled to all holders.

Target (issue 15): the check (the whole run, payments made due included) in at most 10 s on
PostgreSQL. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from bench_database import open_bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0
BATCH = 5000
ORG_NAME = "bench-scholarships"
PER_CLASS = 50


def build(holders: int, *, seed: int):
    """The organisation, year, classes, pupils, awards and registers (reused when present)."""
    from django.db import transaction

    from ponleu.education.models import AcademicYear, AttendanceMonth, Enrolment, School, SchoolClass, Term
    from ponleu.education.selectors import calendar_for
    from ponleu.education.services.holidays import holidays_seed
    from ponleu.organisations.models import Organisation
    from ponleu.programmes.models import Project
    from ponleu.registry.models import Person
    from ponleu.scholarships.models import Award, Scheme

    org = Organisation.objects.filter(short_name=ORG_NAME).first()
    if org is not None:
        scheme = Scheme.objects.get(organisation=org)
        if Award.objects.filter(scheme=scheme).count() == holders:
            return org, scheme, AcademicYear.objects.get(organisation=org)
        raise SystemExit(
            f"the bench database holds another size; drop it or pass --holders {scheme.awards.count()}"
        )
    rng = random.Random(seed)
    with transaction.atomic():
        org = Organisation.objects.create(
            name_km="អង្គការសាកល្បង", name_en="Bench scholarships", short_name=ORG_NAME
        )
        year = AcademicYear.objects.create(
            organisation=org, name="2025–2026", starts_on=dt.date(2025, 11, 3), ends_on=dt.date(2026, 8, 28)
        )
        Term.objects.create(
            year=year,
            number=1,
            name="Semester 1",
            starts_on=dt.date(2025, 11, 3),
            ends_on=dt.date(2026, 3, 13),
        )
        Term.objects.create(
            year=year,
            number=2,
            name="Semester 2",
            starts_on=dt.date(2026, 3, 23),
            ends_on=dt.date(2026, 8, 28),
        )
        holidays_seed(year)
        project = Project.objects.create(
            organisation=org,
            name="National scholarships",
            code="NAT",
            starts_on=year.starts_on,
            ends_on=dt.date(2027, 12, 31),
        )
        scheme = Scheme.objects.create(
            organisation=org,
            project=project,
            name="National scholarship",
            kind="cash",
            currency="KHR",
            amount=60000,
            schedule="termly",
            budget=60000 * holders * 2,
            opens_on=year.starts_on,
            closes_on=year.ends_on,
            min_attendance_percent=80,
        )
        school = School.objects.create(
            organisation=org,
            emis_code="B0001",
            name_km="សាលា",
            level="lower_secondary",
            village_id="02010101",
            area_code="02010101",
        )
        classes = SchoolClass.objects.bulk_create(
            [
                SchoolClass(
                    organisation=org,
                    school=school,
                    year=year,
                    grade=7 + i % 3,
                    section=str(i),
                    area_code="02010101",
                )
                for i in range(-(-holders // PER_CLASS))
            ]
        )
    days = [d for d in calendar_for(year).school_days() if d <= dt.date(2026, 3, 13)]
    for start in range(0, holders, BATCH):
        size = min(BATCH, holders - start)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [
                    Person(
                        organisation=org,
                        village_id="02010101",
                        area_code="02010101",
                        given_name_latin=f"B{start + i}",
                    )
                    for i in range(size)
                ]
            )
            enrolments = Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        organisation=org,
                        person=p,
                        school_class=classes[(start + i) // PER_CLASS],
                        enrolled_on=year.starts_on,
                    )
                    for i, p in enumerate(people)
                ]
            )
            Award.objects.bulk_create(
                [
                    Award(scheme=scheme, person=p, starts_on=year.starts_on, ends_on=year.ends_on)
                    for p in people
                ]
            )
            months = []
            for enrolment in enrolments:
                if rng.random() < 0.02:
                    continue  # never recorded: "no data"
                absent = rng.choice((0.02, 0.05, 0.1, 0.3))
                by_month: dict = {}
                for day in days:
                    draw = rng.random()
                    letter = (
                        "A"
                        if draw < absent
                        else "E"
                        if draw < absent + 0.02
                        else "L"
                        if draw < absent + 0.05
                        else "P"
                    )
                    by_month.setdefault(day.replace(day=1), {})[day.day] = letter
                for month, marks in by_month.items():
                    text = "".join(marks.get(d, ".") for d in range(1, max(marks) + 1))
                    months.append(AttendanceMonth(enrolment=enrolment, month=month, statuses=text))
            AttendanceMonth.objects.bulk_create(months, batch_size=BATCH)
        print(f"built {start + size:,} holders", file=sys.stderr)
    return org, scheme, year


def naive(scheme, period, sample: int) -> float:
    """Seconds for the per-award check on ``sample`` awards (one query each, counted in Python)."""
    from ponleu.education.models import AttendanceMonth
    from ponleu.scholarships.conditions import Attendance, verdict

    awards = list(scheme.awards.values_list("person_id", flat=True)[:sample])
    first, last = period.starts_on.replace(day=1), period.ends_on.replace(day=1)
    started = time.perf_counter()
    for person_id in awards:
        counts = {"P": 0, "L": 0, "A": 0, "E": 0}
        for month, statuses in AttendanceMonth.objects.filter(
            enrolment__person_id=person_id, month__gte=first, month__lte=last
        ).values_list("month", "statuses"):
            for index, letter in enumerate(statuses, start=1):
                day = month.replace(day=index)
                if period.starts_on <= day <= period.ends_on and letter in counts:
                    counts[letter] += 1
        verdict(
            Attendance(counts["P"] + counts["L"], counts["A"], counts["E"]), scheme.min_attendance_percent
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    open_bench_database(args.database_url, "ponleu-bench-scholarships.sqlite3")

    from django.db import connection, transaction

    from ponleu.scholarships import selectors
    from ponleu.scholarships.conditions import attendance_by_person
    from ponleu.scholarships.models import Payment
    from ponleu.scholarships.services.payments import RunResult, check_period

    org, scheme, year = build(args.holders, seed=args.seed)
    period = selectors.scheme_periods(scheme, year)[0]
    Payment.objects.filter(award__scheme=scheme).delete()  # each run starts from no payment
    if connection.vendor == "postgresql":
        # The previous run's 100,000 deleted rows would otherwise weigh on this one's inserts.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE scholarships_payment")
    people = scheme.awards.values("person_id")
    started = time.perf_counter()
    counts, rows_read = attendance_by_person(people, period.starts_on, period.ends_on)
    aggregate_seconds = time.perf_counter() - started
    result = RunResult()
    with transaction.atomic():
        started = time.perf_counter()
        check_period(scheme, year, period, result)
        check_seconds = time.perf_counter() - started
    created = result.created
    again = RunResult()
    with transaction.atomic():
        started = time.perf_counter()
        check_period(scheme, year, period, again)
        recheck_seconds = time.perf_counter() - started
    sample = min(args.sample, args.holders)
    scaled = naive(scheme, period, sample) * args.holders / sample
    figures = {
        "database": connection.vendor,
        "holders": args.holders,
        "payments_made_due": created,
        "aggregate_seconds": round(aggregate_seconds, 2),
        "people_with_registers": len(counts),
        "check_seconds": round(check_seconds, 2),
        "recheck_seconds": round(recheck_seconds, 2),
        "recheck_created": again.created,
        "roll_call_rows_read": result.rows_read,
        "school_days_in_term": period.school_days,
        "passed": result.passed,
        "failed": result.failed,
        "no_data": result.no_data,
        "naive_per_award_seconds_scaled": round(scaled, 1),
        "naive_sample": sample,
        "speed_up": round(scaled / check_seconds, 1) if check_seconds else None,
        "target_seconds": TARGET_SECONDS,
        "within_target": check_seconds <= TARGET_SECONDS,
    }
    print(
        f"made due and checked {result.checked:,} payments in {check_seconds:.2f} s reading {result.rows_read:,} "
        f"roll-call rows (the aggregate alone {aggregate_seconds:.2f} s; a second run {recheck_seconds:.2f} s, "
        f"{again.created} new); naive per-award loop {scaled:.1f} s (scaled from {sample})"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
