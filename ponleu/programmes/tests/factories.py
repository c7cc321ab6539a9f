"""Builders for programme tests; projects, groups and events go through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import GroupKind, GroupMember
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services import projects as project_services
from ponleu.registry.models import Person

THMEI = "02010101"
KBAL_THNAL = "02080101"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
START = dt.date(2026, 1, 5)
_counter = itertools.count(1)


def project(world, *, actor_key="supervisor", code=None, donors=("Donor Alpha",), **extra):
    n = next(_counter)
    values = {
        "name": f"Project {n}",
        "code": code or f"P{n:03d}",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2028, 12, 31),
        "donors": list(donors),
        "area_codes": ["02"],
    }
    values.update(extra)
    return project_services.project_create(actor=world.actor(actor_key), **values)


def kind(world, base=GroupBase.CHILD_CLUB, organisation=None) -> GroupKind:
    organisation_id = (organisation or world.org).pk
    group_services.group_kinds_seed(organisation_id=organisation_id)
    return GroupKind.objects.get(organisation_id=organisation_id, base=base)


def group(
    world,
    *,
    actor_key="supervisor",
    base=GroupBase.CHILD_CLUB,
    facilitator="field_worker",
    village=THMEI,
    **extra,
):
    n = next(_counter)
    return group_services.group_create(
        actor=world.actor(actor_key),
        kind=kind(world, base),
        name=extra.pop("name", f"Club {n}"),
        village_code=village,
        starts_on=extra.pop("starts_on", START),
        facilitator_id=world.user(facilitator).pk if facilitator else None,
        **extra,
    )


def child(world, *, village=THMEI, owner=None, born=dt.date(2014, 5, 1), kind="child", **extra) -> Person:
    n = next(_counter)
    return Person.objects.create(
        organisation=extra.pop("organisation", world.org),
        village_id=village,
        team=extra.pop("team", world.team_a),
        owner=owner,
        kind=kind,
        family_name_km="សុខ",
        given_name_km=f"ដារា{n}",
        family_name_latin="Sok",
        given_name_latin=extra.pop("given_latin", f"Dara{n}"),
        sex=extra.pop("sex", "F"),
        date_of_birth=born,
        **extra,
    )


def members(group, count, world, **extra) -> list[GroupMember]:
    """``count`` children in the group (created directly: a large roll is setup, not subject)."""
    people = [child(world, **extra) for _ in range(count)]
    return GroupMember.objects.bulk_create(
        [GroupMember(group=group, person=p, joined_on=START) for p in people]
    )
