"""Reads of early childhood work, each starting from ``visible_to``: nurseries (through their
programmes group), development checks and the checks due, and the factories followed for
advocacy. Pages that name children write one access event naming them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q

from ponleu.access.policies import identity_label
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.programmes.models import GroupMember
from ponleu.registry.models import Person

from .choices import Childcare, Domain, EarlyChildhoodAction
from .models import (
    WOMEN_WORKERS_REQUIRING_CHILDCARE,
    Band,
    Check,
    Factory,
    Instrument,
    Item,
    Nursery,
    Result,
    add_months,
    months_old,
)

VIEW = "programmes.view"
PERSON_TARGET = "registry.person"
DUE_WITHIN_DAYS = 14


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _get(queryset, pk):
    pk = _uuid(pk)
    if pk is None:
        raise queryset.model.DoesNotExist
    return queryset.get(pk=pk)


def people_read(*, actor, people, action=EarlyChildhoodAction.CHECK_VIEWED, query: str = "") -> None:
    ids = sorted({str(p.pk) for p in people})
    if ids:
        audit.record_access(
            actor=actor, action=action, target_type=PERSON_TARGET, target_ids=ids, query=query
        )


def record_read(*, actor, obj, action=EarlyChildhoodAction.NURSERY_VIEWED) -> None:
    audit.record_access(actor=actor, action=action, target_type=obj._meta.label_lower, target_ids=[obj.pk])


# --- the instrument --------------------------------------------------------------------------


def instrument_in_use(*, organisation_id) -> Instrument | None:
    return Instrument.objects.filter(organisation_id=organisation_id, is_active=True).first()


def instrument_bands(*, instrument: Instrument) -> list[Band]:
    return list(instrument.bands.prefetch_related("items"))


def item_get(*, actor, item_id) -> Item | None:
    """An item of the actor's organisation's checklists (configuration: no person in it); a
    malformed id finds nothing, like a missing one."""
    if actor.organisation_id is None or not str(item_id).isdigit() or len(str(item_id)) > 18:
        return None
    return (
        Item.objects.filter(pk=item_id, band__instrument__organisation_id=actor.organisation_id)
        .select_related("band__instrument")
        .first()
    )


def band_for(instrument: Instrument, months: int) -> Band | None:
    """The band a child of ``months`` whole months falls in."""
    return instrument.bands.filter(from_months__lte=months, to_months__gt=months).first()


@dataclass(frozen=True)
class Due:
    band: Band
    due_on: dt.date

    def late(self, today: dt.date) -> bool:
        return self.due_on < today


def next_due(*, bands: list[Band], born: dt.date, last_band: Band | None, today: dt.date) -> Due | None:
    """The next check a child is due: the first band after the last one checked (any band if
    never checked) that the child has not yet outgrown, due when the child reaches its start.
    A child who outgrew the instrument is due nothing."""
    age = months_old(born, today)
    for band in sorted(bands, key=lambda b: b.from_months):
        if last_band is not None and band.from_months <= last_band.from_months:
            continue
        if band.to_months <= age:
            continue
        return Due(band, add_months(born, band.from_months))
    return None


# --- development of one child ----------------------------------------------------------------


@dataclass
class DomainResult:
    domain: str
    label: str
    achieved: int
    asked: int

    @property
    def on_track(self) -> bool:
        return self.asked > 0 and self.achieved == self.asked


@dataclass
class CheckSummary:
    check: Check
    domains: list[DomainResult]


def domain_results(check: Check) -> list[DomainResult]:
    """Per domain, of the items asked in the check, how many the child achieved (domains in
    the instrument's order; a domain with no item asked is left out)."""
    counts = {d: [0, 0] for d in Domain.values}
    for result in check.results.select_related("item"):
        counts[result.item.domain][1] += 1
        counts[result.item.domain][0] += int(result.achieved)
    return [
        DomainResult(domain, Domain(domain).label, achieved, asked)
        for domain, (achieved, asked) in counts.items()
        if asked
    ]


@dataclass
class Development:
    person: Person
    label: str
    months: int | None
    checks: list[CheckSummary]
    due: Due | None
    nurseries: list[Nursery] = field(default_factory=list)

    @property
    def latest(self) -> CheckSummary | None:
        return self.checks[0] if self.checks else None


def child_get(*, actor, person_id, capability: str = VIEW) -> Person:
    """A child the actor sees in the registry and reaches with ``capability`` (programme work
    is no reason to open a record under another's break-the-glass grant)."""
    person = _get(Person.objects.visible_to(actor).filter(merged_into__isnull=True), person_id)
    if not Person.objects.actionable_by(actor, capability).filter(pk=person.pk).exists():
        raise Person.DoesNotExist
    return person


def development(*, actor, person_id) -> Development:
    """A child's checks, newest first, each with its results by domain, and the next check due;
    one access event names the child."""
    person = child_get(actor=actor, person_id=person_id)
    today = clock.today()
    checks = list(
        Check.objects.visible_to(actor).filter(person=person).select_related("band", "band__instrument")
    )
    instrument = instrument_in_use(organisation_id=actor.organisation_id)
    due = None
    if person.date_of_birth and instrument is not None:
        last = next((c.band for c in checks if c.band.instrument_id == instrument.pk), None)
        due = next_due(
            bands=list(instrument.bands.all()), born=person.date_of_birth, last_band=last, today=today
        )
    nurseries = list(
        Nursery.objects.visible_to(actor)
        .filter(group__members__person=person, group__members__left_on__isnull=True)
        .select_related("group")
    )
    people_read(actor=actor, people=[person])
    return Development(
        person=person,
        label=identity_label(actor, person),
        months=months_old(person.date_of_birth, today) if person.date_of_birth else None,
        checks=[CheckSummary(c, domain_results(c)) for c in checks],
        due=due,
        nurseries=nurseries,
    )


def may_record_for(*, actor, person: Person) -> bool:
    """May the actor take a development check of this child (programme work at its distance)?"""
    return Person.objects.actionable_by(actor, "programmes.record").filter(pk=person.pk).exists()


def identity_of(*, actor, person: Person) -> str:
    return identity_label(actor, person)


def check_get(*, actor, check_id, capability: str = VIEW) -> Check:
    return _get(Check.objects.actionable_by(actor, capability).select_related("person", "band"), check_id)


def check_results(*, check: Check) -> list[Result]:
    return list(check.results.select_related("item").order_by("item__domain", "item__position"))


def band_items(*, band: Band):
    return list(band.items.filter(is_active=True))


# --- nurseries -------------------------------------------------------------------------------


def nursery_queryset(*, actor, capability: str = VIEW):
    return Nursery.objects.actionable_by(actor, capability).select_related(
        "group", "group__village", "group__kind", "factory"
    )


def nursery_list(*, actor) -> list[Nursery]:
    today = clock.today()
    return list(
        nursery_queryset(actor=actor)
        .annotate(
            enrolled=Count(
                "group__members",
                filter=Q(group__members__joined_on__lte=today)
                & (Q(group__members__left_on__isnull=True) | Q(group__members__left_on__gt=today)),
            )
        )
        .order_by("group__name")
    )


def nursery_get(*, actor, nursery_id, capability: str = VIEW) -> Nursery:
    return _get(nursery_queryset(actor=actor, capability=capability), nursery_id)


def nursery_children(*, actor, nursery: Nursery, day: dt.date) -> list[tuple[GroupMember, str]]:
    """The children enrolled on ``day`` with the label the actor may see."""
    members = (
        GroupMember.objects.filter(group_id=nursery.group_id, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("person")
        .order_by("person__family_name_km", "person__given_name_km", "created_at")
    )
    return [(m, identity_label(actor, m.person)) for m in members]


def people_seen(*, actor, people) -> set:
    """The ids of ``people`` the actor sees in the registry (whose pages may be linked)."""
    ids = [p.pk for p in people]
    return set(Person.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


@dataclass
class DueRow:
    person: Person
    label: str
    nursery: Nursery
    due: Due

    @property
    def late(self) -> bool:
        return self.due.late(clock.today())


def checks_due(*, actor, within_days: int = DUE_WITHIN_DAYS, nursery: Nursery | None = None) -> list[DueRow]:
    """Children enrolled in the nurseries the actor sees whose next check falls due within
    ``within_days`` (or is late), soonest first. Call ``people_read`` with the rows served."""
    instrument = instrument_in_use(organisation_id=actor.organisation_id)
    if instrument is None:
        return []
    today = clock.today()
    horizon = today + dt.timedelta(days=within_days)
    bands = list(instrument.bands.all())
    nurseries = nursery_queryset(actor=actor)
    if nursery is not None:
        nurseries = nurseries.filter(pk=nursery.pk)
    # Only children the actor sees in the registry: a check is taken of a child one can open.
    members = (
        GroupMember.objects.filter(
            group__nursery__in=nurseries,
            left_on__isnull=True,
            person__in=Person.objects.visible_to(actor).filter(merged_into__isnull=True),
        )
        .select_related("person", "group__nursery")
        .order_by("created_at")
    )
    last_band: dict = {}
    for person_id, band_id, from_months in (
        Check.objects.visible_to(actor)
        .filter(person__in=members.values("person"), band__instrument=instrument)
        .values_list("person_id", "band_id", "band__from_months")
    ):
        if person_id not in last_band or from_months > last_band[person_id][1]:
            last_band[person_id] = (band_id, from_months)
    by_id = {band.pk: band for band in bands}
    rows, seen = [], set()
    for member in members:
        person = member.person
        if person.pk in seen or person.date_of_birth is None:
            continue
        seen.add(person.pk)
        last = by_id.get(last_band[person.pk][0]) if person.pk in last_band else None
        due = next_due(bands=bands, born=person.date_of_birth, last_band=last, today=today)
        if due is not None and due.due_on <= horizon:
            rows.append(DueRow(person, identity_label(actor, person), member.group.nursery, due))
    rows.sort(key=lambda row: (row.due.due_on, row.label))
    return rows


# --- factories -------------------------------------------------------------------------------


def factory_queryset(*, actor, capability: str = VIEW):
    return Factory.objects.actionable_by(actor, capability).select_related("village")


def factory_list(*, actor, falls_short: bool = False) -> list[Factory]:
    """Factories, largest first; ``falls_short``: only those the law asks childcare of that
    provide none (the advocacy list)."""
    factories = factory_queryset(actor=actor)
    if falls_short:
        factories = factories.filter(
            women_workers__gte=WOMEN_WORKERS_REQUIRING_CHILDCARE, childcare=Childcare.NONE
        )
    return list(factories.order_by("-women_workers", "name"))


def factory_get(*, actor, factory_id, capability: str = VIEW) -> Factory:
    return _get(factory_queryset(actor=actor, capability=capability), factory_id)
