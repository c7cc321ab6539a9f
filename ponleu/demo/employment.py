"""The demo's youth employment centre (Sabay's Banan team): a year of two vocational courses,
their graduates, synthetic employers' offers, placements and their follow-ups.

Twelve young people from families new to the district join a sewing course or a motorbike
repair course; each course has monthly sessions, five graduates with certificates and one who
dropped out. Employers (fictional, "(demo)") offer jobs and internships in riel and in dollars.
Six graduates were placed months ago, with their 3- and 6-month follow-ups (one stopped
working after three months); two were placed about three months ago and their 3-month
follow-ups are due today; two graduates wait for a placement. Everything goes through the
services, with the clock set to the day of each step, by the centre's youth worker.
"""

from __future__ import annotations

import datetime as dt

from ponleu.access.actors import system_actor
from ponleu.common import clock
from ponleu.employment.models import YouthProfile
from ponleu.employment.services import courses as course_services
from ponleu.employment.services import offers as offer_services
from ponleu.employment.services import placements as placement_services
from ponleu.employment.services import profiles as profile_services
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.programmes.services import groups as group_services
from ponleu.referrals.services.directory import provider_save

from . import people
from .programmes import _actor, _on

# The organisation that runs the youth employment centre, and the youth worker's account.
CENTRE = "sabay"
YOUTH_WORKER = ("youth", "Sok Dalin")
NUMBERS_FROM = 300_000  # document numbers of the young people, clear of the others
COURSES = (
    ("វគ្គកាត់ដេរ · មជ្ឈមណ្ឌលយុវជន", "sewing", "ថ្ងៃចន្ទ–សុក្រ ម៉ោង ៨ ព្រឹក"),
    ("វគ្គជួសជុលម៉ូតូ · មជ្ឈមណ្ឌលយុវជន", "motorbike_repair", "ថ្ងៃចន្ទ–សុក្រ ម៉ោង ១ រសៀល"),
)
# Fictional employers: Khmer name, English name, the offers (kind, title, skills, wage, currency, places).
EMPLOYERS = (
    (
        "រោងជាងកាត់ដេរ ផ្កាឈូក",
        "Lotus Sewing Workshop (demo)",
        (
            ("job", "ជាងដេរ", ["sewing"], "220", "USD", 4),
            ("internship", "កម្មសិក្សាការីជាងដេរ", ["sewing"], "400000", "KHR", 2),
        ),
    ),
    (
        "ហាងជួសជុលម៉ូតូ ពន្លឺថ្មី",
        "New Light Motor Repair (demo)",
        (("job", "ជាងជួសជុលម៉ូតូ", ["motorbike_repair"], "800000", "KHR", 4),),
    ),
    (
        "ភោជនីយដ្ឋាន មាត់ស្ទឹង",
        "Riverside Kitchen (demo)",
        (("job", "អ្នកបម្រើ និងលក់", ["sales", "hospitality"], "180", "USD", 2),),
    ),
)


def populate(*, organisation, teams, members, youth_worker, seed: int) -> dict:
    today = clock.today()
    start = today - dt.timedelta(days=330)
    team, district = teams[0]
    supervisor = members[Role.SUPERVISOR][0]
    worker = youth_worker
    counts: dict = {}

    villages = list(AdminUnit.objects.within(district).filter(level="village").order_by("code")[:1])
    with _on(start):
        youth = [
            person
            for person, _household in people.newcomers(
                organisation=organisation,
                team=team,
                district=district,
                owner=worker.user,
                count=12,
                ages=(16, 22),
                seed=seed + 31,
                numbers_from=NUMBERS_FROM,
            )
        ]
        employers = _employers(district)
        courses = []
        for index, (name, skill, schedule) in enumerate(COURSES):
            course = course_services.course_create(
                actor=_actor(supervisor),
                name=name,
                village_code=villages[0].code,
                starts_on=start,
                schedule=schedule,
                facilitator_id=worker.user_id,
            )
            cohort = youth[index * 6 : index * 6 + 6]
            for person in cohort:
                profile_services.profile_create(
                    actor=_actor(worker),
                    person_id=person.pk,
                    education="lower_secondary" if index else "primary",
                    skill_codes=[skill],
                    interests="ចង់មានការងារនៅជិតផ្ទះ",
                    consent_on=start,
                )
            group_services.members_add(
                actor=_actor(worker), group=course, person_ids=[p.pk for p in cohort], joined_on=start
            )
            courses.append((course, cohort))
    counts["sessions"] = _sessions(worker, courses, start)
    graduates = _results(worker, courses, start + dt.timedelta(days=120))
    offers = _offers(supervisor, employers, district, start + dt.timedelta(days=115))
    counts.update(_placements(worker, graduates, offers, start + dt.timedelta(days=135), today))
    counts["graduates"] = len(graduates)
    return counts


def _employers(district: str) -> list:
    actor = system_actor(name="demo")
    commune = AdminUnit.objects.within(district).filter(level="commune").order_by("code").first()
    # Synthetic phone numbers and hours, like the directory entries (fictional businesses).
    return [
        (
            provider_save(
                actor=actor,
                data={
                    "kind": "other",
                    "name_km": f"{km} (demo)",
                    "name_en": en,
                    "is_employer": True,
                    "location": commune.code,
                    "phone": f"012 900 {index:03d}",
                    "hours": "ច័ន្ទ–សៅរ៍ ៧:៣០–១៧:០០ · Mon–Sat 7:30–17:00",
                    "areas": [district],
                },
            ),
            offers,
        )
        for index, (km, en, offers) in enumerate(EMPLOYERS, start=1)
    ]


def _sessions(worker, courses, start) -> int:
    held = 0
    for course, _cohort in courses:
        members = list(course.members.all())
        for month in range(1, 5):
            day = start + dt.timedelta(days=28 * month)
            with _on(day):
                group_services.session_record(
                    actor=_actor(worker),
                    group=course,
                    held_on=day,
                    topic=f"មេរៀនទី {month}",
                    present_ids=[m.pk for m in members[: len(members) - (month % 2)]],
                )
            held += 1
    return held


def _results(worker, courses, day) -> list:
    """Five graduates with certificates and one who dropped out, per course."""
    graduates = []
    with _on(day):
        for number, (course, cohort) in enumerate(courses, start=1):
            for index, person in enumerate(cohort):
                completed = index < 5
                course_services.course_result_record(
                    actor=_actor(worker),
                    course=course,
                    person_id=person.pk,
                    outcome="completed" if completed else "dropped_out",
                    ended_on=day if completed else day - dt.timedelta(days=60),
                    certificate_number=f"YEC-{number}{index + 1:03d}" if completed else "",
                )
                if completed:
                    graduates.append(person)
    return graduates


def _offers(supervisor, employers, district, day) -> list:
    made = []
    with _on(day):
        for employer, offers in employers:
            for kind, title, skills, wage, currency, places in offers:
                made.append(
                    offer_services.offer_create(
                        actor=_actor(supervisor),
                        employer_id=employer.pk,
                        kind=kind,
                        title=title,
                        skill_codes=skills,
                        place_code=employer.location_id or district,
                        wage=wage,
                        currency=currency,
                        starts_on=day,
                        places=places,
                    )
                )
    return made


def _placements(worker, graduates, offers, day, today) -> dict:
    """Six graduates placed at ``day`` and followed up; two placed about three months before
    ``today`` (their 3-month follow-ups due); the other two wait."""
    sewing, internship, motor = offers[0], offers[1], offers[2]
    profiles = {p.person_id: p for p in YouthProfile.objects.filter(person__in=graduates)}
    plan = [(graduates[i], sewing) for i in range(3)] + [(graduates[5 + i], motor) for i in range(3)]
    placed = []
    with _on(day):
        for person, offer in plan:
            placed.append(
                placement_services.placement_create(
                    actor=_actor(worker), profile=profiles[person.pk], offer_id=offer.pk, starts_on=day
                )
            )
    follow_ups = 0
    for months in (3, 6):
        for index, placement in enumerate(placed):
            placement.refresh_from_db()
            if placement.status != "working":
                continue
            due = placement_services.follow_up_day(placement, months)
            working = not (months == 3 and index == 4)
            with _on(due):
                placement_services.follow_up_record(
                    actor=_actor(worker),
                    placement=placement,
                    months=months,
                    followed_on=due,
                    still_working=working,
                    wage=str(placement.wage + (10 if placement.currency == "USD" else 40000) * (months // 3))
                    if working
                    else None,
                    satisfaction="happy" if working else "unhappy",
                    note="" if working else "ត្រឡប់ទៅជួយគ្រួសារធ្វើស្រែ",
                )
            follow_ups += 1
    recent = today - dt.timedelta(days=92)
    with _on(recent):
        for person, offer in ((graduates[3], internship), (graduates[8], motor)):
            placement_services.placement_create(
                actor=_actor(worker), profile=profiles[person.pk], offer_id=offer.pk, starts_on=recent
            )
    return {"placements": len(placed) + 2, "follow_ups": follow_ups}
