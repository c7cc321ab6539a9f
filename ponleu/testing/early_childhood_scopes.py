"""Scope factories for the early childhood routes (see ponleu/testing/scopes.py).

A nursery stands where its programmes group stands: the factory builds the group at that
distance (with its one member, a person at that distance) and adds the nursery's details. A
child of a nursery is that member. A factory stands in its village with the worker who last
checked it and no team: it declines the team scopes and those no factory can stand at
(sensitive, break-the-glass, shared). An item of the development checklist is the
organisation's configuration, the same for all its members.
"""

from __future__ import annotations

import datetime as dt

from ponleu.access.scopes import Relationship

from .scopes import OTHER_ORG, OWN, SAME_AREA, SAME_ORG, MatrixWorld, ScopedObject, scope_factory

VIEW = "programmes.view"
CHECKED = dt.date(2026, 1, 12)


@scope_factory("nursery_id")
def nursery_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.early_childhood.models import Nursery

    group = world.scoped("group_id", member, scope)
    if group is None:
        return None
    nursery = Nursery.objects.create(group=group.obj, kind="preschool")
    return group.derive(kwargs={"nursery_id": nursery.pk}, obj=nursery, view_capability=VIEW)


@scope_factory("factory_id")
def factory_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.early_childhood.models import Factory

    relationship = {
        OWN: Relationship.OWN,
        SAME_AREA: Relationship.AREA,
        SAME_ORG: Relationship.ORG,
        OTHER_ORG: Relationship.OUTSIDE,
    }.get(scope)
    placement = world.placement(member, scope) if relationship is not None else None
    if placement is None:
        return None
    factory = Factory.objects.create(
        organisation=placement["organisation"],
        name=world.token("Fac"),
        village_id=placement["village"],
        women_workers=120,
        childcare="none",
        checked_on=CHECKED,
        checked_by_id=placement.get("owner_id"),
    )
    return ScopedObject(
        scope=scope,
        kwargs={"factory_id": factory.pk},
        obj=factory,
        relationship=relationship,
        view_capability=VIEW,
    )


def _item(organisation):
    from ponleu.early_childhood.models import Band, Instrument, Item

    instrument = Instrument.objects.filter(organisation=organisation, is_active=True).first()
    if instrument is None:
        instrument = Instrument.objects.create(
            organisation=organisation, name="Matrix checklist", source="own"
        )
        band = Band.objects.create(instrument=instrument, from_months=0, to_months=96)
        Item.objects.create(band=band, domain="language", text_km="និយាយ", text_en="Talks")
    return Item.objects.filter(band__instrument=instrument).first()


@scope_factory("dev_item_id")
def dev_item_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """An item of the organisation's checklist, placed (like a school year) at the person's
    distance; only the organisation as a whole reaches it."""
    person = world.person(member, scope)
    if person is None:
        return None
    item = _item(person.obj.organisation)
    return person.derive(kwargs={"dev_item_id": item.pk}, obj=item, view_capability="programmes.manage")
