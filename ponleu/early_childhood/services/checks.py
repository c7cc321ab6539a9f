"""A development check: each item of the child's age band marked achieved or not yet. The band
is the one the child's age (in whole months on the day of the check) falls in, in the
instrument in use; every active item of the band is answered, or nothing is saved."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.early_childhood import selectors
from ponleu.early_childhood.choices import EarlyChildhoodAction
from ponleu.early_childhood.models import Check, Item, Nursery, Result, months_old
from ponleu.programmes.models import Group, GroupMember
from ponleu.programmes.services.base import acting, past, visible_person
from ponleu.registry.models import Person

RECORD = "programmes.record"


def _answers(items: list[Item], answers) -> dict:
    """{item: achieved} for every item, from {item id: bool}; a missing or foreign item is
    refused, naming it."""
    given = {str(k): v for k, v in dict(answers or {}).items()}
    known = {str(item.pk) for item in items}
    stray = sorted(set(given) - known)
    if stray:
        raise ValidationFailed(
            _("Answer only the items of the child's age band."), field=f"results.{stray[0]}"
        )
    cleaned = {}
    for item in items:
        value = given.get(str(item.pk))
        if not isinstance(value, bool):
            raise ValidationFailed(
                _("Mark this item achieved or not yet: %(item)s") % {"item": item.text_km},
                field=f"results.{item.pk}",
            )
        cleaned[item] = value
    return cleaned


def _placement(actor, person, nursery: Nursery | None) -> dict:
    if nursery is not None:
        group = acting(actor, Group.objects, nursery.group, RECORD)
        if not GroupMember.objects.filter(group=group, person=person, left_on__isnull=True).exists():
            raise ValidationFailed(_("This child is not enrolled in the nursery."), field="nursery")
        return {"area_code": group.area_code, "team_id": group.team_id, "owner_id": group.owner_id}
    # Outside a nursery: the actor records programme work for this child where the child stands.
    if not Person.objects.actionable_by(actor, RECORD).filter(pk=person.pk).exists():
        raise PermissionDenied()
    return {"area_code": person.area_code, "team_id": person.team_id, "owner_id": actor.user_id}


@transaction.atomic
def check_record(*, actor, person_id, checked_on, results, nursery: Nursery | None = None) -> Check:
    person = visible_person(actor, person_id)
    day = past(checked_on, field="checked_on")
    if person.date_of_birth is None or person.date_of_birth > day:
        raise ValidationFailed(
            _("Record the child's date of birth before a development check."), field="person"
        )
    instrument = selectors.instrument_in_use(organisation_id=actor.organisation_id)
    if instrument is None:
        raise ValidationFailed(_("Set up a development instrument first."), field="instrument")
    band = selectors.band_for(instrument, months_old(person.date_of_birth, day))
    if band is None:
        raise ValidationFailed(_("The instrument has no age band for this child's age."), field="person")
    placement = _placement(actor, person, nursery)
    answers = _answers(list(band.items.filter(is_active=True)), results)
    check = Check.objects.create(
        organisation_id=actor.organisation_id,
        person=person,
        band=band,
        nursery=nursery,
        checked_on=day,
        checked_by_id=actor.user_id,
        **placement,
    )
    Result.objects.bulk_create(
        [Result(check_taken=check, item=item, achieved=achieved) for item, achieved in answers.items()]
    )
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.CHECK_RECORDED,
        target=check,
        changes={
            "band": [None, str(band)],
            "achieved": [None, sum(answers.values())],
            "items": [None, len(answers)],
        },
    )
    return check


@transaction.atomic
def check_correct(*, actor, check: Check, results, version) -> Check:
    """The answers of a check corrected; the version read is named, so two corrections of one
    check cannot silently overwrite each other."""
    check = acting(actor, Check.objects, check, RECORD)
    claim_version(check, version)
    asked = [r.item for r in check.results.select_related("item")]
    before = sum(r.achieved for r in check.results.all())
    answers = _answers(asked, results)
    Result.objects.filter(check_taken=check).delete()
    Result.objects.bulk_create(
        [Result(check_taken=check, item=item, achieved=achieved) for item, achieved in answers.items()]
    )
    check.save(update_fields=["version"])
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.CHECK_CORRECTED,
        target=check,
        changes={"achieved": [before, sum(answers.values())]},
    )
    return check
