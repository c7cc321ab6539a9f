"""Builders for youth employment tests: employers, offers, courses and profiles go through
the services; young people are registry people created directly (setup, not subject)."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.employment.services import courses as course_services
from ponleu.employment.services import offers as offer_services
from ponleu.employment.services import profiles as profile_services
from ponleu.programmes.tests import factories as programmes
from ponleu.referrals.services.directory import provider_save

THMEI = programmes.THMEI  # a village of Banan district, Battambang
THMEI_COMMUNE = THMEI[:6]
BANAN = THMEI[:4]
SANGKAE_VILLAGE = programmes.KBAL_THNAL  # Battambang province, another district
SIEM_REAP = "17070101"
NOW = programmes.NOW  # 21 November 2026
_counter = itertools.count(1)


def young(world, *, born=dt.date(2006, 5, 1), **extra):
    return programmes.child(world, born=born, **extra)


def profile(world, person=None, *, actor_key="supervisor", skills=("sewing",), **extra):
    person = person or young(world)
    return profile_services.profile_create(
        actor=world.actor(actor_key),
        person_id=person.pk,
        education=extra.pop("education", "lower_secondary"),
        skill_codes=list(skills),
        consent_on=extra.pop("consent_on", dt.date(2026, 10, 1)),
        **extra,
    )


def employer(world, name="Garment workshop (test)"):
    return provider_save(
        actor=world.actor("org_admin"),
        data={"kind": "other", "name_km": name, "is_employer": True, "areas": ["02"]},
    )


def offer(world, *, employer_=None, skills=("sewing",), place=THMEI_COMMUNE, places=2, **extra):
    n = next(_counter)
    actor_key = extra.pop("actor_key", "supervisor")
    values = {
        "employer_id": (employer_ or employer(world)).pk,
        "kind": "job",
        "title": f"Offer {n}",
        "skill_codes": list(skills),
        "place_code": place,
        "wage": "200",
        "currency": "USD",
        "starts_on": dt.date(2026, 1, 1),
        "places": places,
    }
    values.update(extra)
    return offer_services.offer_create(actor=world.actor(actor_key), **values)


def course(world, *, village=THMEI, starts_on=dt.date(2026, 1, 5), actor_key="supervisor"):
    n = next(_counter)
    return course_services.course_create(
        actor=world.actor(actor_key),
        name=f"Sewing course {n}",
        village_code=village,
        starts_on=starts_on,
        facilitator_id=world.user("field_worker").pk,
    )
