"""Builders for nutrition tests: children and directory entries are setup (the registry's and
the directory's own services and models); measurements go through the nutrition services."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.nutrition.services import measurements
from ponleu.referrals.tests import factories as directory
from ponleu.registry.models import Person

THMEI = "02010101"  # a village of the Kantueu Muoy commune, Banan district (team A's area)
KBAL_THNAL = "02080101"  # a village of Sangkae district
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 21)
_counter = itertools.count(1)


def child(
    world, *, village=THMEI, owner="caseworker_a", born=dt.date(2025, 5, 21), sex="F", **extra
) -> Person:
    n = next(_counter)
    return Person.objects.create(
        organisation=extra.pop("organisation", world.org),
        village_id=village,
        team=extra.pop("team", world.team_a),
        owner=world.user(owner) if owner else None,
        kind="child",
        family_name_km="សុខ",
        given_name_km=f"ស្រីនាង{n}",
        family_name_latin="Sok",
        given_name_latin=f"Sreyneang{n}",
        sex=sex,
        date_of_birth=born,
        **extra,
    )


def measure(world, person, actor_key="caseworker_a", **data):
    values = {"measured_on": TODAY.isoformat(), "weight_kg": "10.2", "length_cm": "80.7", "muac_mm": "150"}
    values.update(data)
    return measurements.measurement_record(actor=world.actor(actor_key), person_id=person.pk, data=values)


def health_centre(
    world, *, areas=(directory.KANTUEU,), location=None, services_=(("primary_health", "free"),), **data
):
    return directory.provider(world, areas=areas, location=location, services_=services_, **data)
