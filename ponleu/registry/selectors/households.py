"""Reading households, always through ``Household.objects.visible_to(actor)``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ponleu.audit import services as audit
from ponleu.common.pagination import MAX_PAGE_SIZE, PAGE_SIZE, Page, paginate
from ponleu.geography.models import code_range
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import Household, HouseholdMember, IDPoorAssessment, Person

from .people import TARGET, _page_bounds, by_grant

HOUSEHOLD_TARGET = "registry.household"


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


@dataclass
class HouseholdDetail:
    household: Household
    members: list
    idpoor_history: list
    visible_ids: set = field(default_factory=set)


def _members_prefetch():
    return Prefetch(
        "members",
        queryset=HouseholdMember.objects.select_related("person__village").order_by(
            "-is_primary_caregiver", "created_at"
        ),
    )


def household_fetch(*, actor, household_id) -> Household:
    """One visible household with its members, not yet recorded as read (write pages check
    the action first, then call ``household_read``)."""
    pk = _uuid(household_id)
    if pk is None:
        raise Household.DoesNotExist
    return Household.objects.visible_to(actor).prefetch_related(_members_prefetch()).get(pk=pk)


def household_read(*, actor, household: Household) -> None:
    audit.record_access(
        actor=actor,
        action=PersonAction.HOUSEHOLD_VIEWED,
        target_type=HOUSEHOLD_TARGET,
        target_ids=[household.pk],
        break_glass=by_grant(actor, household),
    )


def household_detail(*, actor, household_id) -> HouseholdDetail:
    """One visible household with its members and IDPoor history; members outside the actor's
    scope are listed by relationship only (their ids are not in ``visible_ids``)."""
    pk = _uuid(household_id)
    if pk is None:
        raise Household.DoesNotExist
    household = (
        Household.objects.visible_to(actor)
        .select_related("village__parent__parent__parent")
        .prefetch_related(_members_prefetch())
        .get(pk=pk)
    )
    members = list(household.members.all())
    visible = set(
        Person.objects.visible_to(actor)
        .filter(pk__in=[m.person_id for m in members])
        .values_list("pk", flat=True)
    )
    reads = [audit.Read(PersonAction.HOUSEHOLD_VIEWED, HOUSEHOLD_TARGET, [household.pk])]
    if visible:
        reads.append(audit.Read(PersonAction.VIEWED, TARGET, sorted(visible, key=str)))
    audit.record_accesses(actor=actor, reads=reads)
    household.visible_member_ids = visible
    return HouseholdDetail(
        household=household,
        members=members,
        idpoor_history=list(IDPoorAssessment.objects.filter(household=household)),
        visible_ids=visible,
    )


def household_page(*, actor, area: str = "", idpoor: str = "", page=1, per_page=PAGE_SIZE) -> Page:
    number, size = _page_bounds(page, min(int(per_page or PAGE_SIZE), MAX_PAGE_SIZE))
    households = Household.objects.visible_to(actor)
    if area and area.isdigit():
        low, high = code_range(area)
        households = households.filter(area_code__gte=low, area_code__lt=high)
    if idpoor:
        households = households.filter(idpoor_status=idpoor)
    households = households.select_related("village").prefetch_related(_members_prefetch())
    result = paginate(households.order_by("area_code", "id"), number, size)
    items = result.items
    reads = [
        audit.Read(
            PersonAction.HOUSEHOLD_LISTED,
            HOUSEHOLD_TARGET,
            [h.pk for h in items],
            f"area={area}&idpoor={idpoor}",
        )
    ]
    # Members the actor may not see are counted, never named; those shown are read too.
    everyone = {m.person_id for h in items for m in h.members.all()}
    visible = set(Person.objects.visible_to(actor).filter(pk__in=everyone).values_list("pk", flat=True))
    for household in items:
        household.visible_member_ids = {m.person_id for m in household.members.all()} & visible
    members = sorted(visible, key=str)
    if members:
        reads.append(audit.Read(PersonAction.LISTED, TARGET, members, "households"))
    audit.record_accesses(actor=actor, reads=reads)
    return result
