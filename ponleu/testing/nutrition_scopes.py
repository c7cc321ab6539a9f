"""Scope factories for the nutrition routes (see ponleu/testing/scopes.py).

A severe acute malnutrition alert, and the measurement that raised it, stand where the child
stands (the person at that distance): its organisation, village, team and worker. The child's
page and the monitoring-day screen name the child by ``person_id`` (the registry's factories).
``village_code`` names a place, not a record: the matrix sends a village of the test world.
Break-the-glass and shared scopes are declined: a grant on a child does not open nutrition
records (nutrition capabilities are not among those a grant opens), and nothing is shared with
another organisation.
"""

from __future__ import annotations

import datetime as dt

from .scopes import (
    BREAK_GLASS_ACTIVE,
    BREAK_GLASS_EXPIRED,
    SHARED_CONSENT_WITHDRAWN,
    SHARED_WITH_US,
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)

VIEW = "nutrition.view"
DECLINED = (BREAK_GLASS_ACTIVE, BREAK_GLASS_EXPIRED, SHARED_WITH_US, SHARED_CONSENT_WITHDRAWN)
MEASURED = dt.date(2026, 1, 10)

route_parameter("village_code", "02010101")


def _measured(world: MatrixWorld, member: str, scope: str):
    """(the person at that distance, their placement, a severe measurement of them) or None."""
    from ponleu.nutrition.models import GrowthMeasurement

    if scope in DECLINED:
        return None
    child = world.person(member, scope)
    if child is None:
        return None
    person = child.obj
    placed = {
        "organisation_id": person.organisation_id,
        "area_code": person.area_code,
        "team_id": person.team_id,
        "owner_id": person.owner_id,
        "person": person,
    }
    measurement = GrowthMeasurement.objects.create(
        **placed, measured_on=MEASURED, age_days=500, sex="F", muac_mm=110, findings=["sam"], sam=True
    )
    return child, placed, measurement


@scope_factory("measurement_id")
def measurement_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    found = _measured(world, member, scope)
    if found is None:
        return None
    child, _placed, measurement = found
    return child.derive(kwargs={"measurement_id": measurement.pk}, obj=measurement, view_capability=VIEW)


@scope_factory("alert_id")
def alert_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.nutrition.models import SamAlert

    found = _measured(world, member, scope)
    if found is None:
        return None
    child, placed, measurement = found
    alert = SamAlert.objects.create(**placed, measurement=measurement, raised_on=MEASURED)
    return child.derive(kwargs={"alert_id": alert.pk}, obj=alert, view_capability=VIEW)
