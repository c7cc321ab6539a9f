"""Reads of growth monitoring, each from ``visible_to(actor)``, each writing the access event
of what it served (the measurements and their children: a health record)."""

from __future__ import annotations

import datetime as dt
import uuid

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.registry.models import Person

from .choices import AlertStatus, NutritionAction
from .models import NUTRITION_VIEW, FollowUp, GrowthMeasurement, SamAlert

PERSON_TARGET = "registry.person"
LIST_LIMIT = 200
# A growth monitoring day weighs the children under five (the WHO standards' ages).
MONITORED_DAYS = 1856


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def served(*, actor, action=NutritionAction.MEASUREMENTS_VIEWED, rows=(), people=(), query: str = "") -> None:
    """One access event naming the rows a page showed, one naming their children."""
    by_type: dict[str, list] = {}
    for row in rows:
        by_type.setdefault(type(row)._meta.label_lower, []).append(str(row.pk))
    for target_type, ids in by_type.items():
        audit.record_access(actor=actor, action=action, target_type=target_type, target_ids=ids, query=query)
    ids = sorted({str(p.pk) for p in people})
    if ids:
        audit.record_access(
            actor=actor, action=action, target_type=PERSON_TARGET, target_ids=ids, query=query
        )


def child_get(*, actor, person_id, capability: str = NUTRITION_VIEW) -> Person:
    """A child whose growth the actor follows with ``capability``: seen in the registry and
    within that capability's reach (a break-the-glass grant on the child opens the registry
    record, not its nutrition); DoesNotExist otherwise."""
    pk = _uuid(person_id)
    if pk is None or not actor.can(capability):
        raise Person.DoesNotExist
    person = Person.objects.visible_to(actor).get(pk=pk, merged_into__isnull=True)
    if not actor.allows(capability, actor.relationship_to_object(person)):
        raise Person.DoesNotExist
    return person


def measurements_of(*, actor, person: Person) -> list[GrowthMeasurement]:
    """The child's measurements the actor sees, oldest first (the chart's order)."""
    return list(
        GrowthMeasurement.objects.visible_to(actor)
        .filter(person=person)
        .select_related("village", "measured_by")
        .order_by("measured_on", "created_at")
    )


def measurement_get(*, actor, measurement_id, capability: str = NUTRITION_VIEW) -> GrowthMeasurement:
    pk = _uuid(measurement_id)
    if pk is None:
        raise GrowthMeasurement.DoesNotExist
    # To act on a record one must see it first: both filters.
    found = GrowthMeasurement.objects.visible_to(actor).actionable_by(actor, capability)
    return found.select_related("person").get(pk=pk)


def alert_get(*, actor, alert_id, capability: str = NUTRITION_VIEW) -> SamAlert:
    pk = _uuid(alert_id)
    if pk is None:
        raise SamAlert.DoesNotExist
    return (
        SamAlert.objects.visible_to(actor)
        .actionable_by(actor, capability)
        .select_related("person", "measurement", "proposed_provider", "referral")
        .get(pk=pk)
    )


def open_alert_of(*, actor, person: Person) -> SamAlert | None:
    return (
        SamAlert.objects.visible_to(actor)
        .filter(person=person, status=AlertStatus.OPEN)
        .select_related("measurement", "proposed_provider")
        .first()
    )


def referred_on(*, actor, person: Person, day: dt.date) -> SamAlert | None:
    return (
        SamAlert.objects.visible_to(actor)
        .filter(person=person, status=AlertStatus.REFERRED, referred_on=day)
        .select_related("referral", "referral__provider")
        .first()
    )


def open_follow_up_of(*, actor, person: Person) -> FollowUp | None:
    return FollowUp.objects.visible_to(actor).open().filter(person=person).first()


def due_follow_ups(*, actor):
    return (
        FollowUp.objects.visible_to(actor)
        .open()
        .filter(next_due_on__lte=clock.today())
        .select_related("person")
        .order_by("next_due_on", "id")
    )


def worker_lists(*, actor) -> dict:
    """The nutrition worker's lists: to refer today, measurements due, in follow-up, referred
    (the last 90 days); each row with the label the actor may see for the child."""
    today = clock.today()
    alerts = SamAlert.objects.visible_to(actor).select_related("person", "measurement", "referral")
    follow_ups = FollowUp.objects.visible_to(actor).open().select_related("person")
    lists = {
        "to_refer": list(alerts.filter(status=AlertStatus.OPEN).order_by("raised_on", "id")[:LIST_LIMIT]),
        "due": list(follow_ups.filter(next_due_on__lte=today).order_by("next_due_on", "id")[:LIST_LIMIT]),
        "in_follow_up": list(
            follow_ups.filter(next_due_on__gt=today).order_by("next_due_on", "id")[:LIST_LIMIT]
        ),
        "referred": list(
            alerts.filter(
                status=AlertStatus.REFERRED, referred_on__gte=today - dt.timedelta(days=90)
            ).order_by("-referred_on", "id")[:LIST_LIMIT]
        ),
    }
    rows = [row for found in lists.values() for row in found]
    served(actor=actor, rows=rows, people=[row.person for row in rows], query="worker lists")
    return {
        name: [(row, identity_label(actor, row.person), can_see_identity(actor, row.person)) for row in found]
        for name, found in lists.items()
    }


def village_children(*, actor, village_code: str, on: dt.date) -> list[tuple[Person, str]]:
    """The children under five living in the village whom the actor sees, by name label."""
    born_after = on - dt.timedelta(days=MONITORED_DAYS)
    people = list(
        Person.objects.visible_to(actor)
        .filter(area_code=village_code, merged_into__isnull=True, date_of_birth__gt=born_after)
        .filter(date_of_birth__lte=on)
        .order_by("date_of_birth", "id")[:LIST_LIMIT]
    )
    served(actor=actor, people=people, query=f"growth monitoring {village_code}")
    return [(person, identity_label(actor, person)) for person in people]


def latest_by_child(*, actor, people) -> dict:
    """{person id: their newest measurement the actor sees}."""
    latest: dict = {}
    for row in (
        GrowthMeasurement.objects.visible_to(actor)
        .filter(person__in=[p.pk for p in people])
        .order_by("person_id", "-measured_on", "-created_at")
    ):
        latest.setdefault(row.person_id, row)
    return latest


def villages_of(*, actor) -> list[AdminUnit]:
    """The villages of the children the actor sees: those where growth was monitored in the
    last 90 days first (the worker's usual days), then the others, each by name."""
    codes = set(
        Person.objects.visible_to(actor)
        .filter(merged_into__isnull=True)
        .values_list("area_code", flat=True)
        .distinct()
    )
    recent = set(
        GrowthMeasurement.objects.visible_to(actor)
        .filter(measured_on__gte=clock.today() - dt.timedelta(days=90))
        .values_list("village_id", flat=True)
        .distinct()
    )
    units = AdminUnit.objects.filter(
        code__in=[c for c in codes | recent if c and len(c) == 8], level="village"
    )
    return sorted(units, key=lambda unit: (unit.code not in recent, unit.name_km, unit.code))
