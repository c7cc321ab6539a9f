"""Builders for pregnancy tests; they go through the services, as the app does."""

from __future__ import annotations

import datetime as dt

from ponleu.maternal import services
from ponleu.referrals.tests import factories as directory
from ponleu.registry.tests import factories as people

LAST_PERIOD = dt.date(2026, 5, 4)  # due 2027-02-08; 28 weeks and 5 days on 2026-11-21


def woman(actor, village=people.THMEI, **data):
    values = {
        "kind": "adult",
        "family_name_km": "ចាន់",
        "given_name_km": "សុភា",
        "family_name_latin": "Chan",
        "given_name_latin": "Sophea",
        "sex": "F",
        "date_of_birth": dt.date(1999, 6, 12),
        "village": village,
    }
    values.update(data)
    return people.person(actor, **values)


def pregnancy(actor, person, last_period_on=LAST_PERIOD, **data):
    return services.pregnancy_register(actor=actor, person=person, last_period_on=last_period_on, **data)


def anc(actor, pregnancy, visited_on, **data):
    values = {"place": "facility", "danger_signs": ()}
    values.update(data)
    pregnancy.refresh_from_db()
    return services.anc_record(
        actor=actor, pregnancy=pregnancy, version=pregnancy.version, visited_on=visited_on, **values
    )


def health_centre(world):
    """A free health centre serving the Kantueu commune (the woman's)."""
    return directory.provider(world, services_=(("primary_health", "free"), ("hospital_care", "low")))
