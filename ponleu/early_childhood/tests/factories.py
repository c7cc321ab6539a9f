"""Builders for early childhood tests: everything under test goes through the services."""

from __future__ import annotations

import datetime as dt

from ponleu.early_childhood.services import factories as factory_services
from ponleu.early_childhood.services import instruments, nurseries
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.tests.factories import KBAL_THNAL, NOW, START, THMEI, child

__all__ = ["KBAL_THNAL", "NOW", "START", "THMEI", "child", "factory", "instrument", "nursery"]


def instrument(world, *, actor_key="org_admin", bands=None):
    return instruments.instrument_create(
        actor=world.actor(actor_key),
        name="Generic checklist",
        source="own",
        bands=bands if bands is not None else instruments.generic_bands(),
    )


def factory(
    world, *, women=150, childcare="none", name="Garment Factory A", village=THMEI, actor_key="supervisor"
):
    return factory_services.factory_create(
        actor=world.actor(actor_key),
        name=name,
        village_code=village,
        women_workers=women,
        childcare=childcare,
        checked_on=dt.date(2026, 10, 1),
    )


def nursery(world, *, kind="preschool", village=THMEI, factory=None, facilitator="field_worker", children=()):
    opened = nurseries.nursery_open(
        actor=world.actor("supervisor"),
        kind=kind,
        name="Little Stars",
        village_code=village,
        starts_on=START,
        factory=factory,
        facilitator_id=world.user(facilitator).pk,
    )
    if children:
        group_services.members_add(
            actor=world.actor("supervisor"),
            group=opened.group,
            person_ids=[c.pk for c in children],
            joined_on=START,
        )
    return opened
