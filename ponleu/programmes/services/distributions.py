"""Distributions: items received into a project's store at a place, and given from it to a
person, a household, a school or a group. Stock never goes below zero: a distribution takes
the project's lock, reads the stock and refuses what is not there. Giving a child an item they
already received within the period is allowed (a second uniform may be right) but warned of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.education.models import School
from ponleu.geography.models import AdminUnit
from ponleu.programmes.choices import Item, ProgrammeAction
from ponleu.programmes.models import Distribution, Group, Project, StockMovement
from ponleu.registry.models import Household, Person

from .base import acting, choice, past, require_place, required_text
from .projects import MANAGE, RECORD

# Two distributions of the same item to the same child within this many days are flagged.
REPEAT_WINDOW_DAYS = 180
QUANTITY_LIMIT = 100000


def _quantity(value) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), field="quantity") from None
    if not 0 < quantity <= QUANTITY_LIMIT:
        raise ValidationFailed(_("Enter a number between 1 and 100,000."), field="quantity")
    return quantity


def _store(code) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=str(code or ""), level__in=["province", "district"]).first()
    if unit is None:
        raise ValidationFailed(_("Choose the province or district of the store."), field="place")
    return unit


def stock_of(project: Project, place_code: str, item: str) -> int:
    return (
        StockMovement.objects.filter(project=project, place_id=place_code, item=item).aggregate(
            total=Sum("quantity")
        )["total"]
        or 0
    )


@transaction.atomic
def stock_receive(
    *, actor, project: Project, place_code: str, item: str, quantity, received_on
) -> StockMovement:
    project = acting(actor, Project.objects, project, MANAGE)
    place = _store(place_code)
    movement = StockMovement.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        place=place,
        item=choice(item, Item, field="item"),
        quantity=_quantity(quantity),
        moved_on=past(received_on, field="received_on"),
        recorded_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=ProgrammeAction.STOCK_RECEIVED,
        target=project,
        changes={f"stock.{place.code}.{item}": [None, movement.quantity]},
    )
    return movement


@dataclass
class Given:
    distribution: Distribution
    warnings: list = field(default_factory=list)


def _recipient(actor, *, person_id, household_id, school_id, group_id) -> tuple[str, object, str]:
    named = [
        (k, v)
        for k, v in (
            ("person", person_id),
            ("household", household_id),
            ("school", school_id),
            ("group", group_id),
        )
        if v
    ]
    if len(named) != 1:
        raise ValidationFailed(
            _("Name one recipient: a person, a household, a school or a group."), field="recipient"
        )
    kind, pk = named[0]
    model = {"person": Person, "household": Household, "school": School, "group": Group}[kind]
    if kind == "group":
        found = Group.objects.actionable_by(actor, RECORD).filter(pk=pk).first()
    else:
        found = model.objects.visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(_("Choose a recipient you work with."), field=kind)
    return kind, found, getattr(found, "area_code", "") or ""


def repeats(
    person: Person, item: str, day: dt.date, *, window_days: int = REPEAT_WINDOW_DAYS
) -> list[Distribution]:
    """Earlier distributions of ``item`` to ``person`` within the window before ``day``."""
    since = day - dt.timedelta(days=window_days)
    return list(
        Distribution.objects.filter(
            person=person, item=item, given_on__gte=since, given_on__lte=day
        ).order_by("-given_on")
    )


@transaction.atomic
def distribution_record(
    *,
    actor,
    project: Project,
    place_code: str,
    item: str,
    quantity,
    given_on,
    signed_by: str,
    person_id=None,
    household_id=None,
    school_id=None,
    group_id=None,
) -> Given:
    # The project's row lock serialises every distribution from its stores.
    project = acting(actor, Project.objects, project, RECORD)
    place = _store(place_code)
    item = choice(item, Item, field="item")
    quantity = _quantity(quantity)
    given_on = past(given_on, field="given_on")
    signed_by = required_text(signed_by, field="signed_by")
    kind, recipient, area_code = _recipient(
        actor, person_id=person_id, household_id=household_id, school_id=school_id, group_id=group_id
    )
    try:
        require_place(actor, RECORD, area_code)
    except PermissionDenied:
        raise ValidationFailed(_("Choose a recipient you work with."), field=kind) from None
    available = stock_of(project, place.code, item)
    if quantity > available:
        raise ValidationFailed(
            _("Only %(count)d left in this store: receive stock first.") % {"count": available},
            field="quantity",
        )
    warnings = []
    if kind == "person":
        earlier = repeats(recipient, item, given_on)
        if earlier:
            warnings.append(
                _("This child already received this item on %(day)s.")
                % {"day": earlier[0].given_on.isoformat()}
            )
    movement = StockMovement.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        place=place,
        item=item,
        quantity=-quantity,
        moved_on=given_on,
        recorded_by_id=actor.user_id,
    )
    distribution = Distribution.objects.create(
        organisation_id=project.organisation_id,
        area_code=area_code,
        owner_id=actor.user_id,
        team_id=actor.team_ids[0] if actor.team_ids else None,
        project=project,
        stock=movement,
        item=item,
        quantity=quantity,
        given_on=given_on,
        signed_by=signed_by,
        **{kind: recipient},
    )
    audit.record(
        actor=actor,
        action=ProgrammeAction.DISTRIBUTED,
        target=distribution,
        changes={
            "item": [None, item],
            "quantity": [None, quantity],
            kind: [None, str(recipient.pk)],
            "repeat": [None, bool(warnings)],
        },
    )
    return Given(distribution, warnings)
