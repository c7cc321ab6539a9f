"""Builders for family support tests; they go through the services, as the app does."""

from __future__ import annotations

import datetime as dt

from ponleu.family_support import services
from ponleu.family_support.choices import NeedDomain, NeedLevel
from ponleu.referrals.tests import factories as directory
from ponleu.registry import services as registry_services
from ponleu.registry.tests import factories as people

ASSESSED = dt.date(2026, 11, 2)


def household_with_child(actor, village=people.THMEI, **child):
    """A household (the actor's own) with a child and a caregiver."""
    household = people.household(actor, village=village)
    kid = people.person(actor, village=village, **child)
    carer = people.person(
        actor,
        village=village,
        kind="adult",
        family_name_km="សុខ",
        given_name_km="ស្រីនាង",
        family_name_latin="Sok",
        given_name_latin="Sreyneang",
        sex="F",
        date_of_birth=dt.date(1988, 4, 2),
    )
    registry_services.household_member_add(
        actor=actor, household=household, person=carer, relationship="head", is_primary_caregiver=True
    )
    registry_services.household_member_add(actor=actor, household=household, person=kid, relationship="child")
    return household, kid


def levels(**given) -> dict:
    """Every area, ``none`` unless given: ``levels(health="serious", schooling="some")``."""
    return {
        domain: {
            "level": given.get(domain, NeedLevel.NONE),
            "note": f"{domain} note" if domain in given else "",
        }
        for domain in NeedDomain.values
    }


def plan(actor, household, assessed_on=ASSESSED, **given):
    return services.plan_start(
        actor=actor,
        household=household,
        assessed_on=assessed_on,
        needs=levels(**(given or {"health": NeedLevel.SERIOUS, "schooling": NeedLevel.SOME})),
    )


def health_centre(world, organisation=None):
    """A free health centre serving the Kantueu commune (the household's)."""
    data = {"organisation": organisation.pk} if organisation is not None else {}
    return directory.provider(world, **data)
