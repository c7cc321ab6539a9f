"""The demo's pregnancies and births: a midwife liaison of Sabay's Banan team follows women in
two villages of the district, each at a stage of her pregnancy: just registered, after her
first antenatal visit, with her next visit overdue, referred for danger signs, delivered with
her newborn registered (one still without a birth certificate, one with it, one born at home),
and a pregnancy lost.

Every step goes through the services with the clock set to its day (registration, antenatal
visits, the referral, the birth, the newborn's registration in the mother's household,
postnatal visits, family planning), so weeks, numbers, versions, alerts and audit rows are the
app's own. Names come from the demo's name lists; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.maternal import services
from ponleu.maternal.models import Pregnancy
from ponleu.referrals.selectors import provider_search
from ponleu.registry import services as registry_services

from . import names

# The midwife liaison's district (Sabay's Banan team) and how many of its villages she covers.
DISTRICT = "0201"
VILLAGES = 2
# Women of her caseload with no pregnancy recorded, met this many days ago.
WAITING = 2
WAITING_SINCE_DAYS = 20


@dataclass(frozen=True)
class Visit:
    day: int  # days after the last period
    place: str = "facility"
    danger_signs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    name: str
    last_period_days_ago: int
    visits: tuple[Visit, ...] = ()
    refer: bool = False
    born_day: int | None = None  # days after the last period
    outcome: str = "live_birth"
    birth_place: str = "facility"
    attendant: str = "midwife"
    postnatal: tuple[int, ...] = ()  # days after the birth
    certificate: bool = False
    planning: tuple[bool, str] | None = None  # (consent given, method)


STORIES = (
    Story("registered", 60),
    Story("first-visit", 130, (Visit(100),)),
    Story("overdue", 240, (Visit(84),)),
    Story(
        "danger-signs",
        250,
        (Visit(90), Visit(180, "outreach"), Visit(245, "facility", ("severe_headache", "swelling"))),
        refer=True,
    ),
    Story(
        "newborn",
        300,
        (Visit(95), Visit(190), Visit(225), Visit(255)),
        born_day=290,
        postnatal=(1, 5),
        planning=(True, "implant"),
    ),
    Story(
        "certified",
        400,
        (Visit(100), Visit(196), Visit(224), Visit(252)),
        born_day=273,
        postnatal=(0, 4, 42),
        certificate=True,
        planning=(False, ""),
    ),
    Story(
        "home-birth",
        285,
        (Visit(150, "outreach"),),
        born_day=282,
        birth_place="home",
        attendant="traditional",
        postnatal=(2,),
    ),
    Story("lost", 120, (Visit(60),), born_day=70, outcome="miscarriage"),
)


def _moment(day: dt.date, hour: int, latest: dt.datetime) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), latest)


def _woman(rng, worker, village, today):
    family = rng.choice(names.FAMILY_NAMES)
    given = rng.choice(names.GIVEN_NAMES_FEMALE)
    household = registry_services.household_create(actor=worker, data={"village": village.code})
    born = today - dt.timedelta(days=rng.randint(19 * 365, 36 * 365))
    return registry_services.person_create(
        actor=worker,
        data={
            "kind": "adult",
            "family_name_km": family[0],
            "family_name_latin": family[1],
            "given_name_km": given[0],
            "given_name_latin": given[1],
            "sex": "F",
            "date_of_birth": born,
            "village": village.code,
        },
        household=household,
        relationship="mother",
        is_primary_caregiver=True,
    )


def _health_centre(village):
    found = provider_search(service="primary_health", commune=village.code[:6], limit=10)
    return next((p for p in found if p.organisation_id is None), None)


def _story(rng, story: Story, worker, village, today: dt.date, now: dt.datetime) -> Pregnancy:
    lmp = today - dt.timedelta(days=story.last_period_days_ago)
    centre = _health_centre(village)
    first = lmp + dt.timedelta(days=story.visits[0].day if story.visits else story.last_period_days_ago)
    with clock.frozen(_moment(min(first, today), 8, now)):
        woman = _woman(rng, worker, village, today)
        pregnancy = services.pregnancy_register(
            actor=worker,
            person=woman,
            last_period_on=lmp,
            planned_place="facility" if centre else "home",
            planned_facility=centre,
        )
    last_visit = None
    for visit in story.visits:
        day = lmp + dt.timedelta(days=visit.day)
        with clock.frozen(_moment(day, 9, now)):
            pregnancy.refresh_from_db()
            last_visit = services.anc_record(
                actor=worker,
                pregnancy=pregnancy,
                version=pregnancy.version,
                visited_on=day,
                place=visit.place,
                facility=centre if visit.place == "facility" else None,
                danger_signs=visit.danger_signs,
            )
    if story.refer and centre is not None and last_visit is not None:
        with clock.frozen(_moment(lmp + dt.timedelta(days=story.visits[-1].day), 10, now)):
            pregnancy.refresh_from_db()
            services.anc_refer(
                actor=worker,
                visit=last_visit,
                version=pregnancy.version,
                provider=centre,
                service="primary_health",
                urgency="emergency",
            )
    if story.born_day is None:
        return pregnancy
    born = lmp + dt.timedelta(days=story.born_day)
    with clock.frozen(_moment(born, 11, now)):
        pregnancy.refresh_from_db()
        at_facility = story.birth_place == "facility" and centre is not None
        services.birth_record(
            actor=worker,
            pregnancy=pregnancy,
            version=pregnancy.version,
            born_on=born,
            outcome=story.outcome,
            place=(story.birth_place if at_facility or story.birth_place == "home" else "home")
            if story.outcome != "miscarriage"
            else "",
            facility=centre if at_facility else None,
            attendant=story.attendant if story.outcome != "miscarriage" else "",
        )
        if story.outcome == "live_birth":
            pregnancy.refresh_from_db()
            mother = pregnancy.person
            given = rng.choice(names.GIVEN_NAMES_FEMALE if rng.random() < 0.5 else names.GIVEN_NAMES_MALE)
            child = services.newborn_register(
                actor=worker,
                pregnancy=pregnancy,
                version=pregnancy.version,
                data={
                    "family_name_km": mother.family_name_km,
                    "family_name_latin": mother.family_name_latin,
                    "given_name_km": given[0],
                    "given_name_latin": given[1],
                    "sex": "F" if given in names.GIVEN_NAMES_FEMALE else "M",
                },
            )
    for days in story.postnatal:
        day = born + dt.timedelta(days=days)
        with clock.frozen(_moment(day, 14, now)):
            pregnancy.refresh_from_db()
            services.pnc_record(
                actor=worker, pregnancy=pregnancy, version=pregnancy.version, visited_on=day, place="home"
            )
    if story.planning is not None:
        day = born + dt.timedelta(days=max(story.postnatal or (0,)))
        consent, method = story.planning
        with clock.frozen(_moment(day, 15, now)):
            pregnancy.refresh_from_db()
            services.planning_record(
                actor=worker,
                pregnancy=pregnancy,
                version=pregnancy.version,
                counselled_on=day,
                consent_given=consent,
                method=method,
            )
    if story.certificate and story.outcome == "live_birth":
        day = born + dt.timedelta(days=30)
        with clock.frozen(_moment(day, 9, now)):
            registry_services.identifier_add(
                actor=worker,
                person=child,
                type="birth_certificate",
                value=f"BC-{DISTRICT}-{rng.randint(10000, 99999)}",
                issued_on=day,
            )
    pregnancy.refresh_from_db()
    return pregnancy


def populate(*, liaison, seed: int) -> list[Pregnancy]:
    """Each story once, the villages taken in turn, by the midwife liaison ``liaison`` (a
    membership of the organisation, caseworker of the district)."""
    today = clock.today()
    now = clock.now()
    rng = random.Random(f"{seed}:maternal")
    villages = list(
        AdminUnit.objects.filter(level="village", code__startswith=DISTRICT).order_by("code")[:VILLAGES]
    )
    worker = actor_for_membership(liaison, is_verified=True)
    made = [
        _story(rng, story, worker, villages[index % len(villages)], today, now)
        for index, story in enumerate(STORIES)
    ]
    # Women she follows who are not pregnant yet (the browser journey registers their pregnancies).
    with clock.frozen(now - dt.timedelta(days=WAITING_SINCE_DAYS)):
        for index in range(WAITING):
            _woman(rng, worker, villages[index % len(villages)], today)
    return made
