"""Factories the organisation follows, and the childcare the Labour Law asks of them: a
factory with 100 women workers or more sets up a nursery or pays for childcare elsewhere.
Recording or checking a factory is programme field work at the factory's place."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.early_childhood.choices import Childcare, EarlyChildhoodAction
from ponleu.early_childhood.models import Factory
from ponleu.programmes.services.base import acting, choice, past, require_place, required_text, text, village

RECORD = "programmes.record"
MOST_WORKERS = 100000


def _count(value, *, field: str) -> int:
    try:
        count = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), field=field) from None
    if count < 0 or count > MOST_WORKERS:
        raise ValidationFailed(_("Enter a number between 0 and 100,000."), field=field)
    return count


@transaction.atomic
def factory_create(
    *, actor, name: str, village_code: str, women_workers, childcare: str, checked_on, notes: str = ""
) -> Factory:
    if not actor.can(RECORD):
        raise PermissionDenied()
    unit = village(village_code)
    require_place(actor, RECORD, unit.code)
    factory = Factory(
        organisation_id=actor.organisation_id,
        name=required_text(name, field="name"),
        village=unit,
        women_workers=_count(women_workers, field="women_workers"),
        childcare=choice(childcare, Childcare, field="childcare"),
        checked_on=past(checked_on, field="checked_on"),
        checked_by_id=actor.user_id,
        notes=text(notes, 2000),
    )
    if Factory.objects.filter(
        organisation_id=actor.organisation_id, name=factory.name, village=unit
    ).exists():
        raise ValidationFailed(_("This factory is already recorded in this place."), field="name")
    try:
        with transaction.atomic():
            factory.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(_("This factory is already recorded in this place."), field="name") from None
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.FACTORY_CREATED,
        target=factory,
        changes={
            "women_workers": [None, factory.women_workers],
            "childcare": [None, factory.childcare],
            "village": [None, unit.code],
        },
    )
    return factory


@transaction.atomic
def factory_check(
    *, actor, factory: Factory, women_workers, childcare: str, checked_on, version, notes=None
) -> Factory:
    """What was found on a visit: the women working there and the childcare provided."""
    factory = acting(actor, Factory.objects, factory, RECORD)
    claim_version(factory, version)
    before = {
        "women_workers": factory.women_workers,
        "childcare": factory.childcare,
        "checked_on": factory.checked_on.isoformat(),
    }
    factory.women_workers = _count(women_workers, field="women_workers")
    factory.childcare = choice(childcare, Childcare, field="childcare")
    day = past(checked_on, field="checked_on")
    if day < factory.checked_on:
        raise ValidationFailed(_("A newer check of this factory is already recorded."), field="checked_on")
    factory.checked_on = day
    factory.checked_by_id = actor.user_id
    if notes is not None:
        factory.notes = text(notes, 2000)
    factory.save(update_fields=["women_workers", "childcare", "checked_on", "checked_by", "notes", "version"])
    after = {
        "women_workers": factory.women_workers,
        "childcare": factory.childcare,
        "checked_on": factory.checked_on.isoformat(),
    }
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.FACTORY_CHECKED,
        target=factory,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return factory
